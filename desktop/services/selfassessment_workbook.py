"""The inspection form as a workbook: the unit's self-assessment and the inspectors' results.

`write_form` writes the applicable checklist of one inspection (grouped by area, printable on
A4 landscape, so it is also the paper form). The unit fills "Tự đánh giá", "Điểm tự chấm",
"Tài liệu kiểm chứng"; the delegation fills "Kết quả", "Điểm", "Nhận xét". `import_form`
reads one side back, matching rows by item code; a file with any bad row is refused whole.
Blank cells leave what is recorded unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from db import Store
from desktop.domain import Result, format_date
from desktop.services import judging
from desktop.services.errors import Problem, UserError
from desktop.services.workbook_io import (
    AREA_FILL,
    Sheet,
    add_instructions,
    add_list,
    header_style,
    key,
    read_workbook,
    refused,
    save_workbook,
)

Side = Literal["self", "inspector"]

SHEET = "Phiếu đánh giá"
C_CODE = "TT/Mã"
C_TEXT = "Nội dung"
C_MAX = "Điểm tối đa"
C_SELF_RESULT = "Tự đánh giá"
C_SELF_SCORE = "Điểm tự chấm"
C_SELF_EVIDENCE = "Tài liệu kiểm chứng"
C_RESULT = "Kết quả"
C_SCORE = "Điểm"
C_NOTE = "Nhận xét"
COLUMNS = (
    (C_CODE, 10),
    (C_TEXT, 58),
    (C_MAX, 8),
    (C_SELF_RESULT, 14),
    (C_SELF_SCORE, 9),
    (C_SELF_EVIDENCE, 34),
    (C_RESULT, 14),
    (C_SCORE, 8),
    (C_NOTE, 34),
)
SIDE_COLUMNS: dict[str, tuple[str, str, str]] = {
    "self": (C_SELF_RESULT, C_SELF_SCORE, C_SELF_EVIDENCE),
    "inspector": (C_RESULT, C_SCORE, C_NOTE),
}
# The drop-down order people expect, best to worst.
RESULT_LABELS = [
    Result.DAT.label,
    Result.MOT_PHAN.label,
    Result.KHONG_DAT.label,
    Result.KHONG_AP_DUNG.label,
]
LABEL_ID = "Mã cuộc kiểm tra"
HEADER_ROW = 6
SELF_FILL = "E2EFDA"
INSPECTOR_FILL = "FFF2CC"

TITLE = "PHIẾU TỰ ĐÁNH GIÁ VÀ KẾT QUẢ KIỂM TRA CÔNG TÁC CẢI CÁCH HÀNH CHÍNH"
MSG_UNKNOWN_CODE = "mã nội dung không có trong phiếu của cuộc kiểm tra này"
MSG_NO_CODE = "thiếu mã nội dung"
MSG_DUP_ROW = "nội dung bị nhập hai lần (dòng {row})"
MSG_OTHER_INSPECTION = "phiếu này của cuộc kiểm tra khác"
MSG_TEXT_ITEM = "nội dung này chỉ ghi nhận xét, không ghi kết quả (để trống ô này)"
MSG_NO_INSPECTION = "Không có cuộc kiểm tra {id}"
MSG_SIDE = "Phải chọn --as self (đơn vị tự đánh giá) hoặc --as inspector (đoàn kiểm tra)"


# -- writing -----------------------------------------------------------------------------------


def write_form(store: Store, inspection_id: str, path: Path | str) -> Path:
    """Write the inspection's applicable checklist, with what is recorded so far."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill
    from openpyxl.styles import Side as Line
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    inspection = store.planning.inspection(inspection_id)
    if inspection is None:
        raise UserError(MSG_NO_INSPECTION.format(id=inspection_id))
    plan = store.planning.plan(inspection["plan_id"]) or {}
    items = store.findings.inspection_items(inspection_id)

    book = Workbook()
    ws = book.active
    ws.title = SHEET
    width = len(COLUMNS)
    last_letter = get_column_letter(width)
    plan_line = f"Kế hoạch số {plan.get('number', '')}"
    if plan.get("issued_on"):
        plan_line += f" ngày {format_date(plan['issued_on'])}"
    if plan.get("issuer"):
        plan_line += f" của {plan['issuer']}"
    heading = [
        (1, TITLE, Font(bold=True, size=13)),
        (2, f"Đơn vị được kiểm tra: {inspection['unit_name']}", Font(bold=True)),
        (3, plan_line, Font(italic=True)),
    ]
    for row, text, font in heading:
        ws.merge_cells(f"A{row}:{last_letter}{row}")
        cell = ws.cell(row=row, column=1, value=text)
        cell.font = font
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.cell(row=4, column=1, value=LABEL_ID).font = Font(size=8, color="808080")
    ws.cell(row=4, column=2, value=inspection_id).font = Font(size=8, color="808080")
    for first, last, title in ((4, 6, "ĐƠN VỊ TỰ ĐÁNH GIÁ"), (7, 9, "ĐOÀN KIỂM TRA")):
        ws.merge_cells(start_row=5, start_column=first, end_row=5, end_column=last)
        header_style(ws.cell(row=5, column=first, value=title))
        for column in range(first + 1, last + 1):
            header_style(ws.cell(row=5, column=column))
    for column, (title, col_width) in enumerate(COLUMNS, start=1):
        header_style(ws.cell(row=HEADER_ROW, column=column, value=title))
        ws.column_dimensions[get_column_letter(column)].width = col_width
    for column in (1, 2, 3):
        header_style(ws.cell(row=5, column=column))
    ws.row_dimensions[HEADER_ROW].height = 30

    thin = Line(style="thin", color="A0A0A0")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    centre = Alignment(horizontal="center", vertical="top", wrap_text=True)
    area_fill = PatternFill("solid", start_color=AREA_FILL, end_color=AREA_FILL)
    self_fill = PatternFill("solid", start_color=SELF_FILL, end_color=SELF_FILL)
    insp_fill = PatternFill("solid", start_color=INSPECTOR_FILL, end_color=INSPECTOR_FILL)
    row = HEADER_ROW
    area = criterion = None
    item_rows: list[int] = []
    for item in items:
        if item["area_code"] != area:
            area, criterion = item["area_code"], None
            row += 1
            ws.append([area, item["area_name"], _points(item["area_max"])])
            for cell in ws[row]:
                cell.font = Font(bold=True)
                cell.fill = area_fill
                cell.border = border
                cell.alignment = wrap
        if item["criterion_code"] != criterion:
            criterion = item["criterion_code"]
            row += 1
            ws.append([criterion, item["criterion_name"]])
            for cell in ws[row]:
                cell.font = Font(bold=True, italic=True)
                cell.border = border
                cell.alignment = wrap
        row += 1
        item_rows.append(row)
        ws.append(
            [
                item["code"],
                item["text"],
                _points(item["max_score"]),
                Result(item["self_result"]).label if item["self_result"] else None,
                _points(item["self_score"]) if item["self_score"] is not None else None,
                item["self_evidence"] or None,
                Result(item["result"]).label if item["result"] else None,
                _points(item["score"]) if item["score"] is not None else None,
                item["note"] or None,
            ]
        )
        for column, cell in enumerate(ws[row], start=1):
            cell.border = border
            cell.alignment = centre if column in (1, 3, 4, 5, 7, 8) else wrap
            if column in (4, 5, 6):
                cell.fill = self_fill
            elif column in (7, 8, 9):
                cell.fill = insp_fill

    last_row = max(row, HEADER_ROW + 1)
    add_list(ws, 4, HEADER_ROW + 1, last_row, RESULT_LABELS, C_SELF_RESULT)
    add_list(ws, 7, HEADER_ROW + 1, last_row, RESULT_LABELS, C_RESULT)
    # Scores between 0 and the row's maximum (column C); the reference is relative.
    for column, title in ((5, C_SELF_SCORE), (8, C_SCORE)):
        letter = get_column_letter(column)
        score_rule = DataValidation(
            type="decimal",
            operator="between",
            formula1="0",
            formula2=f"$C{HEADER_ROW + 1}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=title,
            error="Điểm phải từ 0 đến điểm tối đa của nội dung",
        )
        score_rule.add(f"{letter}{HEADER_ROW + 1}:{letter}{last_row}")
        ws.add_data_validation(score_rule)

    ws.freeze_panes = f"C{HEADER_ROW + 1}"
    ws.print_title_rows = f"5:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "Trang &P/&N"
    ws.oddFooter.right.text = inspection["unit_name"]

    add_instructions(
        book,
        "HƯỚNG DẪN SỬ DỤNG PHIẾU",
        [
            "Đơn vị được kiểm tra (tự đánh giá trước buổi kiểm tra):",
            "- Cột “Tự đánh giá”: chọn Đạt, Đạt một phần, Không đạt hoặc Không áp dụng.",
            "- Cột “Điểm tự chấm”: số từ 0 đến “Điểm tối đa” của nội dung.",
            "- Cột “Tài liệu kiểm chứng”: số, ký hiệu, ngày, trích yếu văn bản chứng minh.",
            "",
            "Đoàn kiểm tra:",
            "- Cột “Kết quả”, “Điểm”, “Nhận xét”: kết quả kiểm tra của từng nội dung.",
            "",
            "Nạp lại vào chương trình: trong cửa sổ, menu Ghi nhận ▸ “Nhập phiếu tự đánh giá "
            "của đơn vị…” hoặc “Nhập phiếu của Đoàn kiểm tra…”; hoặc bằng dòng lệnh:",
            f"- kiemtra findings import {inspection_id} TỆP --as self (phần tự đánh giá)",
            f"- kiemtra findings import {inspection_id} TỆP --as inspector (phần đoàn kiểm tra)",
            "- Ô để trống: giữ nguyên kết quả đã ghi. Không sửa cột “TT/Mã”, không dùng công thức.",
            "- Tệp có dòng sai (mã lạ, kết quả không có trong danh sách, điểm ngoài khoảng) bị từ "
            "chối cả tệp, kèm danh sách lỗi theo dòng và cột.",
            "",
            "In: phiếu đã đặt khổ A4 nằm ngang, vừa chiều rộng trang, lặp dòng tiêu đề mỗi trang.",
        ],
    )
    return save_workbook(book, path)


