"""Issue 17: a second shipped checklist for the two-level local government (from 1 July
2025), chosen by the plan's date and the unit's level; both editable as before."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from db import Store
from desktop.domain import InspectionKind, UnitLevel
from desktop.services.checklist_workbook import export_checklist, read_checklist
from desktop.services.checklists import (
    TWO_LEVEL_FILE,
    default_version_id,
    load_default,
    validate,
)
from desktop.services.plans import PlanSpec, UnitSpec, add_inspection, create_plan

OLD = default_version_id(load_default())
NEW = default_version_id(load_default(TWO_LEVEL_FILE))


def codes(store: Store, inspection_id: str) -> set[str]:
    return {i["code"] for i in store.findings.inspection_items(inspection_id)}


def plan(store: Store, year: int, issued: dt.date | None, units: list[UnitSpec]) -> dict[str, str]:
    plan_id = create_plan(
        store, PlanSpec(f"{year}/KH", year, "UBND tỉnh Đồng Nai", issued, units=units)
    )
    return {i["unit"]: i for i in store.planning.inspections(plan_id)}  # type: ignore[misc]


def test_the_two_level_checklist_is_sound() -> None:
    data = load_default(TWO_LEVEL_FILE)
    assert validate(data) == []
    items = [i for a in data["areas"] for c in a["criteria"] for i in c["items"]]
    assert all("H" not in i["levels"] for i in items)  # no districts after 1/7/2025
    centre = [i for i in items if i["code"].startswith("A3.5.")]
    assert centre and all(i["levels"] == ["X"] for i in centre)
    assert any("118/2025" in i["legal_basis"] for i in centre)
    assert any(
        i["code"].startswith("A3.6.") and "S" in i["levels"] for i in items
    )  # kiểm soát TTHC


def test_chosen_by_plan_date_and_unit_level(store: Store) -> None:
    before = plan(
        store,
        2024,
        dt.date(2024, 2, 2),
        [UnitSpec("Sở Y tế", UnitLevel.SO, 5), UnitSpec("UBND huyện Tân Phú", UnitLevel.HUYEN, 6)],
    )
    assert {v["checklist_version_id"] for v in before.values()} == {OLD}
    after = plan(
        store,
        2025,
        dt.date(2025, 8, 1),
        [
            UnitSpec("Sở Y tế", UnitLevel.SO, 9),
            UnitSpec("UBND phường Trấn Biên", UnitLevel.XA, 9),
        ],
    )
    assert {v["checklist_version_id"] for v in after.values()} == {NEW}
    commune = codes(store, after["UBND phường Trấn Biên"]["id"])
    department = codes(store, after["Sở Y tế"]["id"])
    assert {"A3.5.1", "A3.6.1"} <= commune
    assert "A3.6.1" in department and "A3.5.1" not in department
    early_2025 = plan(store, 2025, dt.date(2025, 2, 10), [UnitSpec("Sở Xây dựng", UnitLevel.SO, 4)])
    assert early_2025["Sở Xây dựng"]["checklist_version_id"] == OLD
    # A visit added on site follows its plan's era too.
    plan_id = after["Sở Y tế"]["plan_id"]
    row = add_inspection(store, plan_id, "UBND xã Phú Lý", "Xã", InspectionKind.DOT_XUAT)
    assert row["checklist_version_id"] == NEW
    # Both stay editable: the user's own checklist, once imported, is the one in force.
    path = export_checklist(store, Path(store.path).parent / "tieu-chi.xlsx", NEW)  # type: ignore[arg-type]
    mine = store.checklists.import_checklist(read_checklist(path), source="tieu-chi.xlsx")
    later = plan(store, 2026, dt.date(2026, 1, 5), [UnitSpec("Sở Nội vụ", UnitLevel.SO, 3)])
    assert later["Sở Nội vụ"]["checklist_version_id"] == mine
