"""Scoring against hand-computed examples on tiny checklists."""

from __future__ import annotations

from typing import Any

import pytest

from db import Store
from desktop.domain import Result, Role, UnitLevel
from desktop.services import findings
from desktop.services.errors import UserError
from desktop.services.plans import MemberSpec, PlanSpec, UnitSpec, create_plan
from desktop.services.scoring import Cancelled, score_inspection, score_plan


def tiny_checklist(points: bool = True) -> dict[str, Any]:
    """Two areas: A (S,X items; one only for S) and B (X only, plus a TEXT item)."""

    def item(code: str, max_score: float, levels: list[str], type_: str = "YES_NO") -> dict:
        return {
            "code": code,
            "text": f"Nội dung {code}",
            "type": type_,
            "max_score": max_score if points else 0,
            "levels": levels,
        }

    return {
        "version": "t1",
        "name": "Bộ nhỏ",
        "areas": [
            {
                "code": "A",
                "name": "Chỉ đạo",
                "max_points": 6,
                "criteria": [
                    {
                        "code": "A.1",
                        "name": "Kế hoạch",
                        "items": [item("A1", 2, ["S", "X"]), item("A2", 1, ["S", "X"])],
                    },
                    {"code": "A.2", "name": "Báo cáo", "items": [item("A3", 3, ["S"])]},
                ],
            },
            {
                "code": "B",
                "name": "Một cửa",
                "max_points": 4,
                "criteria": [
                    {
                        "code": "B.1",
                        "name": "Niêm yết",
                        "items": [
                            item("B1", 4, ["S", "X"]),
                            item("B2", 0, ["S", "X"], "TEXT"),
                        ],
                    }
                ],
            },
        ],
    }


def make_plan(store: Store, units: list[tuple[str, UnitLevel]], points: bool = True) -> str:
    store.checklists.import_checklist(tiny_checklist(points), source="test")
    return create_plan(
        store,
        PlanSpec(
            number="1/KH-UBND",
            year=2024,
            issuer="UBND tỉnh",
            province="Sóc Trăng",
            units=[UnitSpec(name, level, 5) for name, level in units],
            members=[MemberSpec("Nguyễn Văn A", Role.TRUONG_DOAN)],
        ),
    )


def ids(store: Store, plan_id: str) -> dict[str, str]:
    return {i["unit"]: i["id"] for i in store.planning.inspections(plan_id)}


def rec(store: Store, insp: str, code: str, result: Result, score: float | None = None) -> None:
    findings.record(store, insp, code, result=result, score=score)


def test_points_with_not_applicable_and_unrecorded(store: Store) -> None:
    plan = make_plan(store, [("Sở A", UnitLevel.SO)])
    insp = ids(store, plan)["Sở A"]
    rec(store, insp, "A1", Result.DAT)  # 2 of 2 (full points by default)
    rec(store, insp, "A2", Result.KHONG_AP_DUNG)  # leaves the maximum
    rec(store, insp, "A3", Result.MOT_PHAN, 1.5)  # 1.5 of 3
    # B1 not recorded: 0 of 4, still in the maximum
    store.findings.set_finding(
        insp, store.findings.item_id_for_code(insp, "A1"), {"self_score": 2.0}
    )
    store.findings.set_finding(
        insp, store.findings.item_id_for_code(insp, "B1"), {"self_score": 3.0}
    )
    s = score_inspection(store, insp)
    assert s["total"] == 3.5
    assert s["max"] == 9.0  # 2 + 3 + 4 (A2 not applicable)
    assert s["percent"] == round(100 * 3.5 / 9, 2)
    assert s["self_total"] == 5.0
    assert s["not_passed"] == 1
    a, b = s["areas"]
    assert (a["code"], a["score"], a["max"], a["percent"]) == ("A", 3.5, 5.0, 70.0)
    assert a["self_score"] == 2.0
    assert (b["code"], b["score"], b["max"], b["percent"], b["self_score"]) == (
        "B",
        0.0,
        4.0,
        0.0,
        3.0,
    )
    crit = {c["code"]: (c["score"], c["max"]) for c in a["criteria"]}
    assert crit == {"A.1": (2.0, 2.0), "A.2": (1.5, 3.0)}


