"""Issue 17: units as a tree of any depth, with the level names users write, each judged at
a checklist level (desktop/domain.py); a unit keeps the name it had when inspected."""

from __future__ import annotations

from pathlib import Path

import pytest

from db import Store
from desktop.domain import LEVEL_NAMES, UnitLevel, level_name
from desktop.services import plan_workbook as pw
from tests.test_plan_workbook import MEMBERS, PLAN_2021, write_plan

HANOI_2021 = {
    **PLAN_2021,
    "Số kế hoạch": "86/KH-UBND",
    "Cơ quan ban hành": "Ủy ban nhân dân thành phố Hà Nội",
    "Tỉnh/Thành phố": "Hà Nội",
}
TREE = [
    [1, "Sở Tài chính", "Sở/ngành", None, 5, "Trực tiếp"],
    [2, "Chi cục Tài chính doanh nghiệp", "Chi cục", "Sở Tài chính", None, None],
    [3, "Phòng Hành chính - Tổng hợp", "Phòng/Ban", "Chi cục Tài chính doanh nghiệp", None, None],
    [4, "UBND quận Hoàn Kiếm", "Quận", None, 6, "Trực tiếp"],
    [5, "UBND phường Hàng Trống", "Phường", "UBND quận Hoàn Kiếm", None, None],
    [
        6,
        "Bộ phận Một cửa phường Hàng Trống",
        "Bộ phận Một cửa",
        "UBND phường Hàng Trống",
        None,
        None,
    ],
    [
        7,
        "Bộ phận Một cửa UBND quận Hoàn Kiếm",
        "Bộ phận Một cửa",
        "UBND quận Hoàn Kiếm",
        None,
        None,
    ],
    [8, "UBND thị xã Sơn Tây", "Thị xã", None, 7, "Trực tuyến"],
]


def test_every_level_name_maps_to_a_checklist_level() -> None:
    assert {n.checklist_level() for n in LEVEL_NAMES} <= set(UnitLevel)
    assert level_name("quan").checklist_level() is UnitLevel.HUYEN
    assert level_name("Thành phố thuộc tỉnh").checklist_level() is UnitLevel.HUYEN
    assert level_name("dac khu").checklist_level() is UnitLevel.XA
    assert level_name("Phòng").checklist_level() is UnitLevel.DVSN
    desk = level_name("Bộ phận Một cửa")
    assert desk.checklist_level(UnitLevel.HUYEN) is UnitLevel.HUYEN
    assert desk.checklist_level() is UnitLevel.XA
    assert level_name("diem tiep cong dan").label == "Điểm tiếp công dân"
    assert level_name("Địa điểm giải quyết TTHC").checklist_level(UnitLevel.SO) is UnitLevel.SO
    with pytest.raises(ValueError):
        level_name("Bộ")


def test_three_levels_deep_with_the_words_users_write(tmp_path: Path, store: Store) -> None:
    path = write_plan(tmp_path / "hanoi.xlsx", HANOI_2021, TREE, MEMBERS)
    summary = pw.import_plan(store, path)
    visits = {v["unit"]: v for v in store.planning.inspections(summary["id"])}
    phong = visits["Phòng Hành chính - Tổng hợp"]
    chi_cuc = visits["Chi cục Tài chính doanh nghiệp"]
    assert phong["parent_id"] == chi_cuc["id"]
    assert chi_cuc["parent_id"] == visits["Sở Tài chính"]["id"]
    assert (phong["level"], phong["level_name"], phong["month"]) == ("dvsn", "Phòng/Ban", 5)
    desk = visits["Bộ phận Một cửa phường Hàng Trống"]
    assert desk["parent_id"] == visits["UBND phường Hàng Trống"]["id"]
    assert (desk["level"], desk["month"]) == ("xa", 6)  # judged as the phường it belongs to
    assert visits["Bộ phận Một cửa UBND quận Hoàn Kiếm"]["level"] == "huyen"
    assert (
        visits["UBND quận Hoàn Kiếm"]["level"],
        visits["UBND quận Hoàn Kiếm"]["level_name"],
    ) == (
        "huyen",
        "Quận",
    )
    assert visits["UBND thị xã Sơn Tây"]["level_name"] == "Thị xã"
    unit = store.core.get_row("units", phong["unit_id"])
    assert unit is not None and unit["level_name"] == "Phòng/Ban"
    assert unit["parent_id"] == chi_cuc["unit_id"]
    # Renamed or merged later (2025): the inspection keeps the name it had.
    store.core.update_row(
        "units", visits["UBND phường Hàng Trống"]["unit_id"], {"name": "Phường Hoàn Kiếm"}
    )
    again = {v["id"]: v for v in store.planning.inspections(summary["id"])}
    assert again[visits["UBND phường Hàng Trống"]["id"]]["unit"] == "UBND phường Hàng Trống"