def _points(value: float | None) -> int | float | None:
    if value is None:
        return None
    number = float(value)
    return int(number) if number.is_integer() else number


# -- reading -----------------------------------------------------------------------------------


@dataclass
class FormChanges:
    """What a form would change: per item, the fields to write."""

    changes: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    unchanged: int = 0


def read_form(store: Store, inspection_id: str, path: Path | str, side: Side) -> FormChanges:
    """Compare the form with what is recorded; raise InputFileError listing every bad row."""
    if side not in SIDE_COLUMNS:
        raise UserError(MSG_SIDE)
    if store.planning.inspection(inspection_id) is None:
        raise UserError(MSG_NO_INSPECTION.format(id=inspection_id))
    items = {item["code"]: item for item in store.findings.inspection_items(inspection_id)}
    headings = {item["area_code"] for item in items.values()} | {
        item["criterion_code"] for item in items.values()
    }
    sheets, problems = read_workbook(path, (SHEET,))
    out = FormChanges()
    if SHEET not in sheets:
        raise refused(path, problems)
    data = sheets[SHEET]
    for number, values in data.rows[: HEADER_ROW + 5]:
        if len(values) > 1 and isinstance(values[0], str) and key(values[0]) == key(LABEL_ID):
            if values[1] is not None and str(values[1]).strip() != inspection_id:
                problems.append(Problem(SHEET, number, LABEL_ID, values[1], MSG_OTHER_INSPECTION))
    sheet = Sheet(data, problems)
    result_col, score_col, text_col = SIDE_COLUMNS[side]
    if not sheet.locate([c for c, _ in COLUMNS], (C_CODE, result_col, score_col, text_col)):
        raise refused(path, problems)
    seen: dict[str, int] = {}
    for record in sheet.records():
        code = record.text(C_CODE)
        answers = (result_col, score_col, text_col)
        if code is None:
            if any(not record.is_empty(c) for c in answers):
                record.problem(C_CODE, None, MSG_NO_CODE)
            continue
        if code in headings and code not in items:
            continue
        item = items.get(code)
        if item is None:
            record.problem(C_CODE, code, MSG_UNKNOWN_CODE)
            continue
        if code in seen:
            record.problem(C_CODE, code, MSG_DUP_ROW.format(row=seen[code]))
            continue
        seen[code] = record.row
        result = record.choice(result_col, Result.from_label, RESULT_LABELS)
        stored = item["self_result" if side == "self" else "result"]
        if result is not None and item["type"] == "TEXT" and result.value != stored:
            # The rule of the window and of `finding set` (judging.check_result); a value
            # recorded before that rule, written on the form and sent back, is no news.
            record.problem(result_col, result.label, MSG_TEXT_ITEM)
            result = None
        score = record.number(score_col, lo=0, hi=float(item["max_score"] or 0))
        text = record.text(text_col)
        changes = _changes(item, side, result, score, text)
        if changes:
            out.changes.append((item["item_id"], changes))
        else:
            out.unchanged += 1
    if problems:
        raise refused(path, problems)
    return out