def test_items_of_other_levels_are_not_in_the_maximum(store: Store) -> None:
    plan = make_plan(store, [("Xã B", UnitLevel.XA)])
    insp = ids(store, plan)["Xã B"]
    s = score_inspection(store, insp)
    # A3 applies to Sở only: 2 + 1 + 4
    assert (s["total"], s["max"], s["percent"], s["self_total"]) == (0.0, 7.0, 0.0, None)
    assert s["not_passed"] == 0


def test_checklist_without_points_scores_share_passed(store: Store) -> None:
    plan = make_plan(store, [("Sở A", UnitLevel.SO)], points=False)
    insp = ids(store, plan)["Sở A"]
    rec(store, insp, "A1", Result.DAT)
    rec(store, insp, "A2", Result.KHONG_DAT)
    rec(store, insp, "A3", Result.KHONG_AP_DUNG)
    findings.record(store, insp, "B2", note="Ghi nhận")  # TEXT: not judged
    s = score_inspection(store, insp)
    # judged items: A1, A2, B1 (A3 not applicable, B2 text) → 1 passed of 3
    assert (s["total"], s["max"], s["percent"]) == (1.0, 3.0, 33.33)
    assert [(a["score"], a["max"]) for a in s["areas"]] == [(1.0, 2.0), (0.0, 1.0)]


def test_rank_within_level_ties_share(store: Store) -> None:
    units = [
        ("Sở 1", UnitLevel.SO),
        ("Sở 2", UnitLevel.SO),
        ("Sở 3", UnitLevel.SO),
        ("Xã 1", UnitLevel.XA),
        ("Xã 2", UnitLevel.XA),
    ]
    plan = make_plan(store, units)
    i = ids(store, plan)
    rec(store, i["Sở 1"], "A1", Result.DAT)  # 2/10
    rec(store, i["Sở 2"], "B1", Result.DAT)  # 4/10
    rec(store, i["Sở 3"], "A1", Result.DAT)  # 2/10
    rec(store, i["Xã 1"], "A2", Result.KHONG_DAT)  # 0/7 but recorded
    rows = {r["unit"]: r for r in score_plan(store, plan)}
    assert [rows[u]["rank"] for u in ("Sở 1", "Sở 2", "Sở 3")] == [2, 1, 2]
    assert rows["Xã 1"]["rank"] == 1
    assert rows["Xã 2"]["rank"] is None  # nothing recorded yet
    assert rows["Sở 2"]["percent"] == 40.0
    assert rows["Xã 1"]["not_passed"] == 1
    assert rows["Sở 1"]["recommendations"] == 0
    assert set(rows["Sở 1"]) >= {"unit", "level", "month", "total", "max", "percent", "areas"}


def test_plan_progress_can_cancel(store: Store) -> None:
    plan = make_plan(store, [("Sở 1", UnitLevel.SO), ("Sở 2", UnitLevel.SO)])
    seen: list[tuple[int, int]] = []
    score_plan(store, plan, progress=lambda d, t: seen.append((d, t)) is None)
    assert seen == [(1, 2), (2, 2)]
    with pytest.raises(Cancelled):
        score_plan(store, plan, progress=lambda d, t: False)


def test_unknown_ids(store: Store) -> None:
    with pytest.raises(UserError):
        score_inspection(store, "nope")
    with pytest.raises(UserError):
        score_plan(store, "nope")


def test_demo_scores_are_consistent(demo_store: Store) -> None:
    plan = demo_store.planning.plans()[0]["id"]
    rows = score_plan(demo_store, plan)
    assert len(rows) == 15
    first = rows[0]
    assert first["max"] > 0 and 0 < first["percent"] <= 100
    assert first["total"] == pytest.approx(sum(a["score"] for a in first["areas"]))
    assert first["max"] == pytest.approx(sum(a["max"] for a in first["areas"]))
    assert score_inspection(demo_store, first["id"])["total"] == first["total"]


def test_is_provisional_means_partly_judged() -> None:
    from desktop.services.scoring import is_provisional

    assert is_provisional({"judged": 12, "to_judge": 75})
    assert not is_provisional({"judged": 75, "to_judge": 75})  # complete: final
    assert not is_provisional({"judged": 0, "to_judge": 75})  # nothing yet: chưa kiểm tra
    assert not is_provisional({})
