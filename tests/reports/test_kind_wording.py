"""Issue 17: documents say what happened — a check by report has no premises wording, a
surprise visit says it was not announced, the campaign report names the real forms, and a
re-inspection's notice states which earlier recommendations were fixed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from db import Store
from desktop.domain import InspectionKind, Result, Role, UnitLevel
from desktop.reports.context import ReportOptions
from desktop.reports.service import inspection_report, plan_report
from desktop.services import conclusions, findings, followup
from desktop.services.plans import PlanSpec, UnitSpec, add_inspection, create_plan
from tests.reports.test_pdf import text_of

OPTS = ReportOptions(number="5", date=dt.date(2022, 7, 5))


def flat(text: str) -> str:
    return " ".join(text.split())


def _plan(store: Store) -> dict[str, str]:
    plan = create_plan(
        store,
        PlanSpec(
            number="12/KH-UBND",
            year=2022,
            issuer="Ủy ban nhân dân thành phố Hà Nội",
            province="Hà Nội",
            units=[
                UnitSpec("Sở Tư pháp", UnitLevel.SO, 3, kind=InspectionKind.QUA_BAO_CAO),
                UnitSpec("Sở Tư pháp", UnitLevel.SO, None, kind=InspectionKind.DOT_XUAT),
                UnitSpec("Sở Y tế", UnitLevel.SO, 4),
            ],
        ),
    )
    ids = {(i["unit"], i["kind"]): i["id"] for i in store.planning.inspections(plan)}
    for visit in ids.values():
        item = next(i for i in store.findings.inspection_items(visit) if i["max_score"] > 0)
        findings.record(store, visit, item["code"], result=Result.DAT)
    return {
        "plan": plan,
        "report": ids[("Sở Tư pháp", "qua-bao-cao")],
        "surprise": ids[("Sở Tư pháp", "dot-xuat")],
        "plain": ids[("Sở Y tế", "theo-ke-hoach")],
    }


def _text(store: Store, visit: str, kind: str, tmp_path: Path) -> str:
    path = tmp_path / f"{kind}-{visit}.pdf"
    inspection_report(store, visit, kind, "pdf", path, OPTS)
    return flat(text_of(path))


def test_report_based_check_has_no_premises(store: Store, tmp_path: Path) -> None:
    ids = _plan(store)
    minutes = _text(store, ids["report"], "bien-ban", tmp_path)
    assert "trụ sở" not in minutes
    assert "qua báo cáo và hồ sơ, tài liệu do đơn vị gửi" in minutes
    assert "công tác cải cách hành chính của Sở Tư pháp" in minutes
    notice = _text(store, ids["report"], "ket-luan", tmp_path)
    assert "kiểm tra thực tế" not in notice and "trụ sở" not in notice
    for text in (minutes, notice):  # the subject too: the delegation went nowhere
        assert "hành chính tại Sở Tư pháp" not in text
    assert "UBND THÀNH PHỐ HÀ NỘI" in notice  # the issuer's level reaches the document


def test_surprise_visit_says_not_announced(store: Store, tmp_path: Path) -> None:
    ids = _plan(store)
    for kind in ("bien-ban", "ket-luan"):
        assert "kiểm tra đột xuất, không báo trước" in _text(store, ids["surprise"], kind, tmp_path)
    plain = _text(store, ids["plain"], "bien-ban", tmp_path)
    assert "không báo trước" not in plain and "tại trụ sở Sở Y tế" in plain


def test_campaign_report_names_the_real_forms(store: Store, tmp_path: Path) -> None:
    ids = _plan(store)
    path = tmp_path / "bao-cao.pdf"
    store.planning.add_member(
        {"plan_id": ids["plan"], "full_name": "Trần Văn Thắng", "role": Role.TRUONG_DOAN.value}
    )
    plan_report(store, ids["plan"], "pdf", path, OPTS)
    text = flat(text_of(path))
    assert "kiểm tra trực tiếp tại đơn vị" not in text
    assert "kiểm tra trực tiếp tại 1 đơn vị" in text
    assert "kiểm tra đột xuất, không báo trước tại 1 đơn vị" in text
    assert "kiểm tra qua báo cáo đối với 1 đơn vị" in text


@pytest.fixture
def reinspection(store: Store) -> dict[str, Any]:
    ids = _plan(store)
    earlier = ids["plain"]
    due = dt.date(2022, 8, 1)
    first = conclusions.add_recommendation(
        store, earlier, "Ban hành quy chế chi tiêu nội bộ", deadline=due
    )
    second = conclusions.add_recommendation(
        store, earlier, "Niêm yết đủ thủ tục hành chính", deadline=due
    )
    followup.record_report(
        store, [first["id"]], dt.date(2022, 6, 1), "15/BC-SYT", "Đã ban hành quy chế"
    )
    followup.verify(store, first["id"], True, "Đạt", verified_on=dt.date(2022, 6, 10))
    later = create_plan(store, PlanSpec(number="20/KH-UBND", year=2023, issuer="UBND TP Hà Nội"))
    row = add_inspection(store, later, "Sở Y tế", "Sở/ngành", "tai-kiem-tra", reinspects=earlier)
    return {"id": row["id"], "first": first, "second": second}


def test_reinspection_starts_from_the_earlier_recommendations(
    store: Store, reinspection: dict[str, Any], kiemtra: Any
) -> None:
    rows = followup.reinspected(store, reinspection["id"], dt.date(2023, 1, 5))
    assert [(r["number"], r["fixed"], r["status"]) for r in rows] == [
        (1, True, "da-xac-minh"),
        (2, False, "qua-han"),
    ]
    store.close()
    listed = kiemtra.json("recommendations", reinspection["id"], "--json")
    assert [(r["earlier"], r["number"], r["fixed"]) for r in listed] == [
        (True, 1, True),
        (True, 2, False),
    ]
    assert listed[0]["plan_number"] == "12/KH-UBND"


def test_reinspection_notice_states_what_was_fixed(
    store: Store, reinspection: dict[str, Any], tmp_path: Path
) -> None:
    item = next(
        i for i in store.findings.inspection_items(reinspection["id"]) if i["max_score"] > 0
    )
    findings.record(store, reinspection["id"], item["code"], result=Result.DAT)
    notice = _text(store, reinspection["id"], "ket-luan", tmp_path)
    assert "đã khắc phục 1/2 kiến nghị (số 1)" in notice
    assert "Chưa khắc phục xong kiến nghị số 2: Niêm yết đủ thủ tục hành chính" in notice
    assert "tái kiểm tra công tác cải cách hành chính tại Sở Y tế" in notice