def _changes(
    item: dict[str, Any],
    side: Side,
    result: Result | None,
    score: float | None,
    text: str | None,
) -> dict[str, Any]:
    wanted: dict[str, Any] = {}
    if side == "self":
        if result is not None:
            wanted["self_result"] = result.value
        if score is not None:
            wanted["self_score"] = score
        if text is not None:
            wanted["self_evidence"] = text
    else:
        if result is not None:
            wanted["result"] = result.value
            # The rule of services.findings.record (judging.result_changes): Đạt without
            # points earns the maximum, Không đạt earns 0, Không áp dụng has no score.
            if score is None:
                default = judging.result_changes(
                    result, float(item["max_score"] or 0), item["score"]
                )
                if "score" in default:
                    wanted["score"] = default["score"]
        if score is not None:
            wanted["score"] = score
        if text is not None:
            wanted["note"] = text
    return {k: v for k, v in wanted.items() if item.get(k) != v}


def import_form(
    store: Store, inspection_id: str, path: Path | str, side: Side, recorded_by: str = ""
) -> dict[str, int]:
    """Write one side of the form in one transaction; {"updated": n, "unchanged": m}."""
    return apply_form(
        store, inspection_id, read_form(store, inspection_id, path, side), recorded_by
    )


def apply_form(
    store: Store, inspection_id: str, plan: FormChanges, recorded_by: str = ""
) -> dict[str, int]:
    """Write what `read_form` found in one transaction; {"updated": n, "unchanged": m}."""
    with store.transaction():
        for item_id, changes in plan.changes:
            store.findings.set_finding(inspection_id, item_id, changes, recorded_by=recorded_by)
    return {"updated": len(plan.changes), "unchanged": plan.unchanged}


__all__ = ["FormChanges", "apply_form", "import_form", "read_form", "write_form"]
