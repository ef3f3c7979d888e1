"""Drawing the reminder letters (DOCX, PDF) and the escalation list (XLSX).

The content comes from desktop.services.reminders (a plain `Letter`, the escalation rows); the
letter is drawn in the layout of Nghị định 30/2020/NĐ-CP on the shared layout helpers of
layout_docx / layout_pdf (fonts, margins, rules, borderless tables, page numbers). A công văn
differs from the shared `documents.Document`: no document-type title, and its trích yếu
("V/v …") sits under the number in the header's left column.

Files are written to a temporary file beside the target and renamed, so a failure leaves
nothing half-written. Heavy libraries are imported inside the functions that use them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from db.files import atomic_path
from desktop.domain import format_date
from desktop.services.errors import UserError
from desktop.services.reminders import FORMATS, TEXT, Letter
from desktop.services.workbook_io import strings_only

# -- writing files ----------------------------------------------------------------------------


def _write_atomically(path: Path, write: Callable[[Path], None]) -> Path:
    """Render into a temporary file in the target folder, then rename over the target
    (db.files.atomic_path); the messages of a missing folder or a refused write."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UserError(TEXT["no_folder"].format(folder=folder))
    try:
        # A document the user hands on: an ordinary file (db.files' DOCUMENT mode).
        with atomic_path(path) as temp:
            write(temp)
    except OSError as exc:
        raise UserError(TEXT["cannot_write"].format(path=path, error=exc.strerror)) from exc
    return path


def write_reminder(letter: Letter, fmt: str, path: Path) -> Path:
    """Render the letter to `path` as "pdf" or "docx"."""
    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise UserError(TEXT["bad_format"].format(fmt=fmt))
    render = _render_pdf if fmt == "pdf" else _render_docx
    return _write_atomically(path, lambda p: render(letter, p))


