"""Text typed by users is written as text in every workbook the app writes, and read back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl

from db import Store
from desktop.domain import Result, UnitLevel
from desktop.reports.reminders import write_escalation_xlsx
from desktop.reports.service import plan_summary
from desktop.services import findings, plan_workbook
from desktop.services import selfassessment_workbook as sa
from desktop.services.plans import PlanSpec, UnitSpec, create_plan
from desktop.services.workbook_io import save_workbook

LINK = '=HYPERLINK("http://evil.example/x","Bấm vào đây")'
NOTES = [LINK, "=1+1", "+84 299 3821 234", "-Thiếu kế hoạch", "@Văn phòng"]
UNIT = "UBND huyện Mỹ Tú"


def _plan(store: Store) -> tuple[str, str]:
    plan = create_plan(
        store,
        PlanSpec(
            "21/KH-UBND",
            2021,
            "Ủy ban nhân dân tỉnh Sóc Trăng",
            province="Sóc Trăng",
            units=[UnitSpec(UNIT, UnitLevel.HUYEN, 8)],
        ),
    )
    return plan, str(store.planning.inspections(plan)[0]["id"])


def _cells(path: Path) -> list[Any]:
    book = openpyxl.load_workbook(path)  # formulas as formulas (data_type "f")
    return [c for ws in book.worksheets for row in ws.iter_rows() for c in row]


def _assert_text(path: Path, texts: list[str]) -> None:
    cells = _cells(path)
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    found = {c.value for c in cells if c.data_type == "s"}
    assert set(texts) <= found, set(texts) - found


def test_form_with_formula_like_notes_round_trips(store: Store, tmp_path: Path) -> None:
    _, visit = _plan(store)
    codes = [i["code"] for i in store.findings.inspection_items(visit)][: len(NOTES)]
    for code, note in zip(codes, NOTES, strict=True):
        findings.record(store, visit, code, result=Result.KHONG_DAT, note=note)
    path = sa.write_form(store, visit, tmp_path / "phieu.xlsx")
    _assert_text(path, NOTES)
    # The app takes its own form back: nothing refused, nothing changed.
    assert sa.import_form(store, visit, path, "inspector")["updated"] == 0
    notes = {i["code"]: i["note"] for i in store.findings.inspection_items(visit)}
    assert [notes[c] for c in codes] == NOTES


def test_summary_writes_notes_as_text(store: Store, tmp_path: Path) -> None:
    plan, visit = _plan(store)
    codes = [i["code"] for i in store.findings.inspection_items(visit)][: len(NOTES)]
    for code, note in zip(codes, NOTES, strict=True):
        findings.record(store, visit, code, result=Result.MOT_PHAN, note=note)
    out = tmp_path / "th.xlsx"
    plan_summary(store, plan, out)
    _assert_text(out, NOTES)


def test_plan_template_and_escalation_write_text(tmp_path: Path) -> None:
    spec = PlanSpec(
        "=1+1",
        2021,
        "Ủy ban nhân dân tỉnh Sóc Trăng",
        issued_on=dt.date(2021, 2, 2),
        province="Sóc Trăng",
        title=LINK,
        units=[UnitSpec("=UBND xã A", UnitLevel.XA, 8)],
    )
    path = plan_workbook.write_template(tmp_path / "kh.xlsx", spec)
    _assert_text(path, ["=1+1", LINK, "=UBND xã A"])
    back = plan_workbook.read_plan(path, [])
    assert (back.number, back.title, back.units[0].name) == ("=1+1", LINK, "=UBND xã A")

    rows = [
        {
            "unit": LINK,
            "plan_number": "=2+2",
            "year": 2021,
            "overdue": 1,
            "rejected": 0,
            "total": 1,
            "oldest_deadline": "2021-01-05",
            "max_days_overdue": 3,
            "numbers": [1],
        }
    ]
    out = write_escalation_xlsx(rows, tmp_path / "dd.xlsx", today=dt.date(2021, 1, 8))
    _assert_text(out, [LINK, "=2+2"])


def test_save_workbook_never_writes_a_formula(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["=SUM(1,2)", "text"])
    book.active["C1"] = "=A1"
    _assert_text(save_workbook(book, tmp_path / "x.xlsx"), ["=SUM(1,2)", "=A1"])
