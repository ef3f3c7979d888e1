"""The Excel compilation of a plan: "Tổng hợp" across units and one sheet per unit.

openpyxl is imported inside the functions: the command line starts without it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from desktop.reports.context import PlanData
from desktop.services.scoring import standing
from desktop.services.workbook_io import keep_text

SUMMARY_SHEET = "Tổng hợp"
SUMMARY_HEAD = ["TT", "Đơn vị", "Cấp", "Tháng"]
SUMMARY_TAIL = [
    "Tổng điểm",
    "Tự chấm",
    "Điểm tối đa",
    "Tỷ lệ (%)",
    "Xếp hạng trong cấp",
    "Số nội dung không đạt",
    "Số kiến nghị",
]
UNIT_HEAD = ["Mã", "Nội dung", "Kết quả", "Điểm", "Điểm tối đa", "Nhận xét", "Tài liệu kiểm chứng"]
UNIT_WIDTHS = [10, 60, 14, 9, 11, 50, 40]
BAD_FILL = "FBE3E1"
HEAD_FILL = "DDE5F0"
NO_POINTS = "—"  # an area scored on no points (A8)
FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_name(name: str, taken: set[str]) -> str:
    """A valid, unique sheet title (≤ 31 characters, none of []:*?/\\) for a unit name."""
    base = FORBIDDEN.sub(" ", name).strip().strip("'") or "Đơn vị"
    base = re.sub(r"\s+", " ", base)
    candidate = base[:31]
    n = 2
    folded = {t.casefold() for t in taken}  # Excel compares titles ignoring case
    while candidate.casefold() in folded:
        suffix = f" ({n})"
        candidate = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(candidate)
    return candidate


# Cell styles, registered once per workbook as named styles. The workbook is write-only
# (rows streamed to the file, no cell grid kept) and a styled cell takes the style array
# computed once per style (`_Styles`): assigning a named style per cell looks it up and
# hashes it anew, which cost as much as writing the cells (profiled: 200 units, 85,000 cells).
HEADER, CELL, NUMBER, PERCENT, WRAP, BAD, BAD_NUMBER, BAD_WRAP, TITLE, SUBTITLE = (
    "KT tiêu đề",
    "KT ô",
    "KT số",
    "KT tỷ lệ",
    "KT xuống dòng",
    "KT không đạt",
    "KT không đạt số",
    "KT không đạt xuống dòng",
    "KT tên bảng",
    "KT dòng phụ",
)


def _add_styles(wb: Any) -> None:
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side

    thin = Side(style="thin", color="999999")
    box = Border(top=thin, bottom=thin, left=thin, right=thin)  # every cell of the table
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    bad = PatternFill("solid", fgColor=BAD_FILL)
    for style in (
        NamedStyle(
            HEADER,
            font=Font(bold=True),
            fill=PatternFill("solid", fgColor=HEAD_FILL),
            alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
            border=box,
        ),
        NamedStyle(CELL, border=box, alignment=top),
        NamedStyle(NUMBER, number_format="0.00", border=box, alignment=top),
        NamedStyle(PERCENT, number_format="0.0%", border=box, alignment=top),
        NamedStyle(WRAP, alignment=wrap, border=box),
        NamedStyle(BAD, fill=bad, border=box, alignment=top),
        NamedStyle(BAD_NUMBER, fill=bad, number_format="0.00", border=box, alignment=top),
        NamedStyle(BAD_WRAP, fill=bad, alignment=wrap, border=box),
        NamedStyle(
            TITLE,
            font=Font(bold=True, size=13),
            alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
        ),
        NamedStyle(
            SUBTITLE,
            font=Font(italic=True),
            alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
        ),
    ):
        wb.add_named_style(style)


class _Styles:
    """Rows of (value, style) streamed into a write-only sheet through one reused cell.

    openpyxl's own streaming reuses one cell for unstyled values but builds a new cell for
    each styled one and looks its style up in the workbook's style table per cell; here each
    named style's array and table index are computed once, and one cell carries every value
    to the writer (which consumes each cell before the next is produced, as openpyxl's own
    loop relies on).
    """

    def __init__(self, wb: Any, ws: Any) -> None:
        from openpyxl.cell import Cell, WriteOnlyCell
        from openpyxl.styles.cell_style import StyleArray

        # openpyxl has no type hints: Cell is Any.
        class StreamCell(Cell):  # type: ignore[misc]  # the style's index is known: no lookup per cell
            __slots__ = ("sid",)
            sid: int

            @property
            def style_id(self) -> int:
                return self.sid

            @property
            def has_style(self) -> bool:
                return self.sid != 0

        self.cell_class = StreamCell
        self.styles: dict[str | None, tuple[Any, int]] = {}
        for name in (
            None,
            HEADER,
            CELL,
            NUMBER,
            PERCENT,
            WRAP,
            BAD,
            BAD_NUMBER,
            BAD_WRAP,
            TITLE,
            SUBTITLE,
        ):
            probe = WriteOnlyCell(ws)
            if name is not None:
                probe.style = name
            array = probe._style or StyleArray()
            self.styles[name] = (array, wb._cell_styles.add(array))

    def stream(self, ws: Any) -> None:
        """Make `ws.append` take lists of (value, (style array, style index)) pairs."""
        cell = self.cell_class(ws, row=1, column=1)

        def values_to_row(values: list[tuple[Any, Any]], row_idx: int) -> Any:
            for col_idx, (value, (array, sid)) in enumerate(values, 1):
                if value is None and not sid:
                    continue
                cell._style, cell.sid = array, sid
                cell.value = value
                if cell.data_type == "f":
                    keep_text(cell)  # a note "=…" is text, never a live formula
                cell.column = col_idx
                cell.row = row_idx
                yield cell

        ws._values_to_row = values_to_row
        # Row heights as the attributes the writer puts on <row>: a RowDimension per row
        # (nearly every unit-sheet row wraps) cost a fifth of the whole export.
        ws.row_dimensions = {}

    def row(self, values: Any, styles: Any) -> list[tuple[Any, Any]]:
        known = self.styles
        return [(v, known[s]) for v, s in zip(values, styles, strict=True)]


def set_height(ws: Any, row: int, height: float) -> None:
    """Give a row of a streamed sheet (`_Styles.stream`) its height in points."""
    ws.row_dimensions[row] = {"ht": f"{height:g}", "customHeight": "1"}


MARGINS = (0.5, 0.4, 0.6, 0.6)  # left, right, top, bottom, in inches
HEADER_ROW = 4  # under two title rows and a blank one


def print_setup(ws: Any, header_row: int) -> None:
    """A4 landscape fitted to the page width, the heading row printed atop every page,
    narrow margins, page numbers in the footer (every workbook a secretary prints)."""
    from openpyxl.worksheet.page import PageMargins

    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    left, right, top, bottom = MARGINS
    ws.page_margins = PageMargins(left=left, right=right, top=top, bottom=bottom)
    ws.oddFooter.center.text = "Trang &P/&N"


def title_rows(ws: Any, st: _Styles, lines: list[str], columns: int) -> None:
    """The sheet's title and the plan it belongs to, each merged across the table's width,
    then a blank row; the heading row follows (HEADER_ROW). Write-only: call first."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.cell_range import CellRange

    last = get_column_letter(columns)
    for n, (text, style) in enumerate(zip(lines, (TITLE, SUBTITLE), strict=True), start=1):
        ws.merged_cells.add(CellRange(f"A{n}:{last}{n}"))
        set_height(ws, n, 22 if style == TITLE else 32)
        ws.append(st.row([text], [style]))
    ws.append([])


