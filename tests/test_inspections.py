"""One visit's lifecycle: visit date and place, status transitions, conflicted items."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from db import Store
from desktop.domain import Result
from desktop.services import conclusions, findings, inspections
from desktop.services.errors import UserError
from tests.conftest import Kiemtra
from tests.recording_helpers import item_id, small_plan


@pytest.fixture
def plan(store: Store) -> tuple[str, str]:
    return small_plan(store)


def audit_actions(store: Store, inspection_id: str) -> list[dict[str, object]]:
    return [
        {"action": e["action"], **json.loads(e["new"] or "{}")}
        for e in store.core.history("inspections", inspection_id)
    ]


def test_set_visit_date_and_place_is_audited(store: Store, plan) -> None:
    so, _ = plan
    row = inspections.set_visit(store, so, dt.date(2025, 3, 20), place="  Sở Y tế, phòng họp  ")
    assert row["visit_date"] == "2025-03-20" and row["visit_date_text"] == "20/03/2025"
    assert row["place"] == "Sở Y tế, phòng họp" and row["unit"] == "Sở Y tế"
    # None leaves a field as it is.
    again = inspections.set_visit(store, so, place="Hội trường")
    assert again["visit_date"] == "2025-03-20" and again["place"] == "Hội trường"
    assert store.planning.inspection(so)["place"] == "Hội trường"
    assert audit_actions(store, so)[-1] == {"action": "update", "place": "Hội trường"}
    with pytest.raises(UserError):
        inspections.set_visit(store, "khong-co", dt.date(2025, 3, 20))


def test_lifecycle_transitions(store: Store, plan) -> None:
    so, xa = plan
    assert store.planning.inspection(so)["status"] == "chua-kiem-tra"
    with pytest.raises(UserError, match="chưa bắt đầu"):
        inspections.mark_concluded(store, so)
    with pytest.raises(UserError, match="chưa bắt đầu"):
        inspections.finish_visit(store, so)
    assert store.planning.inspection(so)["status"] == "chua-kiem-tra"

    findings.record(store, so, "A1.1.1", result=Result.DAT)
    assert store.planning.inspection(so)["status"] == "dang-kiem-tra"
    done = inspections.finish_visit(store, so)
    assert done["status"] == "da-kiem-tra" and done["status_label"] == "Đã kiểm tra"
    concluded = inspections.mark_concluded(store, so)
    assert concluded["status"] == "da-ket-luan" and concluded["status_label"] == "Đã kết luận"
    assert inspections.mark_concluded(store, so)["status"] == "da-ket-luan"  # no-op
    with pytest.raises(UserError, match="đã kết luận"):
        inspections.finish_visit(store, so)
    reopened = inspections.reopen(store, so)
    assert reopened["status"] == "dang-kiem-tra"
    statuses = [e.get("status") for e in audit_actions(store, so) if "status" in e]
    assert statuses == ["da-kiem-tra", "da-ket-luan", "dang-kiem-tra"]

    # Reopening a visit never started starts it, dated today.
    started = inspections.reopen(store, xa)
    assert started["status"] == "dang-kiem-tra"
    assert started["visit_date"] == dt.date.today().isoformat()


def test_first_finding_dates_the_visit_and_deadline_follows(store: Store, plan) -> None:
    so, xa = plan
    assert store.planning.inspection(so)["visit_date"] is None
    findings.record(store, so, "A1.1.1", note="Chưa ban hành")  # a note is an inspector field
    today = dt.date.today()
    assert store.planning.inspection(so)["visit_date"] == today.isoformat()
    assert conclusions.default_deadline(store, so) == today + dt.timedelta(days=30)

    # A dated visit keeps its date; the deadline counts from it.
    inspections.set_visit(store, xa, dt.date(2021, 6, 8))
    findings.record(store, xa, "A1.1.1", result=Result.DAT)
    assert store.planning.inspection(xa)["visit_date"] == "2021-06-08"
    assert conclusions.default_deadline(store, xa) == dt.date(2021, 7, 8)
    rec = conclusions.add_recommendation(store, xa, "Ban hành kế hoạch")
    assert rec["deadline"] == "2021-07-08"


def test_unit_self_assessment_does_not_date_the_visit(store: Store, plan) -> None:
    so, _ = plan
    store.findings.set_finding(so, item_id(store, so, "A1.1.1"), {"self_result": "dat"})
    insp = store.planning.inspection(so)
    assert insp["visit_date"] is None and insp["status"] == "chua-kiem-tra"


def test_conflicted_item_ids(store: Store, plan) -> None:
    so, xa = plan
    a111, a112 = item_id(store, so, "A1.1.1"), item_id(store, so, "A1.1.2")
    first = findings.record(store, so, "A1.1.1", result=Result.DAT)
    findings.record(store, so, "A1.1.2", result=Result.DAT)
    findings.record(store, so, "A1.1.1", note="Máy này sửa")
    assert inspections.conflicted_item_ids(store, so) == set()
    # Another laptop edited the same first version of A1.1.1.
    wall = int(first["hlc"].split(".")[0]) + 1
    theirs = {
        **store.core.get_row("findings", first["id"]),
        "note": "Máy kia sửa",
        "hlc": f"{wall:013d}.00000.may-kia",
        "origin": "may-kia",
        "base_hlc": first["hlc"],
    }
    with store.transaction():
        assert store.sync.merge.merge_version("findings", theirs) == "conflict"
    assert inspections.conflicted_item_ids(store, so) == {a111}
    assert a112 not in inspections.conflicted_item_ids(store, so)
    assert inspections.conflicted_item_ids(store, xa) == set()


def test_cli_inspection_set(kiemtra: Kiemtra, store: Store, plan) -> None:
    so, _ = plan
    store.close()
    row = kiemtra.json("inspection", "set", so, "--date", "08/06/2021", "--place", "Sóc Trăng")
    assert row["visit_date"] == "2021-06-08" and row["place"] == "Sóc Trăng"
    refused = kiemtra("inspection", "set", so, "--status", "da-ket-luan", ok=False)
    assert refused.exit_code != 0 and "chưa bắt đầu" in refused.output
    assert kiemtra("inspection", "set", so, "--date", "32/13/2021", ok=False).exit_code != 0
    kiemtra("finding", "set", so, "A1.1.1", "--result", "dat")
    row = kiemtra.json("inspection", "set", so, "--status", "da-kiem-tra")
    assert row["status"] == "da-kiem-tra" and row["visit_date"] == "2021-06-08"
    out = kiemtra("inspection", "set", so, "--status", "da-ket-luan").output
    assert "Đã kết luận" in out and "08/06/2021" in out
    listed = {i["id"]: i for i in kiemtra.json("inspections")}
    assert listed[so]["status"] == "da-ket-luan"
    # A refused status change leaves the date untouched (one transaction).
    bad = kiemtra(
        "inspection", "set", plan[1], "--date", "01/01/2020", "--status", "da-kiem-tra", ok=False
    )
    assert bad.exit_code != 0
    check = Store.open(kiemtra.db_path, read_only=True)
    try:
        assert check.planning.inspection(plan[1])["visit_date"] is None
        assert check.planning.inspection(plan[1])["status"] == "chua-kiem-tra"
    finally:
        check.close()
