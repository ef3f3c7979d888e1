"""Conclusion drafts from findings; recommendations with numbering and default deadlines."""

from __future__ import annotations

import datetime as dt

import pytest

from db import Store
from desktop.domain import Result
from desktop.services import conclusions, findings
from desktop.services.errors import UserError
from tests.conftest import Kiemtra
from tests.recording_helpers import small_plan


@pytest.fixture
def plan(store: Store) -> tuple[str, str]:
    return small_plan(store)


def test_draft_from_findings(store: Store, plan) -> None:
    so, _ = plan
    findings.record(store, so, "A1.1.1", result=Result.DAT, note="Ban hành ngày 10/01")
    findings.record(store, so, "A1.1.2", result=Result.DAT)
    findings.record(store, so, "A1.1.3", result=Result.KHONG_DAT, note="Chưa xác định kinh phí.")
    findings.record(store, so, "A1.2.1", result=Result.MOT_PHAN)
    findings.record(store, so, "A1.2.2", result=Result.KHONG_AP_DUNG)
    items = {r["code"]: r["text"] for r in store.findings.inspection_items(so)}
    areas = conclusions.draft(store, so)
    assert [a["area"] for a in areas] == [f"A{n}" for n in range(1, 9)]
    a1 = areas[0]
    assert set(a1) >= {"area", "name", "strengths", "limitations"}
    assert a1["name"] == "Công tác chỉ đạo, điều hành CCHC"
    assert a1["strengths"] == [
        "Thực hiện tốt 2/4 nội dung được kiểm tra",
        "Ban hành ngày 10/01",
    ]
    # a limitation is the observation; without one, the verdict and the requirement missed
    assert a1["limitations"] == [
        "Chưa xác định kinh phí",
        f"Đạt một phần yêu cầu “{items['A1.2.1'].rstrip('.')}”",
    ]
    assert areas[1]["strengths"] == [] and areas[1]["limitations"] == []


def test_draft_leaves_out_the_summary_when_nothing_passed(store: Store, plan) -> None:
    so, _ = plan
    findings.record(store, so, "A1.1.1", result=Result.KHONG_DAT, note="Ban hành chậm 2 tháng.")
    findings.record(store, so, "A1.1.2", result=Result.MOT_PHAN, note="  Thiếu  thời hạn ")
    findings.record(store, so, "A2.1.1", result=Result.DAT, note="Đầy đủ, đúng hạn")
    findings.record(store, so, "A2.1.2", result=Result.DAT, note="Đầy đủ, đúng hạn.")
    areas = {a["area"]: a for a in conclusions.draft(store, so)}
    assert areas["A1"]["strengths"] == []
    assert areas["A1"]["limitations"] == [
        "Ban hành chậm 2 tháng",
        "Thiếu thời hạn",
    ]
    assert areas["A2"]["strengths"] == [
        "Thực hiện tốt toàn bộ 2 nội dung được kiểm tra",
        "Đầy đủ, đúng hạn",
    ]
    assert areas["A2"]["limitations"] == []
    # Not applicable items count neither way.
    findings.record(store, so, "A3.1.1", result=Result.KHONG_AP_DUNG, note="Không phát sinh")
    a3 = {a["area"]: a for a in conclusions.draft(store, so)}["A3"]
    assert a3["strengths"] == [] and a3["limitations"] == []


def test_save_conclusion_is_one_row_per_area(store: Store, plan) -> None:
    so, _ = plan
    first = conclusions.save_conclusion(store, so, "A1", strengths=["Tốt", "Rất tốt"])
    again = conclusions.save_conclusion(store, so, "A1", limitations="Còn chậm", causes="Thiếu")
    assert first["id"] == again["id"]
    saved = conclusions.list_conclusions(store, so)
    assert len(saved) == 1
    assert saved[0]["strengths"] == "" and saved[0]["limitations"] == "Còn chậm"
    assert first["strengths"] == "Tốt\nRất tốt"
    from db.store import stable_id

    assert first["id"] == stable_id("conclusion", so, "A1")
    with pytest.raises(UserError):
        conclusions.save_conclusion(store, so, "Z9", strengths="x")


def test_default_deadline_is_visit_date_plus_30(store: Store, plan) -> None:
    so, xa = plan
    store.core.update_row("inspections", so, {"visit_date": "2025-03-20"})
    rec = conclusions.add_recommendation(store, so, "Ban hành kế hoạch kiểm tra")
    assert rec["deadline"] == "2025-04-19"
    assert rec["deadline_text"] == "19/04/2025"
    # no visit date: today + 30
    other = conclusions.add_recommendation(store, xa, "Cập nhật niêm yết")
    assert other["deadline"] == (dt.date.today() + dt.timedelta(days=30)).isoformat()


