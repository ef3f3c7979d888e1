"""Issue 17, kinds of inspection as data: kind and mode stored, read from the plan workbook,
offered by the template, listed by `kiemtra inspections --json`; old values mapped."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from db import Store
from db.migrations import STEPS, migration_set
from desktop.domain import InspectionKind, InspectionMode, kind_and_mode, kind_caption
from desktop.services import plan_workbook as pw
from desktop.services.errors import InputFileError
from tests.test_plan_workbook import MEMBERS, PLAN_2021, write_plan

UNITS = [
    [1, "Sở Tư pháp", "Sở/ngành", None, 3, "Qua báo cáo"],
    [2, "Sở Tư pháp", "Sở/ngành", None, None, "Đột xuất"],
    [3, "UBND huyện Mỹ Tú", "Huyện", None, 5, "Tái kiểm tra"],
    [4, "Sở Y tế", "Sở/ngành", None, 6, "Trực tuyến"],
    [5, "Sở Xây dựng", "Sở/ngành", None, 7, None],
]


def test_every_kind_is_read_from_the_workbook(tmp_path: Path, store: Store) -> None:
    path = write_plan(tmp_path / "kinds.xlsx", PLAN_2021, UNITS, MEMBERS)
    summary = pw.import_plan(store, path)
    visits = [
        (v["unit"], v["kind"], v["mode"], v["month"])
        for v in store.planning.inspections(summary["id"])
    ]
    assert visits == [
        ("Sở Tư pháp", "qua-bao-cao", "truc-tiep", 3),
        ("Sở Tư pháp", "dot-xuat", "truc-tiep", None),
        ("UBND huyện Mỹ Tú", "tai-kiem-tra", "truc-tiep", 5),
        ("Sở Y tế", "theo-ke-hoach", "truc-tuyen", 6),
        ("Sở Xây dựng", "theo-ke-hoach", "truc-tiep", 7),
    ]
    # One unit, two visits of the plan: the same unit row (its history follows it).
    ids = {
        v["unit_id"] for v in store.planning.inspections(summary["id"]) if v["unit"] == "Sở Tư pháp"
    }
    assert len(ids) == 1


def test_same_unit_same_kind_twice_is_refused(tmp_path: Path, store: Store) -> None:
    units = [UNITS[0], [2, "sở tư pháp", "Sở/ngành", None, 4, "qua bao cao"]]
    path = write_plan(tmp_path / "dup.xlsx", PLAN_2021, units, MEMBERS)
    with pytest.raises(InputFileError) as caught:
        pw.import_plan(store, path)
    assert "trùng với dòng 2" in str(caught.value)


def test_template_offers_every_kind(tmp_path: Path) -> None:
    path = pw.write_template(tmp_path / "mau.xlsx")
    book = openpyxl.load_workbook(path)
    lists = [v.formula1 for v in book["Đơn vị"].data_validations.dataValidation]
    forms = next(f for f in lists if f and "Trực tuyến" in f)
    for label in ("Trực tiếp", "Trực tuyến", "Đột xuất", "Qua báo cáo", "Tái kiểm tra"):
        assert label in forms
    help_text = "\n".join(str(c.value) for c in book["Hướng dẫn"]["A"] if c.value)
    assert "Qua báo cáo" in help_text and "Tái kiểm tra" in help_text
    assert "không báo trước" in help_text


def test_inspections_json_has_kind_and_mode(tmp_path: Path, kiemtra: Any) -> None:
    path = write_plan(tmp_path / "kinds.xlsx", PLAN_2021, UNITS, MEMBERS)
    kiemtra("plan", "import", str(path))
    rows = kiemtra.json("inspections", "--json")
    assert [(r["kind"], r["mode"]) for r in rows][:3] == [
        ("qua-bao-cao", "truc-tiep"),
        ("dot-xuat", "truc-tiep"),
        ("tai-kiem-tra", "truc-tiep"),
    ]
    assert {r["kind"] for r in rows} <= {k.value for k in InspectionKind}
    assert {r["mode"] for r in rows} <= {m.value for m in InspectionMode}


def test_old_report_mode_becomes_the_report_kind(tmp_path: Path) -> None:
    """A database of the earlier schema kept "qua báo cáo" as a mode: m009 maps it."""
    path = tmp_path / "old.sqlite"
    import sqlite_utils

    db = sqlite_utils.Database(path)
    before = [fn.__name__ for fn in STEPS if fn.__name__ != "m009_inspection_kinds"]
    migration_set(before).apply(db)
    con: sqlite3.Connection = db.conn
    con.execute("PRAGMA foreign_keys = OFF")
    con.execute(
        "INSERT INTO inspections (id, plan_id, unit_id, unit_name, unit_level, kind, mode, "
        "hlc, origin) VALUES ('i1', 'p', 'u', 'Sở A', 'so', 'theo-ke-hoach', 'qua-bao-cao', "
        "'h', 'o')"
    )
    con.commit()
    migration_set().apply(db)
    assert con.execute("SELECT kind, mode FROM inspections").fetchone() == (
        "qua-bao-cao",
        "truc-tiep",
    )


def test_a_row_from_an_older_laptop_reads_with_todays_kind(store: Store) -> None:
    with store.transaction():
        plan = store.planning.create_plan({"number": "1", "year": 2021, "issuer": "UBND"})
        unit = store.planning.ensure_unit("Sở A", "so", None)
        insp = store.planning.create_inspection(
            {
                "plan_id": plan,
                "unit_id": unit,
                "unit_name": "Sở A",
                "unit_level": "so",
                "mode": "qua-bao-cao",
            }
        )
    (row,) = store.planning.inspections(plan)
    assert (row["kind"], row["mode"]) == ("qua-bao-cao", "truc-tiep")
    one = store.planning.inspection(insp)
    assert one is not None and (one["kind"], one["mode"]) == ("qua-bao-cao", "truc-tiep")


def test_kind_caption() -> None:
    assert kind_caption("theo-ke-hoach", "truc-tiep") == ""
    assert kind_caption("dot-xuat", "truc-tiep") == "Đột xuất"
    assert kind_caption("theo-ke-hoach", "truc-tuyen") == "Trực tuyến"
    assert kind_caption("tai-kiem-tra", "truc-tuyen") == "Tái kiểm tra trực tuyến"
    assert kind_caption("theo-ke-hoach", "qua-bao-cao") == "Qua báo cáo"
    assert kind_and_mode("x", None) == (InspectionKind.THEO_KE_HOACH, InspectionMode.TRUC_TIEP)
    assert InspectionKind.from_label("Qua báo cáo") is InspectionKind.QUA_BAO_CAO
