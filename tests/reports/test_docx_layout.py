"""DOCX laid out as intended by any client: grid widths as the cell widths, signature rows that
never split and the paragraph before them kept with them (read back with python-docx)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn

from db import Store
from desktop.reports import reminders as drawing
from desktop.reports.context import ReportOptions
from desktop.reports.service import inspection_report, plan_report
from desktop.services import reminders
from tests.reports.conftest import Sample

OPTS = ReportOptions(number="12", date=dt.date(2021, 1, 5))
SIGNATURE_TITLES = ("TRƯỞNG ĐOÀN", "GIÁM ĐỐC")


def _documents(store: Store, sample: Sample, tmp_path: Path) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for kind in ("bien-ban", "ket-luan"):
        path = tmp_path / f"{kind}.docx"
        inspection_report(store, sample.unit, kind, "docx", path, OPTS)
        out[kind] = docx.Document(str(path))
    path = tmp_path / "bao-cao.docx"
    plan_report(store, sample.plan, "docx", path, OPTS)
    out["bao-cao"] = docx.Document(str(path))
    store.core.insert_row(
        "recommendations",
        {"inspection_id": sample.unit, "number": 1, "text": "Ban hành", "deadline": "2021-01-01"},
    )
    letter = reminders.reminder_letter(store, sample.unit, today=dt.date(2021, 3, 1))
    out["don-doc"] = docx.Document(
        str(drawing.write_reminder(letter, "docx", tmp_path / "dd.docx"))
    )
    return out


def test_grid_columns_are_the_intended_widths(store: Store, sample: Sample, tmp_path: Path) -> None:
    for name, document in _documents(store, sample, tmp_path).items():
        unequal = 0
        for table in document.tables:
            grid = [int(g.get(qn("w:w"))) for g in table._tbl.tblGrid.findall(qn("w:gridCol"))]
            cells = [int(tc.tcPr.tcW.get(qn("w:w"))) for tc in table._tbl.tr_lst[0].tc_lst]
            assert len(grid) == len(cells), name
            assert all(abs(g - c) <= 2 for g, c in zip(grid, cells, strict=True)), (name, grid)
            unequal += len(set(grid)) > 1
        assert unequal, name  # the header (40/60) and the data tables are not equal columns


def test_signature_rows_never_split(store: Store, sample: Sample, tmp_path: Path) -> None:
    for name, document in _documents(store, sample, tmp_path).items():
        body = document.element.body
        signature = [
            t
            for t in document.tables
            if any(
                title in c.text for row in t.rows for c in row.cells for title in SIGNATURE_TITLES
            )
        ]
        assert signature, name
        for table in signature:
            for tr in table._tbl.tr_lst:
                trpr = tr.trPr
                assert trpr is not None and trpr.find(qn("w:cantSplit")) is not None, name
            previous = table._tbl.getprevious()
            assert previous is not None and previous.tag == qn("w:p"), name
            assert previous.pPr is not None and previous.pPr.keepNext is not None, name
            # and the paragraph before that one ends the body ("./."), kept with it too
            text = "".join(previous.itertext()) or "".join(previous.getprevious().itertext())
            assert text.strip(), name
        assert body is not None


def test_reminder_pdf_signature_never_alone(store: Store, sample: Sample, tmp_path: Path) -> None:
    """However long the table, "Nơi nhận" and the signature share a page with the closing."""
    from pypdf import PdfReader

    text = "Khắc phục tồn tại về công tác cải cách thủ tục hành chính, niêm yết công khai. " * 2
    for n in range(1, 26):
        store.core.insert_row(
            "recommendations",
            {"inspection_id": sample.unit, "number": n, "text": text, "deadline": "2021-01-01"},
        )
        letter = reminders.reminder_letter(store, sample.unit, today=dt.date(2021, 3, 1))
        path = drawing.write_reminder(letter, "pdf", tmp_path / f"dd{n}.pdf")
        pages = [p.extract_text() for p in PdfReader(str(path)).pages]
        last = pages[-1]
        assert "Nơi nhận" in last and "Quá thời hạn" in last, (n, last[:200])


def test_docx_tables_are_built_in_linear_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """python-docx's Table.cell()/row.cells rebuild the whole cell list at every call (the
    campaign report took 1,285 s for 180 units): the renderer walks each table's XML once."""
    import docx.table

    from desktop.reports.documents import Document, Signer, Table
    from desktop.reports.layout_docx import write_docx

    calls = []
    original = docx.table.Table._cells

    def counted(self: Any) -> Any:
        calls.append(1)
        return original.fget(self)

    monkeypatch.setattr(docx.table.Table, "_cells", property(counted))
    rows = [[str(n), f"Đơn vị {n}", "Xã", "50", "50%"] for n in range(400)]
    table = Table(["TT", "Đơn vị", "Cấp", "Điểm", "Tỷ lệ"], rows, [0.1, 0.5, 0.1, 0.1, 0.2],
                  ["C", "L", "C", "C", "C"], highlight={1, 5})  # fmt: skip
    document = Document(
        "UBND TỈNH SÓC TRĂNG", "SỞ NỘI VỤ", "Số: 01/BC-SNV", "Sóc Trăng", "BÁO CÁO", "x",
        [table], signers=[Signer(["GIÁM ĐỐC"], "")],
    )  # fmt: skip
    write_docx(document, tmp_path / "x.docx")
    assert len(calls) < 20, len(calls)
    back = docx.Document(str(tmp_path / "x.docx")).tables[1]  # after the header
    assert back.rows[400].cells[1].text == "Đơn vị 399"
