"""The campaign report (PDF) and the Excel compilation of a 200-unit plan, end to end from the
database, vs the bare library writing the same content with no layout or formatting."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from db import Store
from desktop.reports import documents, service
from desktop.reports.context import plan_data_full, resolve_options
from desktop.reports.documents import Para, Table
from tests.bench.data import scale_db, workdir
from tests.bench.harness import Outcome, benchmark, best_of

# Three years back reaches a plan from before the 2025 reform, so all 200 units (districts
# included) are inspected: the "200 units" campaign.
UNITS, YEARS = 200, 3
REPEAT = 3


def _plan() -> tuple[Path, str, dict[str, int]]:
    path, counts = scale_db(UNITS, YEARS)
    store = Store.open(path)
    try:
        biggest = max(store.planning.plans(), key=lambda p: (p["units"], -p["year"]))
        return path, biggest["id"], counts
    finally:
        store.close()


def _bare_pdf(doc: documents.Document, target: Path) -> None:
    """The same paragraphs and tables in a plain SimpleDocTemplate: one paragraph style, one
    cell style (the same embedded font), a grid; no header layout, charts or page numbers."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate
    from reportlab.platypus import Table as RLTable

    from desktop.reports.fonts import register_fonts

    family = register_fonts()
    body = ParagraphStyle("b", fontName=family, fontSize=13, leading=16)
    cell = ParagraphStyle("c", fontName=family, fontSize=11, leading=13)
    width = A4[0] - 2 * 72
    story: list[Any] = []
    for block in doc.blocks + doc.annex:
        if isinstance(block, Para):
            story.append(Paragraph(escape("".join(r.text for r in block.runs)), body))
        elif isinstance(block, Table):
            data = [
                [Paragraph(escape(v), cell) for v in row] for row in [block.header, *block.rows]
            ]
            table = RLTable(data, colWidths=[f * width for f in block.widths], repeatRows=1)
            table.setStyle([("GRID", (0, 0), (-1, -1), 0.5, "black")])
            story.append(table)
    SimpleDocTemplate(str(target), pagesize=A4).build(story)


@benchmark
def campaign_report_pdf() -> Outcome:
    """Target (issue 5): ≤ 1.5× a minimal reportlab document with the same content."""
    path, plan_id, counts = _plan()
    out = workdir() / "bao-cao.pdf"
    store = Store.open(path)
    try:
        measured = best_of(lambda: service.plan_report(store, plan_id, "pdf", out), repeat=REPEAT)
        data = plan_data_full(store, plan_id, dt.date.today())
        doc = documents.campaign_report(data, resolve_options(store, "bao-cao", None))
    finally:
        store.close()
    base = best_of(lambda: _bare_pdf(doc, workdir() / "bare.pdf"), repeat=REPEAT)
    tables = [b for b in doc.blocks + doc.annex if isinstance(b, Table)]
    return Outcome(
        "campaign report PDF",
        measured,
        base,
        1.5,
        f"{len(data.rows)} units, {counts['findings']:,} findings; "
        f"{len(tables)} tables, {sum(len(t.rows) for t in tables):,} rows",
    )


@benchmark
def compilation_xlsx() -> Outcome:
    """Target (issue 5): ≤ 1.5× openpyxl writing the same cells with no formatting."""
    from openpyxl import Workbook, load_workbook

    path, plan_id, counts = _plan()
    out = workdir() / "tong-hop.xlsx"
    store = Store.open(path)
    try:
        measured = best_of(lambda: service.plan_summary(store, plan_id, out), repeat=REPEAT)
    finally:
        store.close()
    written = load_workbook(out, read_only=True)
    sheets = [(ws.title, [list(r) for r in ws.iter_rows(values_only=True)]) for ws in written]
    written.close()

    def baseline() -> None:
        wb = Workbook()
        wb.remove(wb.active)
        for title, rows in sheets:
            ws = wb.create_sheet(title)
            for row in rows:
                ws.append(row)
        wb.save(workdir() / "bare.xlsx")

    base = best_of(baseline, repeat=REPEAT)
    cells = sum(len(r) for _, rows in sheets for r in rows)
    return Outcome(
        "compilation XLSX",
        measured,
        base,
        1.5,
        f"{len(sheets)} sheets, {cells:,} cells ({UNITS} units planned)",
    )


def _bare_docx(doc: documents.Document, target: Path) -> None:
    """The same paragraphs and tables in a default python-docx document: plain paragraphs,
    default tables filled cell by cell in one walk (python-docx's table.cell() is quadratic,
    no fair baseline), no styles, widths, header layout, charts or page numbers."""
    import docx as python_docx
    from docx.table import _Cell

    out = python_docx.Document()
    for block in doc.blocks + doc.annex:
        if isinstance(block, Para):
            out.add_paragraph("".join(r.text for r in block.runs))
        elif isinstance(block, Table):
            table = out.add_table(rows=1 + len(block.rows), cols=len(block.header))
            for tr, values in zip(table._tbl.tr_lst, [block.header, *block.rows], strict=True):
                for tc, value in zip(tr.tc_lst, values, strict=True):
                    _Cell(tc, table).paragraphs[0].add_run(value)
    out.save(str(target))


@benchmark
def campaign_report_docx() -> Outcome:
    """Target (issue 14): ≤ 1.5× bare python-docx writing the same paragraphs and tables."""
    path, plan_id, counts = _plan()
    out = workdir() / "bao-cao.docx"
    store = Store.open(path)
    try:
        measured = best_of(lambda: service.plan_report(store, plan_id, "docx", out), repeat=REPEAT)
        data = plan_data_full(store, plan_id, dt.date.today())
        doc = documents.campaign_report(data, resolve_options(store, "bao-cao", None))
    finally:
        store.close()
    base = best_of(lambda: _bare_docx(doc, workdir() / "bare.docx"), repeat=REPEAT)
    tables = [b for b in doc.blocks + doc.annex if isinstance(b, Table)]
    return Outcome(
        "campaign report DOCX",
        measured,
        base,
        1.5,
        f"{len(data.rows)} units, {counts['findings']:,} findings; "
        f"{len(tables)} tables, {sum(len(t.rows) for t in tables):,} rows",
    )
