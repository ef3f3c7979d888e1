"""Reminders and escalation for recommendations past their deadline.

- `reminder_letter` builds the content of a công văn đôn đốc (a plain `Letter`), per inspected
  unit, listing its overdue recommendations; `write_reminder` renders it as DOCX or PDF in the
  layout of Nghị định 30/2020/NĐ-CP. Fonts, margins, the place/date line and the DOCX helpers
  (rules, borderless tables, page numbers) come from desktop.reports; the letter is drawn here
  because a công văn differs from the shared `reports.documents.Document`: no document-type
  title, and its trích yếu ("V/v …") sits under the number in the header's left column.
- `escalation` lists the units with overdue recommendations, with counts, for the submission to
  UBND tỉnh; `write_escalation_xlsx` writes it as one formatted sheet.

Files are written to a temporary file beside the target and renamed, so a failure leaves
nothing half-written. Heavy libraries are imported inside the functions that use them.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from db import Store
from desktop.domain import format_date
from desktop.reports.officialdate import official_date
from desktop.services import followup
from desktop.services.errors import UserError

DEFAULT_REPLY_DAYS = 15
FORMATS = ("pdf", "docx")
DEFAULT_SYMBOL = "SNV-CCHC"  # ký hiệu of Sở Nội vụ's letters, "Số: 88/SNV-CCHC"
SYMBOL_SETTING = "reminder.symbol"

# Everything the user reads in these documents, in one place.
TEXT = {
    "parent": "UBND TỈNH {province}",
    "parent_blank": "UBND TỈNH",
    "issuer": "SỞ NỘI VỤ",
    "number": "Số: {number}",
    "number_blank": "\u00a0" * 8,
    "subject": "V/v đôn đốc thực hiện kết luận kiểm tra công tác cải cách hành chính",
    "nation": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "motto": "Độc lập - Tự do - Hạnh phúc",
    "to": "Kính gửi: {unit}.",
    "opening": (
        "Thực hiện Kế hoạch số {plan} {plan_date}của {issuer} về kiểm tra công tác cải cách "
        "hành chính năm {year}, Đoàn kiểm tra cải cách hành chính của tỉnh đã kiểm tra tại "
        "{unit}{visit} và Sở Nội vụ đã thông báo kết luận kiểm tra, trong đó có các kiến nghị "
        "kèm thời hạn khắc phục."
    ),
    "status": (
        "Đến ngày {today}, {unit} chưa hoàn thành việc khắc phục và báo cáo kết quả khắc phục "
        "đối với {count} kiến nghị đã quá thời hạn, cụ thể như sau:"
    ),
    "table_head": ["Số", "Nội dung kiến nghị", "Thời hạn khắc phục", "Số ngày quá hạn"],
    "rejected_mark": " (báo cáo khắc phục không đạt yêu cầu)",
    "request": (
        "Sở Nội vụ đề nghị {unit} khẩn trương chỉ đạo khắc phục các nội dung nêu trên và báo "
        "cáo kết quả khắc phục (kèm tài liệu kiểm chứng) về Ủy ban nhân dân tỉnh (qua Sở Nội "
        "vụ) trong thời hạn {days} ngày kể từ ngày ký văn bản này, chậm nhất ngày {reply_by}."
    ),
    "warning": (
        "Quá thời hạn trên, Sở Nội vụ sẽ tổng hợp, báo cáo Chủ tịch Ủy ban nhân dân tỉnh xem "
        "xét, xử lý trách nhiệm người đứng đầu theo quy định./."
    ),
    "recipients_title": "Nơi nhận:",
    "recipients": [
        "- Như trên;",
        "- UBND tỉnh (để báo cáo);",
        "- Giám đốc Sở (để báo cáo);",
        "- Lưu: VT, CCHC.",
    ],
    "sign_deputy": ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"],
    "sign_director": ["GIÁM ĐỐC"],
    "page_number": "{page}",
    "xlsx_sheet": "Đơn vị chậm khắc phục",
    "xlsx_title": "DANH SÁCH ĐƠN VỊ CHẬM THỰC HIỆN KẾT LUẬN KIỂM TRA CÔNG TÁC CCHC",
    "xlsx_as_of": "Tính đến ngày {today}",
    "xlsx_head": [
        "TT",
        "Đơn vị",
        "Kế hoạch",
        "Năm",
        "Số kiến nghị quá hạn",
        "Trong đó: báo cáo không đạt yêu cầu",
        "Tổng số kiến nghị",
        "Thời hạn sớm nhất",
        "Số ngày quá hạn nhiều nhất",
        "Các kiến nghị quá hạn (số)",
    ],
    "no_overdue": "{unit} không có kiến nghị nào quá hạn đến ngày {today}",
    "bad_format": "Định dạng không hỗ trợ: {fmt} (chọn pdf hoặc docx)",
    "no_folder": "Không có thư mục {folder}",
    "cannot_write": "Không ghi được tệp {path}: {error}",
    "bad_days": "Số ngày phải báo cáo phải lớn hơn 0",
}


@dataclass
class Letter:
    """The content of an official letter, independent of the file format."""

    parent_body: str
    issuer: str
    number: str
    subject: str
    place_date: str
    recipient: str
    paragraphs: list[str]
    table_head: list[str]
    table_rows: list[list[str]]
    closing: list[str]
    recipients_title: str
    recipients: list[str]
    signer_titles: list[str]
    signer_name: str
    meta: dict[str, Any] = field(default_factory=dict)


def _signer(store: Store, plan_id: str) -> tuple[list[str], str]:
    """The head of the delegation signs for Sở Nội vụ: "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC" for a
    deputy director; a blank director's block when the delegation has no head on record."""
    from desktop.domain import fold

    for member in store.members(plan_id):
        if member["role"] == "truong-doan":
            title = fold(member["position_title"])
            if "pho giam doc" in title:
                return list(TEXT["sign_deputy"]), member["full_name"]
            if "giam doc" in title:
                return list(TEXT["sign_director"]), member["full_name"]
    return list(TEXT["sign_director"]), ""