def _render_docx(letter: Letter, path: Path) -> None:
    """python-docx on the shared layout helpers of desktop.reports.layout_docx (fonts for every
    script, short rules, borderless tables, page numbers at the top from page 2)."""
    import docx as python_docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Mm, Pt

    from desktop.reports.layout_docx import (
        FONT,
        TEXT_WIDTH_CM,
        borderless,
        cells_of,
        column_widths,
        keep_with_what_follows,
        page_number_header,
        rows_never_split,
        rule,
        set_fonts,
    )
    from desktop.reports.layout_pdf import PAGE_MARGINS

    doc = python_docx.Document()
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    set_fonts(normal.element)
    normal.paragraph_format.space_after = Pt(0)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(PAGE_MARGINS["top"]), Mm(PAGE_MARGINS["bottom"])
    section.left_margin, section.right_margin = Mm(PAGE_MARGINS["left"]), Mm(PAGE_MARGINS["right"])
    section.header_distance = Mm(10)
    page_number_header(section)
    doc.core_properties.title = letter.subject
    doc.core_properties.author = letter.issuer

    def line(
        container: Any,
        text: str,
        *,
        bold: bool = False,
        italic: bool = False,
        size: float = 14,
        align: Any = WD_ALIGN_PARAGRAPH.CENTER,
        reuse: bool = False,
    ) -> Any:
        """A paragraph; `reuse` fills a table cell's initial empty paragraph."""
        para = container.paragraphs[0] if reuse else container.add_paragraph()
        para.alignment = align
        if text:
            run = para.add_run(text)
            run.bold, run.italic, run.font.size = bold, italic, Pt(size)
        return para

    left_w, right_w = 0.4 * TEXT_WIDTH_CM, 0.6 * TEXT_WIDTH_CM
    # Two rows: the bodies and the motto; then "Số" with the V/v line, the date beside "Số"
    # (Nghị định 30), not beside the V/v line.
    header = doc.add_table(rows=2, cols=2)
    borderless(header)
    column_widths(header, [left_w, right_w])
    (left, right), (number, date) = cells_of(header)
    line(left, letter.parent_body, size=12.5, reuse=True)
    line(left, letter.issuer, bold=True, size=12.5)
    rule(left, 2.2, left_w)
    line(number, letter.number, size=13, reuse=True)
    line(number, letter.subject, size=12)
    line(right, TEXT["nation"], bold=True, size=12.5, reuse=True)
    line(right, TEXT["motto"], bold=True, size=13.5)
    rule(right, 5.8, right_w)
    line(date, letter.place_date, italic=True, size=14, reuse=True)

    line(doc, "")
    line(doc, letter.recipient).paragraph_format.space_after = Pt(6)
    for text in [*letter.paragraphs]:
        body = line(doc, text, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
        body.paragraph_format.first_line_indent = Cm(1.27)
        body.paragraph_format.space_after = Pt(6)

    table = doc.add_table(rows=1 + len(letter.table_rows), cols=len(letter.table_head))
    table.style = "Table Grid"
    grid = cells_of(table)  # one walk: row.cells rebuilds the whole table at every call
    for cell, text in zip(grid[0], letter.table_head, strict=True):
        line(cell, text, bold=True, size=13, reuse=True)
    for row, values in zip(grid[1:], letter.table_rows, strict=True):
        for n, (cell, text) in enumerate(zip(row, values, strict=True)):
            align = WD_ALIGN_PARAGRAPH.JUSTIFY if n == 1 else WD_ALIGN_PARAGRAPH.CENTER
            line(cell, text, size=13, align=align, reuse=True)
    column_widths(table, [TEXT_WIDTH_CM * f for f in (0.08, 0.56, 0.19, 0.17)])

    for n, text in enumerate(letter.closing):
        body = line(doc, text, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
        body.paragraph_format.first_line_indent = Cm(1.27)
        body.paragraph_format.space_after = Pt(6)
        if n == 0:
            body.paragraph_format.space_before = Pt(6)

    keep_with_what_follows(doc)
    bottom = doc.add_table(rows=1, cols=2)
    borderless(bottom)
    column_widths(bottom, [0.45 * TEXT_WIDTH_CM, 0.55 * TEXT_WIDTH_CM])
    left, right = bottom.rows[0].cells
    line(left, letter.recipients_title, bold=True, italic=True, size=12,
         align=WD_ALIGN_PARAGRAPH.LEFT, reuse=True)  # fmt: skip
    for text in letter.recipients:
        line(left, text, size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    for n, text in enumerate(letter.signer_titles):
        line(right, text, bold=True, reuse=n == 0)
    for _ in range(4):
        line(right, "")
    line(right, letter.signer_name, bold=True)
    rows_never_split(bottom)
    doc.save(str(path))


def _render_pdf(letter: Letter, path: Path) -> None:
    """reportlab platypus with Liberation Serif; page numbers at the top centre from page 2."""
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm, mm
    from reportlab.platypus import (
        HRFlowable,
        KeepTogether,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    from desktop.reports.fonts import register_fonts
    from desktop.reports.layout_pdf import PAGE_MARGINS
    from desktop.reports.signature_space import signature_space

    family = register_fonts()

    def style(name: str, size: float = 14, align: int = TA_CENTER, **kw: Any) -> ParagraphStyle:
        return ParagraphStyle(
            name, fontName=family, fontSize=size, leading=size * 1.25, alignment=align, **kw
        )

    center13, center14 = style("c13", 13), style("c14", 14)
    small12 = style("s12", 12)
    body = style("body", 14, TA_JUSTIFY, firstLineIndent=1.27 * cm, spaceBefore=6)
    cell = style("cell", 12, TA_JUSTIFY)
    cell_c = style("cellc", 12)
    left11, left12 = style("l11", 11, TA_LEFT), style("l12", 12, TA_LEFT)

    def p(text: str, st: ParagraphStyle, *, bold: bool = False, italic: bool = False) -> Paragraph:
        text = escape(text)
        if bold:
            text = f"<b>{text}</b>"
        if italic:
            text = f"<i>{text}</i>"
        return Paragraph(text, st)

    def rule(width: float) -> HRFlowable:
        return HRFlowable(
            width=width, thickness=0.6, color=colors.black, spaceBefore=1, spaceAfter=3
        )

    margin = {k: v * mm for k, v in PAGE_MARGINS.items()}
    width = A4[0] - margin["left"] - margin["right"]
    left_w, right_w = width * 0.42, width * 0.58
    header = Table(
        [
            [
                [
                    p(letter.parent_body, center13),
                    p(letter.issuer, center13, bold=True),
                    rule(2.5 * cm),
                ],
                [
                    p(TEXT["nation"], center13, bold=True),
                    p(TEXT["motto"], center14, bold=True),
                    rule(5.5 * cm),
                ],
            ],
            # the date on the line of "Số" (Nghị định 30), the V/v line under "Số"
            [
                [p(letter.number, center13), p(letter.subject, small12)],
                [p(letter.place_date, center14, italic=True)],
            ],
        ],
        colWidths=[left_w, right_w],
    )
    header.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), family),  # else Table names Helvetica
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    story: list[Any] = [header, Spacer(1, 18), p(letter.recipient, center14), Spacer(1, 6)]
    story += [p(text, body) for text in letter.paragraphs]
    grid = Table(
        [[p(h, cell_c, bold=True) for h in letter.table_head]]
        + [
            [p(v, cell if n == 1 else cell_c) for n, v in enumerate(row)]
            for row in letter.table_rows
        ],
        colWidths=[width * 0.08, width * 0.56, width * 0.19, width * 0.17],
        repeatRows=1,
    )
    grid.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), family),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    story += [Spacer(1, 6), grid]
    closing = [p(text, body) for text in letter.closing]
    story += closing[:-1]
    signature = [p(t, center14, bold=True) for t in letter.signer_titles]
    space = signature_space(60, letter.signer_name)  # recorded in the PDF for the signing step
    signature += [space, p(letter.signer_name, center14, bold=True)]
    bottom = Table(
        [
            [
                [p(letter.recipients_title, left12, bold=True, italic=True)]
                + [p(t, left11) for t in letter.recipients],
                signature,
            ]
        ],
        colWidths=[width * 0.5, width * 0.5],
    )
    bottom.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), family),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    # The last sentence, "Nơi nhận" and the signature on one page: never a signature alone.
    story.append(KeepTogether([*closing[-1:], Spacer(1, 12), bottom]))

    def later_pages(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(family, 13)
        canvas.drawCentredString(
            doc.leftMargin + doc.width / 2,
            A4[1] - 12 * mm,
            TEXT["page_number"].format(page=doc.page),
        )
        canvas.restoreState()

    template = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        topMargin=margin["top"],
        bottomMargin=margin["bottom"],
        leftMargin=margin["left"],
        rightMargin=margin["right"],
        title=letter.subject,
        author=letter.issuer,
        # Otherwise every page names Helvetica (never embedded) as its starting font.
        initialFontName=family,
        initialFontSize=13,
    )
    template.build(story, onLaterPages=later_pages)


