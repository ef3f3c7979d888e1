"""Excel a secretary hands on as is: title rows naming the plan, A4 landscape fitted to the
width with the header row repeated on every printed page, margins, frozen panes under the
header; the cells read back with their types (numbers are numbers, codes and notes text)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from db import Store
from desktop.reports import compilation_xlsx
from desktop.reports.reminders import write_escalation_xlsx
from desktop.reports.service import plan_summary
from desktop.services import conclusions, reminders
from tests.reports.conftest import DIACRITICS_UNIT, Sample


def _header_row(ws: Any, first: str) -> int:
    for row in ws.iter_rows(min_row=1, max_row=10):
        if row[0].value == first:
            return int(row[0].row)
    raise AssertionError(f"no header row in {ws.title}")


def _print_ready(ws: Any, header: int, freeze: str) -> None:
    assert ws.page_setup.orientation == "landscape"
    assert str(ws.page_setup.paperSize) == "9"  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows.replace("$", "") == f"{header}:{header}"
    assert ws.freeze_panes == f"{freeze}{header + 1}"
    margins = ws.page_margins
    assert (margins.left, margins.right, margins.top, margins.bottom) == pytest.approx(
        compilation_xlsx.MARGINS
    )
    assert "&P" in (ws.oddFooter.center.text or "")  # page numbers


def test_summary_sheet_is_ready_to_print(store: Store, sample: Sample, tmp_path: Path) -> None:
    plan_summary(store, sample.plan, tmp_path / "th.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "th.xlsx")
    ws = wb["Tổng hợp"]
    assert "TỔNG HỢP KẾT QUẢ KIỂM TRA CÔNG TÁC CẢI CÁCH HÀNH CHÍNH NĂM 2021" == ws["A1"].value
    assert "Kế hoạch số 21/KH-UBND ngày 02/02/2021" in ws["A2"].value
    assert any(str(r).startswith("A1:") for r in ws.merged_cells.ranges)
    header = _header_row(ws, "TT")
    assert header > 2
    _print_ready(ws, header, "C")
    head = [c.value for c in ws[header]]
    # the heading row is tall enough for its longest wrapped heading (4 lines and more)
    assert ws.row_dimensions[header].height >= 4 * compilation_xlsx.LINE_HEIGHT
    unit = next(r for r in ws.iter_rows(min_row=header + 1) if r[1].value == DIACRITICS_UNIT)
    values = {h: c.value for h, c in zip(head, unit, strict=True)}
    assert isinstance(values["TT"], int) and isinstance(values["Đơn vị"], str)
    assert isinstance(values["Tổng điểm"], float) and isinstance(values["Tỷ lệ (%)"], float)
    assert isinstance(values["Tháng"], int)
    assert ws.auto_filter.ref.startswith(f"A{header}:")


def test_unit_sheets_are_ready_to_print(store: Store, sample: Sample, tmp_path: Path) -> None:
    plan_summary(store, sample.plan, tmp_path / "th.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "th.xlsx")
    ws = next(s for s in wb.worksheets if s.title.startswith("UBND xã"))
    assert ws["A1"].value == f"KẾT QUẢ KIỂM TRA: {DIACRITICS_UNIT.upper()}"
    assert "Kế hoạch số 21/KH-UBND" in ws["A2"].value
    header = _header_row(ws, "Mã")
    _print_ready(ws, header, "A")
    rows = list(ws.iter_rows(min_row=header + 1, values_only=True))
    scored = [r for r in rows if r[3] is not None]
    assert scored and all(isinstance(r[0], str) for r in rows)
    assert all(isinstance(r[3], int | float) and isinstance(r[4], int | float) for r in scored)


def test_escalation_sheet_is_ready_to_print(store: Store, sample: Sample, tmp_path: Path) -> None:
    conclusions.add_recommendation(store, sample.unit, "Ban hành quy chế", deadline="1/2/2021")
    rows = reminders.escalation(store, today=dt.date(2021, 3, 1))
    path = write_escalation_xlsx(rows, tmp_path / "cham.xlsx", today=dt.date(2021, 3, 1))
    ws = openpyxl.load_workbook(path).active
    header = _header_row(ws, "TT")
    _print_ready(ws, header, "A")
    row = [c.value for c in ws[header + 1]]
    assert row[1] == DIACRITICS_UNIT and isinstance(row[4], int)
    assert isinstance(row[7], dt.datetime)  # a date cell, not text