def reminder_symbol(store: Store, given: str | None = None) -> str:
    """The letters' ký hiệu: `given` (then remembered), else the remembered one, else
    DEFAULT_SYMBOL."""
    from desktop.domain import nfc

    symbol = nfc(given or "").strip().strip("/")
    if symbol:
        store.set_setting(SYMBOL_SETTING, symbol)
        return symbol
    return store.setting(SYMBOL_SETTING) or DEFAULT_SYMBOL


def number_line(number: str, symbol: str) -> str:
    """ "Số: 88/SNV-CCHC" from "88" (or a full "88/SNV-CCHC"); a blank number for the
    clerk to fill in by hand before "/SNV-CCHC" when none is given yet."""
    number = number.strip()
    if "/" in number:
        return TEXT["number"].format(number=number)
    return TEXT["number"].format(number=f"{number or TEXT['number_blank']}/{symbol}")


def reminder_letter(
    store: Store,
    inspection_id: str,
    *,
    today: dt.date | None = None,
    reply_days: int = DEFAULT_REPLY_DAYS,
    number: str = "",
    symbol: str | None = None,
) -> Letter:
    """The reminder (công văn đôn đốc) to one inspected unit about its overdue recommendations.

    `number` is the letter's số ("88"), `symbol` its ký hiệu (remembered; see
    reminder_symbol). UserError when the unit has none overdue: nothing to remind it of.
    """
    day = today or dt.date.today()
    if reply_days <= 0:
        raise UserError(TEXT["bad_days"])
    inspection = store.inspection(inspection_id)
    if inspection is None:
        raise UserError(followup.MESSAGES["no_inspection"].format(id=inspection_id))
    unit = inspection["unit_name"]
    rows = [
        r
        for r in followup.register(store, inspection["plan_id"], overdue_only=True, today=day)
        if r["inspection_id"] == inspection_id
    ]
    if not rows:
        raise UserError(TEXT["no_overdue"].format(unit=unit, today=format_date(day)))
    plan = store.plan(inspection["plan_id"]) or {}
    province = (plan.get("province") or "").strip()
    visit = f" ngày {format_date(inspection['visit_date'])}" if inspection["visit_date"] else ""
    plan_date = f"ngày {format_date(plan.get('issued_on'))} " if plan.get("issued_on") else ""
    titles, name = _signer(store, inspection["plan_id"])
    table_rows = [
        [
            str(r["number"]),
            r["text"]
            + (
                TEXT["rejected_mark"]
                if r["status"] == followup.FollowupStatus.KHONG_DAT_YEU_CAU
                else ""
            ),
            format_date(r["deadline"]),
            str(r["days_overdue"]),
        ]
        for r in rows
    ]
    return Letter(
        parent_body=(
            TEXT["parent"].format(province=province.upper()) if province else TEXT["parent_blank"]
        ),
        issuer=TEXT["issuer"],
        number=number_line(number, reminder_symbol(store, symbol)),
        subject=TEXT["subject"],
        place_date=official_date(province, day),
        recipient=TEXT["to"].format(unit=unit),
        paragraphs=[
            TEXT["opening"].format(
                plan=plan.get("number", ""),
                plan_date=plan_date,
                issuer=plan.get("issuer", ""),
                year=plan.get("year", ""),
                unit=unit,
                visit=visit,
            ),
            TEXT["status"].format(today=format_date(day), unit=unit, count=len(rows)),
        ],
        table_head=list(TEXT["table_head"]),
        table_rows=table_rows,
        closing=[
            TEXT["request"].format(
                unit=unit,
                days=reply_days,
                reply_by=format_date(day + dt.timedelta(days=reply_days)),
            ),
            TEXT["warning"],
        ],
        recipients_title=TEXT["recipients_title"],
        recipients=list(TEXT["recipients"]),
        signer_titles=titles,
        signer_name=name,
        meta={"unit": unit, "inspection_id": inspection_id, "recommendations": rows},
    )