def write_escalation_xlsx(
    rows: list[dict[str, Any]], path: Path, *, today: dt.date | None = None
) -> Path:
    """One sheet a secretary can hand on: title, as-of date, frozen header, filters, widths."""
    day = today or dt.date.today()

    def write(target: Path) -> None:
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Border, Font, Side
        from openpyxl.utils import get_column_letter

        from desktop.reports.compilation_xlsx import print_setup

        book = Workbook()
        sheet = book.active
        sheet.title = TEXT["xlsx_sheet"]
        head = TEXT["xlsx_head"]
        sheet.append([TEXT["xlsx_title"]])
        sheet.append([TEXT["xlsx_as_of"].format(today=format_date(day))])
        sheet.append([])
        sheet.append(head)
        last_col = get_column_letter(len(head))
        sheet.merge_cells(f"A1:{last_col}1")
        sheet.merge_cells(f"A2:{last_col}2")
        sheet["A1"].font = Font(name="Times New Roman", bold=True, size=13)
        sheet["A2"].font = Font(name="Times New Roman", italic=True, size=12)
        for cell in ("A1", "A2"):
            sheet[cell].alignment = Alignment(horizontal="center")
        thin = Side(style="thin")
        border = Border(left=thin, right=thin, top=thin, bottom=thin)
        for cell in sheet[4]:
            cell.font = Font(name="Times New Roman", bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = border
        for n, row in enumerate(rows, start=1):
            sheet.append(
                [
                    n,
                    row["unit"],
                    row["plan_number"],
                    row["year"],
                    row["overdue"],
                    row["rejected"],
                    row["total"],
                    dt.date.fromisoformat(row["oldest_deadline"][:10])
                    if row["oldest_deadline"]
                    else None,
                    row["max_days_overdue"],
                    ", ".join(str(x) for x in row["numbers"]),
                ]
            )
            for cell in sheet[sheet.max_row]:
                cell.font = Font(name="Times New Roman")
                cell.border = border
            sheet.cell(sheet.max_row, 8).number_format = "dd/mm/yyyy"
        for letter, width in zip("ABCDEFGHIJ", (6, 40, 16, 8, 14, 18, 12, 14, 14, 20), strict=True):
            sheet.column_dimensions[letter].width = width
        sheet.row_dimensions[4].height = 45
        sheet.freeze_panes = "A5"
        sheet.auto_filter.ref = f"A4:{last_col}{max(sheet.max_row, 4)}"
        print_setup(sheet, 4)
        strings_only(book)  # a unit's name "=…" is text, never a live formula
        book.save(str(target))

    return _write_atomically(Path(path), write)
