"""Issue 17: amending a loaded plan (`plan import --update`) and adding a visit on site
(`inspection add`): ordinary local writes, never losing recorded work."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from db import Store
from desktop.services import plan_workbook as pw
from desktop.services.errors import UserError
from desktop.services.findings import record_changes
from desktop.services.plans import add_inspection
from tests.test_plan_workbook import MEMBERS, PLAN_2021, UNITS_2021, snapshot, write_plan


def plan_file(tmp_path: Path, name: str, units: list[list[Any]], members: Any = None) -> Path:
    return write_plan(tmp_path / name, PLAN_2021, units, MEMBERS if members is None else members)


def visits(store: Store, plan_id: str) -> dict[tuple[str, str], dict[str, Any]]:
    return {(v["unit"], v["kind"]): v for v in store.planning.inspections(plan_id)}


def record_one(store: Store, inspection_id: str) -> None:
    item = store.findings.inspection_items(inspection_id)[0]
    record_changes(store, inspection_id, item, {"note": "Đã xem hồ sơ lưu"})


def test_update_adds_units_members_dates_and_kinds(tmp_path: Path, store: Store) -> None:
    first = pw.import_plan(store, plan_file(tmp_path, "v1.xlsx", UNITS_2021))
    before = visits(store, first["id"])
    record_one(store, before[("Sở Y tế", "theo-ke-hoach")]["id"])
    units = [
        [*UNITS_2021[0][:4], 7, "Trực tiếp", "15/07/2021"],  # month and date changed
        *UNITS_2021[1:],
        [5, "Sở Y tế", "Sở/ngành", None, 3, "Qua báo cáo"],  # a second kind for one unit
        [6, "UBND xã Phước Thạnh", "Xã", None, None, "Đột xuất"],
    ]
    members = [*MEMBERS, ["Ngô Văn Hòa", "Chuyên viên", "Sở Tư pháp", "Thành viên", "A2"]]
    summary = pw.import_plan(store, plan_file(tmp_path, "v2.xlsx", units, members), update=True)
    assert summary["id"] == first["id"]
    assert summary["added"] == ["Sở Y tế", "UBND xã Phước Thạnh"]
    assert summary["changed"] == ["Sở Y tế"] and summary["removed"] == []
    assert summary["members_added"] == ["Ngô Văn Hòa"]
    after = visits(store, first["id"])
    so = after[("Sở Y tế", "theo-ke-hoach")]
    assert so["id"] == before[("Sở Y tế", "theo-ke-hoach")]["id"]  # the same visit, amended
    assert (so["month"], so["visit_date"]) == (7, "2021-07-15")
    assert so["done"] == 1  # recorded work kept
    assert after[("Sở Y tế", "qua-bao-cao")]["unit_id"] == so["unit_id"]
    assert after[("UBND xã Phước Thạnh", "dot-xuat")]["month"] is None
    assert len(store.planning.members(first["id"])) == 4
    # The same file again changes nothing.
    stamps = snapshot(store)
    again = pw.import_plan(store, plan_file(tmp_path, "v3.xlsx", units, members), update=True)
    assert again["added"] == again["changed"] == []
    assert {k: v for k, v in snapshot(store).items() if k != "audit_log"} == {
        k: v for k, v in stamps.items() if k != "audit_log"
    }


def test_import_again_without_update_points_to_update(tmp_path: Path, kiemtra: Any) -> None:
    path = plan_file(tmp_path, "v1.xlsx", UNITS_2021)
    kiemtra("plan", "import", str(path))
    result = kiemtra("plan", "import", str(path), ok=False)
    assert "--update" in result.output
    missing = write_plan(tmp_path / "x.xlsx", {**PLAN_2021, "Số kế hoạch": "99/KH"}, UNITS_2021, [])
    result = kiemtra("plan", "import", str(missing), "--update", ok=False)
    assert "Chưa có kế hoạch số 99/KH năm 2021" in result.output


def test_update_lists_removals_and_refuses_without_allow_remove(
    tmp_path: Path, store: Store
) -> None:
    first = pw.import_plan(store, plan_file(tmp_path, "v1.xlsx", UNITS_2021))
    fewer = plan_file(tmp_path, "v2.xlsx", UNITS_2021[:3], MEMBERS[:2])
    stamps = snapshot(store)
    with pytest.raises(UserError) as caught:
        pw.import_plan(store, fewer, update=True)
    assert "Chi cục Dân số" in str(caught.value) and "Phan Thị Mỹ Duyên" in str(caught.value)
    assert "--allow-remove" in str(caught.value)
    assert snapshot(store) == stamps
    summary = pw.import_plan(store, fewer, update=True, allow_remove=True)
    assert summary["removed"] == ["Chi cục Dân số"]
    assert summary["members_removed"] == ["Phan Thị Mỹ Duyên"]
    assert ("Chi cục Dân số", "theo-ke-hoach") not in visits(store, first["id"])


def test_update_never_removes_recorded_work(tmp_path: Path, store: Store) -> None:
    first = pw.import_plan(store, plan_file(tmp_path, "v1.xlsx", UNITS_2021))
    record_one(store, visits(store, first["id"])[("Chi cục Dân số", "theo-ke-hoach")]["id"])
    fewer = plan_file(tmp_path, "v2.xlsx", UNITS_2021[:3])
    with pytest.raises(UserError, match="không bao giờ xóa kết quả đã ghi nhận"):
        pw.import_plan(store, fewer, update=True, allow_remove=True)
    assert ("Chi cục Dân số", "theo-ke-hoach") in visits(store, first["id"])


def test_inspection_add_on_site(tmp_path: Path, kiemtra: Any) -> None:
    kiemtra("plan", "import", str(plan_file(tmp_path, "v1.xlsx", UNITS_2021)))
    (plan,) = kiemtra.json("plans", "--json")
    row = kiemtra.json(
        "inspection", "add", "--plan", plan["id"], "--unit", "UBND phường 5",
        "--level", "Phường", "--kind", "dot-xuat", "--date", "12/09/2021", "--json",
    )  # fmt: skip
    assert (row["unit_name"], row["unit_level"], row["level_name"]) == (
        "UBND phường 5",
        "xa",
        "Phường",
    )
    assert (row["kind"], row["month"], row["visit_date"]) == ("dot-xuat", 9, "2021-09-12")
    desk = kiemtra.json(
        "inspection", "add", "--plan", plan["id"], "--unit", "Bộ phận Một cửa huyện Mỹ Tú",
        "--level", "Bộ phận Một cửa", "--parent", "UBND huyện Mỹ Tú", "--kind", "Đột xuất",
        "--json",
    )  # fmt: skip
    assert desk["unit_level"] == "huyen"  # judged as the district it belongs to
    listed = {r["id"]: r for r in kiemtra.json("inspections", "--json")}
    assert listed[desk["id"]]["parent_id"] == next(
        r["id"] for r in listed.values() if r["unit"] == "UBND huyện Mỹ Tú"
    )
    for args, message in (
        (("--level", "Bộ"), "Cấp đơn vị không hợp lệ"),
        (("--level", "Xã", "--kind", "bat-ngo"), "Loại kiểm tra không hợp lệ"),
        (("--level", "Xã", "--parent", "Không ai"), "không có đơn vị “Không ai”"),
        (("--level", "Xã", "--reinspects", desk["id"]), "tái kiểm tra"),
    ):
        full = ["--kind", "dot-xuat", *args] if "--kind" not in args else list(args)
        result = kiemtra(
            "inspection", "add", "--plan", plan["id"], "--unit", "UBND xã A", *full, ok=False
        )
        assert message in result.output, result.output
    result = kiemtra(
        "inspection", "add", "--plan", plan["id"], "--unit", "UBND phường 5",
        "--level", "Phường", "--kind", "dot-xuat", ok=False,
    )  # fmt: skip
    assert "đã có cuộc kiểm tra “Đột xuất” tại UBND phường 5" in result.output


def test_add_inspection_keeps_the_name_it_had(tmp_path: Path, store: Store) -> None:
    first = pw.import_plan(store, plan_file(tmp_path, "v1.xlsx", UNITS_2021))
    row = add_inspection(store, first["id"], "UBND xã Mỹ Hương", "Xã", "dot-xuat")
    store.core.update_row("units", row["unit_id"], {"name": "UBND xã Mỹ Hương mới"})
    assert store.planning.inspection(row["id"])["unit_name"] == "UBND xã Mỹ Hương"  # type: ignore[index]