# -- writing files ----------------------------------------------------------------------------


def _write_atomically(path: Path, write: Callable[[Path], None]) -> Path:
    """Render into a temporary file in the target folder, then rename over the target."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UserError(TEXT["no_folder"].format(folder=folder))
    handle, temp_name = tempfile.mkstemp(prefix=".kiemtra-", suffix=path.suffix, dir=folder)
    os.close(handle)
    temp = Path(temp_name)
    try:
        write(temp)
        os.replace(temp, path)
    except OSError as exc:
        raise UserError(TEXT["cannot_write"].format(path=path, error=exc.strerror)) from exc
    finally:
        if temp.exists():
            temp.unlink()
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
        _borderless,
        _page_number_header,
        _rule,
        _set_fonts,
        _widths,
    )
    from desktop.reports.layout_pdf import PAGE_MARGINS

    doc = python_docx.Document()
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    _set_fonts(normal.element)
    normal.paragraph_format.space_after = Pt(0)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(PAGE_MARGINS["top"]), Mm(PAGE_MARGINS["bottom"])
    section.left_margin, section.right_margin = Mm(PAGE_MARGINS["left"]), Mm(PAGE_MARGINS["right"])
    section.header_distance = Mm(10)
    _page_number_header(section)
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
    header = doc.add_table(rows=1, cols=2)
    _borderless(header)
    _widths(header, [left_w, right_w])
    left, right = header.rows[0].cells
    line(left, letter.parent_body, size=12.5, reuse=True)
    line(left, letter.issuer, bold=True, size=12.5)
    _rule(left, 2.2, left_w)
    line(left, letter.number, size=13)
    line(left, letter.subject, size=12)
    line(right, TEXT["nation"], bold=True, size=12.5, reuse=True)
    line(right, TEXT["motto"], bold=True, size=13.5)
    _rule(right, 5.8, right_w)
    line(right, letter.place_date, italic=True, size=14)

    line(doc, "")
    line(doc, letter.recipient).paragraph_format.space_after = Pt(6)
    for text in [*letter.paragraphs]:
        body = line(doc, text, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
        body.paragraph_format.first_line_indent = Cm(1.27)
        body.paragraph_format.space_after = Pt(6)

    table = doc.add_table(rows=1, cols=len(letter.table_head))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, letter.table_head, strict=True):
        line(cell, text, bold=True, size=13, reuse=True)
    for values in letter.table_rows:
        for n, (cell, text) in enumerate(zip(table.add_row().cells, values, strict=True)):
            align = WD_ALIGN_PARAGRAPH.JUSTIFY if n == 1 else WD_ALIGN_PARAGRAPH.CENTER
            line(cell, text, size=13, align=align, reuse=True)
    _widths(table, [TEXT_WIDTH_CM * f for f in (0.08, 0.56, 0.19, 0.17)])

    for n, text in enumerate(letter.closing):
        body = line(doc, text, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
        body.paragraph_format.first_line_indent = Cm(1.27)
        body.paragraph_format.space_after = Pt(6)
        if n == 0:
            body.paragraph_format.space_before = Pt(6)

    bottom = doc.add_table(rows=1, cols=2)
    _borderless(bottom)
    _widths(bottom, [0.45 * TEXT_WIDTH_CM, 0.55 * TEXT_WIDTH_CM])
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
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    from desktop.reports.fonts import register_fonts
    from desktop.reports.layout_pdf import PAGE_MARGINS

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
                    p(letter.number, center13),
                    p(letter.subject, small12),
                ],
                [
                    p(TEXT["nation"], center13, bold=True),
                    p(TEXT["motto"], center14, bold=True),
                    rule(5.5 * cm),
                    Spacer(1, 15),
                    p(letter.place_date, center14, italic=True),
                ],
            ]
        ],
        colWidths=[left_w, right_w],
    )
    header.setStyle(
        TableStyle(
            [
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
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    story += [Spacer(1, 6), grid]
    story += [p(text, body) for text in letter.closing]
    signature = [p(t, center14, bold=True) for t in letter.signer_titles]
    signature += [Spacer(1, 60), p(letter.signer_name, center14, bold=True)]
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
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    )
    story += [Spacer(1, 12), bottom]

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
    )
    template.build(story, onLaterPages=later_pages)


# -- escalation -------------------------------------------------------------------------------


def escalation(
    store: Store, plan_id: str | None = None, *, today: dt.date | None = None
) -> list[dict[str, Any]]:
    """Units (one row per inspection) with overdue recommendations, most overdue first."""
    day = today or dt.date.today()
    by_inspection: dict[str, dict[str, Any]] = {}
    for rec in followup.register(store, plan_id, today=day):
        entry = by_inspection.setdefault(
            rec["inspection_id"],
            {
                "inspection_id": rec["inspection_id"],
                "unit": rec["unit"],
                "unit_level": rec["unit_level"],
                "plan_id": rec["plan_id"],
                "plan_number": rec["plan_number"],
                "year": rec["plan_year"],
                "overdue": 0,
                "rejected": 0,
                "total": 0,
                "oldest_deadline": None,
                "max_days_overdue": 0,
                "numbers": [],
            },
        )
        entry["total"] += 1
        if not rec["overdue"]:
            continue
        entry["overdue"] += 1
        if rec["status"] == followup.FollowupStatus.KHONG_DAT_YEU_CAU:
            entry["rejected"] += 1
        entry["numbers"].append(rec["number"])
        entry["max_days_overdue"] = max(entry["max_days_overdue"], rec["days_overdue"])
        if entry["oldest_deadline"] is None or rec["deadline"] < entry["oldest_deadline"]:
            entry["oldest_deadline"] = rec["deadline"]
    rows = [e for e in by_inspection.values() if e["overdue"]]
    rows.sort(key=lambda e: (-e["max_days_overdue"], -e["overdue"], e["unit"]))
    return rows


def write_escalation_xlsx(
    rows: list[dict[str, Any]], path: Path, *, today: dt.date | None = None
) -> Path:
    """One sheet a secretary can hand on: title, as-of date, frozen header, filters, widths."""
    day = today or dt.date.today()

    def write(target: Path) -> None:
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Border, Font, Side
        from openpyxl.utils import get_column_letter

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
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.print_title_rows = "4:4"
        book.save(str(target))

    return _write_atomically(Path(path), write)