def test_numbering_item_area_and_explicit_deadline(store: Store, plan) -> None:
    so, xa = plan
    one = conclusions.add_recommendation(store, so, "Một", item_code="A3.2.1", deadline="1/6/2025")
    two = conclusions.add_recommendation(store, so, "Hai", responsible="Văn phòng Sở")
    three = conclusions.add_recommendation(store, so, "Ba")
    first_xa = conclusions.add_recommendation(store, xa, "Một (xã)")
    assert [one["number"], two["number"], three["number"], first_xa["number"]] == [1, 2, 3, 1]
    assert one["item_code"] == "A3.2.1" and one["area_code"] == "A3"
    assert one["deadline"] == "2025-06-01"
    assert two["responsible"] == "Văn phòng Sở" and two["area_code"] is None
    conclusions.delete_recommendation(store, two["id"])
    listed = conclusions.list_recommendations(store, so)
    assert [r["number"] for r in listed] == [1, 3]
    assert all(r["status"] == "mo" for r in listed)


@pytest.mark.parametrize("kwargs", [{"deadline": "30/02/2025"}, {"item_code": "A9.9.9"}])
def test_bad_input_is_refused_and_writes_nothing(store: Store, plan, kwargs) -> None:
    so, _ = plan
    with pytest.raises(UserError):
        conclusions.add_recommendation(store, so, "X", **kwargs)
    with pytest.raises(UserError):
        conclusions.add_recommendation(store, so, "   ")
    assert conclusions.list_recommendations(store, so) == []


def test_update_recommendation(store: Store, plan) -> None:
    so, _ = plan
    rec = conclusions.add_recommendation(store, so, "Một", deadline="01/06/2025")
    changed = conclusions.update_recommendation(store, rec["id"], deadline="15/06/2025")
    assert changed["deadline"] == "2025-06-15" and changed["text"] == "Một"
    with pytest.raises(UserError):
        conclusions.update_recommendation(store, rec["id"], deadline="hôm nay")


def test_cli_conclusion_and_recommendations(kiemtra: Kiemtra, store: Store, plan) -> None:
    so, _ = plan
    findings.record(store, so, "A1.1.3", result=Result.KHONG_DAT, note="Chưa có")
    areas = kiemtra.json("conclusion", "draft", so)
    assert all(set(a) >= {"area", "name", "strengths", "limitations"} for a in areas)
    assert any("Chưa có" in line for line in areas[0]["limitations"])
    store.core.update_row("inspections", so, {"visit_date": "2025-03-20"})
    added = kiemtra.json(
        "recommendation", "add", so, "--text", "Bổ sung kinh phí", "--item", "A1.1.3"
    )
    assert set(added) >= {"id", "number", "deadline"}
    assert added["number"] == 1 and added["deadline"] == "2025-04-19"
    second = kiemtra.json("recommendation", "add", so, "--text", "Hai", "--deadline", "31/12/2025")
    assert second["number"] == 2 and second["deadline"] == "2025-12-31"
    rows = kiemtra.json("recommendations", so)
    assert [r["number"] for r in rows] == [1, 2]
    keys = {"id", "number", "text", "item_code", "area_code", "responsible", "deadline", "status"}
    assert all(set(r) == keys for r in rows)
    bad = kiemtra("recommendation", "add", so, "--text", "X", "--deadline", "32/12/2025", ok=False)
    assert bad.exit_code != 0
    bad = kiemtra("recommendation", "add", so, "--text", "X", "--item", "ZZ", ok=False)
    assert bad.exit_code != 0
    assert len(kiemtra.json("recommendations", so)) == 2


def test_deadline_after_is_the_one_rule() -> None:
    """Every default deadline (recommendations, derived ones in the notice, the demo) comes
    from conclusions.deadline_after: the visit date + 30 days, else today + 30."""
    assert conclusions.deadline_after("2021-06-08") == dt.date(2021, 7, 8)
    assert conclusions.deadline_after("2021-06-08T09:00:00") == dt.date(2021, 7, 8)
    assert conclusions.deadline_after(dt.date(2021, 6, 8), dt.date(2022, 1, 1)) == dt.date(
        2021, 7, 8
    )
    assert conclusions.deadline_after(None, dt.date(2022, 1, 1)) == dt.date(2022, 1, 31)
    assert conclusions.deadline_after("", dt.date(2022, 1, 1)) == dt.date(2022, 1, 31)