def plan_line(plan: dict[str, Any]) -> str:
    """ "(Theo Kế hoạch số 21/KH-UBND ngày 02/02/2021 của Ủy ban nhân dân tỉnh Sóc Trăng)"."""
    issued = plan.get("issued_on")
    when = f" ngày {issued.strftime('%d/%m/%Y')}" if issued else ""
    return f"(Theo Kế hoạch số {plan['number']}{when} của {plan['issuer']})"


_WRAPPING = frozenset((WRAP, BAD_WRAP, HEADER))
LINE_HEIGHT = 15.0  # points per line of 11-point text
MAX_ROW_HEIGHT = 409.0  # Excel's limit


def row_height(values: Any, widths: Sequence[float], styles: Any) -> float | None:
    """The height a row needs for its wrapped text (LibreOffice does not grow rows written
    without one: the lines overprint the next row); None for a single line."""
    lines = 1
    for value, width, style in zip(values, widths, styles, strict=True):
        if style not in _WRAPPING or type(value) is not str:
            continue
        per_line = max(int(width * 1.1) - 1, 1)  # characters in a column `width` wide
        if len(value) <= per_line and "\n" not in value:
            continue  # one line (the common case: asked for every row of every sheet)
        lines = max(lines, sum(-(-max(len(part), 1) // per_line) for part in value.split("\n")))
    return min(lines * LINE_HEIGHT, MAX_ROW_HEIGHT) if lines > 1 else None


def _summary_row(n: int, row: dict[str, Any], areas: list[tuple[str, str]]) -> list[Any]:
    """Values of one "Tổng hợp" row; a unit with nothing recorded yet has blank numbers."""
    head = [n, row["unit"], row["level_label"], row["month"]]
    if not row.get("recorded"):
        return head + [None] * (len(areas) + len(SUMMARY_TAIL))
    # "—" for an area without points (A8, observations: no score to give); blank, not 0, for
    # an area with nothing recorded yet.
    by_code = {
        a["code"]: (a["score"] if a["recorded"] else None) if a["max"] else NO_POINTS
        for a in row["areas"]
    }
    return (
        head
        + [by_code.get(code) for code, _ in areas]
        + [
            row["total"],
            row.get("self_total"),
            row["max"],
            row["percent"] / 100,
            # A partly recorded visit is not ranked as final (scoring.standing).
            row["final_rank"] if not row["provisional"] else standing(row),
            row["not_passed"],
            row["recommendations"],
        ]
    )


def write_xlsx(data: PlanData, target: Path) -> None:
    """Write the compilation to `target` (the caller makes it atomic)."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    _add_styles(wb)
    ws = wb.create_sheet(SUMMARY_SHEET)
    st = _Styles(wb, ws)
    st.stream(ws)
    areas = data.area_names
    header = SUMMARY_HEAD + [f"{code}. {name}" for code, name in areas] + SUMMARY_TAIL
    widths = [5, 40, 14, 8] + [12] * len(areas) + [11, 10, 11, 10, 11, 13, 11]
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = f"C{HEADER_ROW + 1}"
    print_setup(ws, HEADER_ROW)
    title = f"TỔNG HỢP KẾT QUẢ KIỂM TRA CÔNG TÁC CẢI CÁCH HÀNH CHÍNH NĂM {data.plan['year']}"
    title_rows(ws, st, [title, plan_line(data.plan)], len(header))
    head_styles = [HEADER] * len(header)
    set_height(ws, HEADER_ROW, row_height(header, widths, head_styles) or 30)
    ws.append(st.row(header, head_styles))
    numbers = len(areas) + 3  # area scores, total, self-assessed total, maximum
    row_styles = [CELL, WRAP, CELL, CELL] + [NUMBER] * numbers + [PERCENT, CELL, CELL, CELL]
    for n, row in enumerate(data.rows, start=1):
        values = _summary_row(n, row, areas)
        height = row_height(values, widths, row_styles)
        if height:
            set_height(ws, HEADER_ROW + n, height)
        ws.append(st.row(values, row_styles))
    last = get_column_letter(len(header))
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + len(data.rows)}"

    taken = {SUMMARY_SHEET}
    plain = (CELL, WRAP, CELL, NUMBER, NUMBER, WRAP, WRAP)
    bad = (BAD, BAD_WRAP, BAD, BAD_NUMBER, BAD_NUMBER, BAD_WRAP, BAD_WRAP)
    last_col = get_column_letter(len(UNIT_HEAD))
    for row in data.rows:
        us = wb.create_sheet(sheet_name(row["unit"], taken))
        st.stream(us)
        for col, width in enumerate(UNIT_WIDTHS, start=1):
            us.column_dimensions[get_column_letter(col)].width = width
        us.freeze_panes = f"A{HEADER_ROW + 1}"
        print_setup(us, HEADER_ROW)
        title_rows(
            us,
            st,
            [f"KẾT QUẢ KIỂM TRA: {row['unit'].upper()}", plan_line(data.plan)],
            len(UNIT_HEAD),
        )
        unit_head = [HEADER] * len(UNIT_HEAD)
        set_height(us, HEADER_ROW, row_height(UNIT_HEAD, UNIT_WIDTHS, unit_head) or 30)
        us.append(st.row(UNIT_HEAD, unit_head))
        count = HEADER_ROW
        for area in row.get("areas_items", []):
            for item in area["items"]:
                styles = bad if item["result"] in ("khong-dat", "mot-phan") else plain
                cells = (
                    item["code"],
                    item["text"],
                    item["result_label"],
                    item["score"],
                    item["max_score"] or NO_POINTS,  # an item without points (A8): no 0,00
                    item["note"],
                    "\n".join(item["evidence"]),
                )
                count += 1
                height = row_height(cells, UNIT_WIDTHS, styles)
                if height:
                    set_height(us, count, height)
                us.append(st.row(cells, styles))
        us.auto_filter.ref = f"A{HEADER_ROW}:{last_col}{count}"
    wb.save(str(target))
