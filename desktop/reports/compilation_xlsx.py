"""The Excel compilation of a plan: "Tổng hợp" across units and one sheet per unit.

openpyxl is imported inside the functions: the command line starts without it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from desktop.reports.context import PlanData
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
HEADER, CELL, NUMBER, PERCENT, WRAP, BAD, BAD_NUMBER, BAD_WRAP = (
    "KT tiêu đề",
    "KT ô",
    "KT số",
    "KT tỷ lệ",
    "KT xuống dòng",
    "KT không đạt",
    "KT không đạt số",
    "KT không đạt xuống dòng",
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
        for name in (None, HEADER, CELL, NUMBER, PERCENT, WRAP, BAD, BAD_NUMBER, BAD_WRAP):
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
                keep_text(cell)  # a note "=…" is text, never a live formula
                cell.column = col_idx
                cell.row = row_idx
                yield cell

        ws._values_to_row = values_to_row

    def row(self, values: Any, styles: Any) -> list[tuple[Any, Any]]:
        known = self.styles
        return [(v, known[s]) for v, s in zip(values, styles, strict=True)]


def _page_setup(ws: Any) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"


LINE_HEIGHT = 15.0  # points per line of 11-point text
MAX_ROW_HEIGHT = 409.0  # Excel's limit


def row_height(values: Any, widths: Sequence[float], styles: Any) -> float | None:
    """The height a row needs for its wrapped text (LibreOffice does not grow rows written
    without one: the lines overprint the next row); None for a single line."""
    lines = 1
    for value, width, style in zip(values, widths, styles, strict=True):
        if style not in (WRAP, BAD_WRAP, HEADER) or not isinstance(value, str):
            continue
        per_line = max(int(width * 1.1) - 1, 1)  # characters in a column `width` wide
        lines = max(lines, sum(-(-max(len(part), 1) // per_line) for part in value.split("\n")))
    return min(lines * LINE_HEIGHT, MAX_ROW_HEIGHT) if lines > 1 else None


def _summary_row(n: int, row: dict[str, Any], areas: list[tuple[str, str]]) -> list[Any]:
    """Values of one "Tổng hợp" row; a unit with nothing recorded yet has blank numbers."""
    head = [n, row["unit"], row["level_label"], row["month"]]
    if not row.get("recorded"):
        return head + [None] * (len(areas) + len(SUMMARY_TAIL))
    # Blank, not 0: an area without points (A8, observations) or with nothing recorded yet.
    by_code = {a["code"]: a["score"] for a in row["areas"] if a["max"] and a["recorded"]}
    return (
        head
        + [by_code.get(code) for code, _ in areas]
        + [
            row["total"],
            row.get("self_total"),
            row["max"],
            row["percent"] / 100,
            # A partly recorded visit is not ranked as final (scoring.final_rank).
            row["final_rank"]
            if row["complete"]
            else f"Tạm tính ({row['judged']}/{row['to_judge']})",
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
    ws.row_dimensions[1].height = 45
    ws.freeze_panes = "C2"
    _page_setup(ws)
    ws.append(st.row(header, [HEADER] * len(header)))
    numbers = len(areas) + 3  # area scores, total, self-assessed total, maximum
    row_styles = [CELL, WRAP, CELL, CELL] + [NUMBER] * numbers + [PERCENT, CELL, CELL, CELL]
    for n, row in enumerate(data.rows, start=1):
        values = _summary_row(n, row, areas)
        height = row_height(values, widths, row_styles)
        if height:
            ws.row_dimensions[n + 1].height = height
        ws.append(st.row(values, row_styles))
    ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(data.rows) + 1}"

    taken = {SUMMARY_SHEET}
    plain = (CELL, WRAP, CELL, NUMBER, NUMBER, WRAP, WRAP)
    bad = (BAD, BAD_WRAP, BAD, BAD_NUMBER, BAD_NUMBER, BAD_WRAP, BAD_WRAP)
    last_col = get_column_letter(len(UNIT_HEAD))
    for row in data.rows:
        us = wb.create_sheet(sheet_name(row["unit"], taken))
        st.stream(us)
        for col, width in enumerate(UNIT_WIDTHS, start=1):
            us.column_dimensions[get_column_letter(col)].width = width
        us.freeze_panes = "A2"
        _page_setup(us)
        us.append(st.row(UNIT_HEAD, [HEADER] * len(UNIT_HEAD)))
        count = 1
        for area in row.get("areas_items", []):
            for item in area["items"]:
                styles = bad if item["result"] in ("khong-dat", "mot-phan") else plain
                cells = (
                    item["code"],
                    item["text"],
                    item["result_label"],
                    item["score"],
                    item["max_score"],
                    item["note"],
                    "\n".join(item["evidence"]),
                )
                count += 1
                height = row_height(cells, UNIT_WIDTHS, styles)
                if height:
                    us.row_dimensions[count].height = height
                us.append(st.row(cells, styles))
        us.auto_filter.ref = f"A1:{last_col}{count}"
    wb.save(str(target))
