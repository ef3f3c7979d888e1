"""Evidence documents (số, ngày, trích yếu) recorded for a finding appear where the finding is
cited: the minutes' row of the item, the notice's line drawn from it, the compilation's
"Tài liệu kiểm chứng" column. Read back with python-docx and openpyxl."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import docx
import openpyxl

from db import Store
from desktop.reports.context import ReportOptions
from desktop.reports.service import inspection_report, plan_summary
from desktop.services import evidence
from tests.reports.conftest import LONG_NOTE, Sample

OPTS = ReportOptions(number="12", date=dt.date(2021, 1, 5))
BAD_DOC = "Kế hoạch CCHC năm 2021 số 125/KH-UBND ngày 05/01/2021"
GOOD_DOC = "Báo cáo số 17/BC-UBND ngày 20/12/2020"


def _add_docs(store: Store, sample: Sample) -> list[dict[str, Any]]:
    items = [i for i in store.findings.inspection_items(sample.unit) if i["max_score"] > 0]
    evidence.add_evidence(
        store,
        sample.unit,
        items[1]["item_id"],
        number="125/KH-UBND",
        issued_on="5/1/2021",
        summary="Kế hoạch CCHC năm 2021",
    )
    evidence.add_evidence(
        store, sample.unit, items[0]["item_id"], number="17/BC-UBND", issued_on="20/12/2020"
    )
    return items


def test_the_notice_cites_the_evidence_of_its_lines(
    store: Store, sample: Sample, tmp_path: Path
) -> None:
    _add_docs(store, sample)
    inspection_report(store, sample.unit, "ket-luan", "docx", tmp_path / "tb.docx", OPTS)
    text = [p.text for p in docx.Document(str(tmp_path / "tb.docx")).paragraphs]
    limitation = next(p for p in text if LONG_NOTE[:40] in p)
    assert BAD_DOC in limitation
    strength = next(p for p in text if "Kế hoạch ban hành kịp thời" in p)
    assert GOOD_DOC in strength
    assert "Tài liệu kiểm chứng" in strength or "tài liệu kiểm chứng" in strength


def test_the_minutes_cite_the_evidence_in_the_item_row(
    store: Store, sample: Sample, tmp_path: Path
) -> None:
    items = _add_docs(store, sample)
    inspection_report(store, sample.unit, "bien-ban", "docx", tmp_path / "bb.docx", OPTS)
    rows = [
        [c.text for c in row.cells]
        for t in docx.Document(str(tmp_path / "bb.docx")).tables
        for row in t.rows
    ]
    bad = next(r for r in rows if r[0] == items[1]["code"])
    assert any(BAD_DOC in cell for cell in bad), bad
    good = next(r for r in rows if r[0] == items[0]["code"])
    assert any(GOOD_DOC in cell for cell in good), good


def test_the_compilation_fills_the_evidence_column(
    store: Store, sample: Sample, tmp_path: Path
) -> None:
    items = _add_docs(store, sample)
    plan_summary(store, sample.plan, tmp_path / "th.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "th.xlsx")
    sheet = next(ws for ws in wb.worksheets if ws.title.startswith("UBND xã"))
    rows = list(sheet.iter_rows(values_only=True))
    head = next(r for r in rows if r and "Tài liệu kiểm chứng" in r)
    column = head.index("Tài liệu kiểm chứng")
    bad = next(r for r in rows if r[0] == items[1]["code"])
    assert bad[column] == BAD_DOC
    good = next(r for r in rows if r[0] == items[0]["code"])
    assert good[column] == GOOD_DOC
