"""Reading and writing the Excel workbooks people fill in (openpyxl), defensively.

Reading happens in two steps. `read_workbook` turns a file into plain rows of values, refusing
(as `InputFileError`) anything that is not a sound .xlsx: too big, not a zip, a zip bomb, a
truncated or hostile archive. Then `Sheet`/`Record` check the values cell by cell and collect a
`Problem` (sheet, row, column, value) for everything wrong, so that one file is refused whole
with every reason listed. Formulas are refused as values: we read the file without computing
anything, so "=A1*2" would otherwise become text; people must paste values. A text cell that
merely begins with "=" (a note the app wrote as text) is text, not a formula.

Writing: every workbook the app writes goes through `keep_text` (a str never becomes a live
formula: a note "=HYPERLINK(…)" stays the words typed), via `save_workbook`/`strings_only` or,
for streamed sheets, per cell.

openpyxl is imported inside the functions: the command line and the GUI start without it.
"""

from __future__ import annotations

import datetime as dt
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from xml.parsers.expat import ExpatError

from db.files import atomic_path
from desktop.domain import fold, nfc, parse_date
from desktop.services.errors import InputFileError, Problem, UserError

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_ARCHIVE_MEMBERS = 2_000
MAX_ROWS = 5_000
MAX_COLUMNS = 60
MAX_TEXT = 2_000
# What the XML inside may hold, checked by streaming it before openpyxl builds anything: openpyxl
# keeps shared strings and styles whole in memory and materialises every cell of a row, so a
# small zip of repetitive XML could otherwise take gigabytes and minutes.
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
MAX_ROW_CELLS = 16_384  # Excel's own limit: columns A..XFD
MAX_PART_CHARS = 16_000_000  # text in one XML part
MAX_PART_ELEMENTS = 2_000_000  # elements in one part
# What openpyxl keeps whole in memory, counted before it parses (a 353 KB styles part of
# 1.9 million <xf/> took 50 s and 3.3 GB): any workbook up to 10 MB is then accepted or refused
# within about 15 s and 500 MB (tests/fuzz/test_workbook_bombs.py).
MAX_STYLES = 20_000  # <xf> cell formats (Excel's own limit is 64,000; real forms use dozens)
MAX_STYLE_ELEMENTS = 100_000  # everything in the styles part: fonts, fills, borders, formats
MAX_SHARED_STRINGS = 100_000  # <si> entries
MAX_CELLS = MAX_ROWS * MAX_COLUMNS  # <c> in all worksheets together: 300,000
# Elements of every other part together (workbook, defined names, comments, drawings…): each
# becomes a Python object when openpyxl opens the workbook whole.
MAX_OTHER_ELEMENTS = 150_000
MAX_DEPTH = 64  # XML nesting; a spreadsheet nests about 8 deep
# Up to this much XML, the workbook is also opened whole once: the streaming reader skips the
# parts it does not need (column and row formats…), and a file Excel or openpyxl cannot open
# must not be accepted because those parts were never looked at.
FULL_CHECK_BYTES = 8 * 1024 * 1024

# Strings the user sees, in one place.
MSG_NOT_WORKBOOK = "Tệp {name} không phải là sổ tính Excel hợp lệ (.xlsx)"
MSG_NOT_FOUND = "Không tìm thấy tệp {name}"
MSG_TOO_BIG = "Tệp {name} quá lớn ({size:.1f} MB); chỉ nhận tệp đến 20 MB"
MSG_BOMB = "Tệp {name} khi giải nén quá lớn; không phải là sổ tính Excel hợp lệ"
MSG_TOO_MANY = (
    "Tệp {name} có quá nhiều {what} (hơn {limit}); hãy dán giá trị (Paste Values) sang một sổ "
    "tính mới rồi thử lại"
)
MSG_TOO_DEEP = "Tệp {name} có cấu trúc XML lồng quá sâu; không phải là sổ tính Excel hợp lệ"
MSG_DATE_RANGE = "ngày {date} nằm ngoài khoảng 1900–2100"
MSG_DATE_ERROR = (
    "ngày không hợp lệ (giá trị lỗi hoặc số quá lớn cho một ngày); nhập dạng dd/mm/yyyy"
)
FIRST_YEAR, LAST_YEAR = 1900, 2100
MSG_REFUSED = "Tệp {name} bị từ chối, không có gì được ghi. Cần sửa:"
MSG_MISSING_SHEET = "thiếu sheet “{sheet}”"
MSG_MISSING_COLUMN = "thiếu cột"
MSG_TOO_MANY_ROWS = f"sheet có quá {MAX_ROWS:,} dòng".replace(",", ".")
MSG_FORMULA = "ô chứa công thức; hãy dán giá trị (Paste Values) thay cho công thức"
MSG_TOO_LONG = f"nội dung quá dài (tối đa {MAX_TEXT:,} ký tự)".replace(",", ".")
MSG_ERROR_VALUE = "ô chứa giá trị lỗi của Excel"
MSG_REQUIRED = "bắt buộc nhập"
MSG_NOT_NUMBER = "phải là số"
MSG_NOT_INTEGER = "phải là số nguyên"
MSG_RANGE = "phải trong khoảng {lo}–{hi}"
MSG_BAD_DATE = "ngày không hợp lệ; nhập ngày Excel hoặc dạng dd/mm/yyyy"
MSG_CANNOT_WRITE = "Không ghi được tệp {path}: {reason}"

EXCEL_ERRORS = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"}

# Everything openpyxl, zipfile and the XML parsers raise on a broken or hostile file.
# (xml.etree's ParseError and lxml's XMLSyntaxError are SyntaxErrors; UnicodeError is a
# ValueError.)
_READ_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    LookupError,
    OSError,
    ValueError,
    TypeError,
    AttributeError,
    EOFError,
    SyntaxError,
    ExpatError,
    NotImplementedError,
    RecursionError,
    MemoryError,
)

T = TypeVar("T")


@dataclass
class SheetData:
    """A worksheet as plain values: (Excel row number, cell values from column A)."""

    name: str
    rows: list[tuple[int, tuple[Any, ...]]]


def _read_errors() -> tuple[type[BaseException], ...]:
    from openpyxl.utils.exceptions import InvalidFileException

    return (*_READ_ERRORS, InvalidFileException)


def refused(path: Path | str, problems: list[Problem]) -> InputFileError:
    """The error for a file refused whole because of `problems`."""
    return InputFileError(MSG_REFUSED.format(name=Path(path).name), problems)


def read_workbook(
    path: Path | str, wanted: Sequence[str]
) -> tuple[dict[str, SheetData], list[Problem]]:
    """The sheets named in `wanted` (matched ignoring case and diacritics) as plain values.

    Raises InputFileError when the file cannot be a workbook at all; a missing sheet or a
    sheet over MAX_ROWS rows comes back as a Problem so that it is reported with the rest.
    """
    path = Path(path)
    name = path.name
    try:
        if path.is_dir():
            raise InputFileError(MSG_NOT_WORKBOOK.format(name=name))
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise InputFileError(MSG_NOT_FOUND.format(name=path)) from exc
    except OSError as exc:
        raise InputFileError(MSG_NOT_WORKBOOK.format(name=name)) from exc
    if size > MAX_FILE_BYTES:
        raise InputFileError(MSG_TOO_BIG.format(name=name, size=size / 1024 / 1024))
    errors = _read_errors()
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            unpacked = sum(m.file_size for m in members)
            if len(members) > MAX_ARCHIVE_MEMBERS or unpacked > MAX_UNCOMPRESSED_BYTES:
                raise InputFileError(MSG_BOMB.format(name=name))
            totals: dict[str, int] = {}
            for member in members:
                _check_xml(archive, member, name, totals)
    except InputFileError:
        raise
    except errors as exc:
        raise InputFileError(MSG_NOT_WORKBOOK.format(name=name)) from exc

    import openpyxl

    problems: list[Problem] = []
    found: dict[str, SheetData] = {}
    try:
        # A file object, not the path: openpyxl judges paths by their extension, and a
        # workbook saved as ".XLSX" or without extension is still a workbook.
        with path.open("rb") as handle, warnings.catch_warnings():
            # Excel's extensions openpyxl does not know ("Data Validation extension is not
            # supported") are harmless for reading values.
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(handle, read_only=True, data_only=False)
            try:
                by_key = {fold(nfc(title)).strip(): title for title in book.sheetnames}
                for sheet in wanted:
                    title = by_key.get(fold(sheet).strip())
                    if title is None:
                        problems.append(
                            Problem(sheet, None, "", None, MSG_MISSING_SHEET.format(sheet=sheet))
                        )
                        continue
                    worksheet = book[title]
                    if not hasattr(worksheet, "iter_rows"):  # a chart sheet
                        problems.append(
                            Problem(sheet, None, "", None, MSG_MISSING_SHEET.format(sheet=sheet))
                        )
                        continue
                    found[sheet] = _sheet_rows(sheet, worksheet, problems)
            finally:
                book.close()
            if unpacked <= FULL_CHECK_BYTES:
                handle.seek(0)
                openpyxl.load_workbook(handle, read_only=False, data_only=False).close()
    except InputFileError:
        raise
    except errors as exc:
        raise InputFileError(MSG_NOT_WORKBOOK.format(name=name)) from exc
    return found, problems


# What a part holds, by its root element (not its name: the relationships may point anywhere),
# counted over the whole workbook: (element, limit, what the message calls it).
_COUNTED = {
    "styleSheet": ("xf", MAX_STYLES, "kiểu định dạng ô"),
    "sst": ("si", MAX_SHARED_STRINGS, "chuỗi văn bản dùng chung"),
    "worksheet": ("c", MAX_CELLS, "ô"),
}


def _many(count: int) -> str:
    return f"{count:,}".replace(",", ".")


def _area(ref: str) -> int:
    """How many cells a range ("A1:Z100") covers; openpyxl makes one object per cell of a
    merged range or a hyperlink's range when it opens a workbook whole."""
    from openpyxl.utils.cell import range_boundaries

    try:
        bounds = range_boundaries(ref.split()[0])
    except (ValueError, TypeError, IndexError):
        return 1
    min_col, min_row, max_col, max_row = (int(b) if b is not None else None for b in bounds)
    if min_col is None or min_row is None or max_col is None or max_row is None:
        return MAX_CELLS + 1  # a whole row or column
    return (max_col - min_col + 1) * (max_row - min_row + 1)


def _check_xml(
    archive: zipfile.ZipFile, member: zipfile.ZipInfo, name: str, totals: dict[str, int]
) -> None:
    """Stream one XML part with expat and refuse what no spreadsheet program writes.

    No DTD at all (so no entity expansion, no external entities), no cell text over Excel's
    limit, no row wider than Excel's, bounded text, element counts and nesting per part, and
    bounded styles, shared strings and cells over the whole workbook (`totals`, by root
    element) — what openpyxl would otherwise build in memory whole.
    """
    from xml.parsers import expat

    worksheet = member.filename.lower().startswith("xl/worksheets/")
    parser = expat.ParserCreate()
    state = {"elements": 0, "chars": 0, "run": 0, "cells": 0, "depth": 0}
    counted: list[Any] = []  # (element, limit, what) once the root is known

    def bomb() -> InputFileError:
        return InputFileError(MSG_BOMB.format(name=name))

    def doctype(*_: Any) -> None:
        raise InputFileError(MSG_NOT_WORKBOOK.format(name=name))

    def too_many(what: str, limit: int) -> InputFileError:
        return InputFileError(MSG_TOO_MANY.format(name=name, what=what, limit=_many(limit)))

    def start(tag: str, attrs: Any) -> None:
        state["elements"] += 1
        state["run"] = 0
        state["depth"] += 1
        local = tag.rsplit(":", 1)[-1]
        if state["elements"] == 1:
            counted.append(_COUNTED.get(local, ("", 0, "")))
        element = counted[0][0] if counted else ""
        if element == "c" and local in ("mergeCell", "hyperlink") and "ref" in attrs:
            totals["c"] = totals.get("c", 0) + _area(str(attrs["ref"]))
            if totals["c"] > MAX_CELLS:
                raise too_many("ô", MAX_CELLS)
        elif element not in ("c", "si"):
            totals["other"] = totals.get("other", 0) + 1
            if totals["other"] > MAX_OTHER_ELEMENTS:
                raise too_many("phần tử XML", MAX_OTHER_ELEMENTS)
        if local == "row":
            state["cells"] = 0
        elif local == "c" and worksheet:
            state["cells"] += 1
            if state["cells"] > MAX_ROW_CELLS:
                raise bomb()
        if element and local == element:
            _, limit, what = counted[0]
            totals[element] = totals.get(element, 0) + 1
            if totals[element] > limit:
                raise too_many(what, limit)
        if element == "xf" and state["elements"] > MAX_STYLE_ELEMENTS:
            raise too_many("định dạng", MAX_STYLE_ELEMENTS)
        if state["depth"] > MAX_DEPTH:
            raise InputFileError(MSG_TOO_DEEP.format(name=name))
        if state["elements"] > MAX_PART_ELEMENTS:
            raise bomb()

    def end(_tag: str) -> None:
        state["run"] = 0
        state["depth"] -= 1

    def text(data: str) -> None:
        state["run"] += len(data)
        state["chars"] += len(data)
        if state["run"] > MAX_CELL_CHARS or state["chars"] > MAX_PART_CHARS:
            raise bomb()

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    with archive.open(member) as handle:
        chunk = handle.read(1 << 16)
        # Whatever openpyxl may parse is XML, whatever its name; pictures are left alone.
        if not chunk.lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n\0").startswith(b"<"):
            return
        while chunk:
            parser.Parse(chunk, False)
            chunk = handle.read(1 << 16)
        parser.Parse(b"", True)


class Formula(str):
    """A cell read back that holds a formula (its text, "=A1*2"), as opposed to a text cell
    that begins with "=": only formulas are refused."""

    __slots__ = ()


def _cell_value(cell: Any) -> Any:
    value = cell.value
    if isinstance(value, str) and getattr(cell, "data_type", None) == "f":
        return Formula(value)
    return value


def _sheet_rows(sheet: str, worksheet: Any, problems: list[Problem]) -> SheetData:
    # The stored dimension may lie (claim XFD1048576, or A1 when there is more): ignore it
    # and read at most MAX_COLUMNS columns of the rows actually present.
    if hasattr(worksheet, "reset_dimensions"):
        worksheet.reset_dimensions()
    rows: list[tuple[int, tuple[Any, ...]]] = []
    for number, cells in enumerate(worksheet.iter_rows(max_col=MAX_COLUMNS), start=1):
        values = tuple(_cell_value(cell) for cell in cells)
        if number > MAX_ROWS:
            if any(not _blank(v) for v in values):
                problems.append(Problem(sheet, number, "", None, MSG_TOO_MANY_ROWS))
            break
        rows.append((number, tuple(values)))
    return SheetData(sheet, rows)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def key(text: str) -> str:
    """How headers and labels are compared: no case, no diacritics, single spaces."""
    return " ".join(fold(nfc(text)).split())


class _Bad:
    """A cell already reported as a problem (formula, too long, Excel error)."""


BAD = _Bad()


class Record:
    """One data row of a sheet; its readers append a Problem and return None on bad input."""

    def __init__(
        self, sheet: str, row: int, cells: dict[str, Any], problems: list[Problem]
    ) -> None:
        self.sheet = sheet
        self.row = row
        self.cells = cells
        self.problems = problems
        self._clean: dict[str, Any] = {}

    def problem(self, column: str, value: Any, message: str) -> None:
        self.problems.append(Problem(self.sheet, self.row, column, value, message))

    def raw(self, column: str) -> Any:
        """The cell's value: None when empty, BAD when already reported, stripped NFC text."""
        if column in self._clean:
            return self._clean[column]
        value = self.cells.get(column)
        if isinstance(value, Formula):
            self.problem(column, value[:80], MSG_FORMULA)
            value = BAD
        elif isinstance(value, str):
            value = nfc(value).strip()
            if not value:
                value = None
            elif len(value) > MAX_TEXT:
                self.problem(column, value[:40] + "…", MSG_TOO_LONG)
                value = BAD
            elif value in EXCEL_ERRORS:
                self.problem(column, value, MSG_ERROR_VALUE)
                value = BAD
        self._clean[column] = value
        return value

    def present(self, column: str, *, required: bool = False) -> Any:
        """The cell's clean value, or None when empty or already reported (empty + required
        is reported here)."""
        value = self.raw(column)
        if value is BAD:
            return None
        if value is None and required:
            self.problem(column, None, MSG_REQUIRED)
        return value

    def is_empty(self, column: str) -> bool:
        return self.raw(column) is None

    def text(self, column: str, *, required: bool = False) -> str | None:
        value = self.present(column, required=required)
        if value is None:
            return None
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        if isinstance(value, dt.datetime):
            return value.strftime("%d/%m/%Y")
        return str(value)

    def number(
        self,
        column: str,
        *,
        required: bool = False,
        lo: float | None = None,
        hi: float | None = None,
        integer: bool = False,
    ) -> float | None:
        value = self.present(column, required=required)
        if value is None:
            return None
        number = to_number(value)
        if number is None:
            self.problem(column, value, MSG_NOT_NUMBER)
            return None
        if integer and not number.is_integer():
            self.problem(column, value, MSG_NOT_INTEGER)
            return None
        if (lo is not None and number < lo) or (hi is not None and number > hi):
            self.problem(column, value, MSG_RANGE.format(lo=_num(lo), hi=_num(hi)))
            return None
        return number

    def date(self, column: str, *, required: bool = False) -> dt.date | None:
        """A date between FIRST_YEAR and LAST_YEAR; anything else is a problem naming the
        cell. openpyxl turns a date cell whose serial overflows (1e308) into "#VALUE!": that
        is said as a bad date, not as an Excel error."""
        given = self.cells.get(column)
        if column not in self._clean and isinstance(given, str) and given in EXCEL_ERRORS:
            self.problem(column, given, MSG_DATE_ERROR)
            self._clean[column] = BAD
            return None
        value = self.present(column, required=required)
        if value is None:
            return None
        parsed = to_date(value)
        if parsed is None:
            self.problem(column, value, MSG_BAD_DATE)
        elif not FIRST_YEAR <= parsed.year <= LAST_YEAR:
            shown = f"{parsed.day:02d}/{parsed.month:02d}/{parsed.year:04d}"  # %Y gives "1"
            self.problem(column, value, MSG_DATE_RANGE.format(date=shown))
            return None
        return parsed

    def choice(
        self,
        column: str,
        parse: Callable[[str], T],
        allowed: Sequence[str],
        *,
        required: bool = False,
    ) -> T | None:
        text = self.text(column, required=required)
        if text is None:
            return None
        try:
            return parse(text)
        except ValueError:
            self.problem(column, text, "không hợp lệ; chọn một trong: " + ", ".join(allowed))
            return None


def _num(value: float | None) -> str:
    if value is None:
        return "…"
    return f"{value:g}".replace(".", ",")


def to_number(value: Any) -> float | None:
    """A number from a numeric cell or from text ("1,5" and "1.5" both mean 1.5)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        text = value.strip().replace(" ", "")
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            return None
    else:
        return None
    if number != number or number in (float("inf"), float("-inf")):
        return None
    return number


def to_date(value: Any) -> dt.date | None:
    """A date from a real Excel date, a date serial number, or text dd/mm/yyyy."""
    if isinstance(value, dt.datetime | dt.date):
        return parse_date(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        # A date cell that lost its format shows its serial number (1 = 01/01/1900).
        if 36526 <= value <= 73415:  # 01/01/2000 .. 31/12/2100
            return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
        return None
    if isinstance(value, str):
        try:
            return parse_date(value)
        except ValueError:
            return None
    return None


class Sheet:
    """A sheet with a header row: finds the columns and yields the non-empty data rows."""

    def __init__(self, data: SheetData, problems: list[Problem]) -> None:
        self.data = data
        self.name = data.name
        self.problems = problems
        self.header_row: int | None = None
        self.columns: dict[str, int] = {}

    def locate(self, expected: Sequence[str], required: Sequence[str], search: int = 15) -> bool:
        """Find the header row (the first rows with most expected headers); report missing ones."""
        wanted = {key(h): h for h in expected}
        best: tuple[int, int, dict[str, int]] | None = None
        for number, values in self.data.rows[:search]:
            found: dict[str, int] = {}
            for index, value in enumerate(values):
                if isinstance(value, str) and key(value) in wanted:
                    found.setdefault(wanted[key(value)], index)
            if found and (best is None or len(found) > len(best[2])):
                best = (number, len(found), found)
        if best is None:
            for header in required:
                self.problems.append(Problem(self.name, None, header, None, MSG_MISSING_COLUMN))
            return False
        self.header_row, _, self.columns = best
        missing = [h for h in required if h not in self.columns]
        for header in missing:
            self.problems.append(
                Problem(self.name, self.header_row, header, None, MSG_MISSING_COLUMN)
            )
        return not missing

    def records(self) -> Iterator[Record]:
        """Rows under the header with something in a known column."""
        if self.header_row is None:
            return
        for number, values in self.data.rows:
            if number <= self.header_row:
                continue
            cells = {h: values[i] if i < len(values) else None for h, i in self.columns.items()}
            if all(_blank(v) for v in cells.values()):
                continue
            yield Record(self.name, number, cells, self.problems)


# -- writing -----------------------------------------------------------------------------------

HEADER_FILL = "DDEBF7"
AREA_FILL = "FCE4D6"


def header_style(cell: Any) -> None:
    """Bold, shaded, bordered, wrapped: the look of every header cell we write."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="808080")
    cell.font = Font(bold=True)
    cell.fill = PatternFill("solid", start_color=HEADER_FILL, end_color=HEADER_FILL)
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)


def write_header(ws: Any, row: int, columns: Sequence[tuple[str, float]]) -> None:
    """Header cells at `row` with their column widths; freeze everything above the data."""
    from openpyxl.utils import get_column_letter

    for index, (title, width) in enumerate(columns, start=1):
        header_style(ws.cell(row=row, column=index, value=title))
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = f"A{row + 1}"  # a string: ws.cell() would create an empty row


def add_list(
    ws: Any, column: int, first_row: int, last_row: int, options: Sequence[str], title: str
) -> None:
    """A drop-down list of `options` on a column; other values are refused by Excel."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    letter = get_column_letter(column)
    validation = DataValidation(
        type="list",
        formula1='"' + ",".join(options) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=title,
        error="Chọn một giá trị trong danh sách: " + ", ".join(options),
        promptTitle=title,
        prompt="Chọn trong danh sách",
        showInputMessage=True,
    )
    validation.add(f"{letter}{first_row}:{letter}{last_row}")
    ws.add_data_validation(validation)


def add_instructions(book: Any, title: str, lines: Sequence[str]) -> Any:
    """The "Hướng dẫn" sheet: a title and one paragraph per row, wrapped."""
    from openpyxl.styles import Alignment, Font

    ws = book.create_sheet("Hướng dẫn")
    ws.column_dimensions["A"].width = 110
    ws["A1"] = title
    ws["A1"].font = Font(bold=True, size=13)
    for number, line in enumerate(lines, start=3):
        cell = ws.cell(row=number, column=1, value=line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if line and not line.startswith(("-", "•")) and line.endswith(":"):
            cell.font = Font(bold=True)
    return ws


def keep_text(cell: Any) -> Any:
    """The one rule for every cell the app writes: a str stays text. openpyxl turns a str
    beginning with "=" into a live formula (a note "=HYPERLINK(…)" would become a link, "=1+1"
    a 2); typed as a string it is written as the words. ("+", "-", "@" are text to openpyxl
    already, and a cell typed string is never evaluated by Excel or LibreOffice.)"""
    if isinstance(cell.value, str) and cell.data_type == "f":
        cell.data_type = "s"
    return cell


def strings_only(book: Any) -> None:
    """keep_text on every cell of every worksheet (the app writes no formula on purpose)."""
    for ws in book.worksheets:
        # The cells that exist (iter_rows would create every empty cell of the grid).
        for cell in list(ws._cells.values()):
            keep_text(cell)


def save_workbook(book: Any, path: Path | str) -> Path:
    """Write the workbook next to its destination, then move it in place (never half a file);
    every text cell as text (strings_only)."""
    path = Path(path)
    strings_only(book)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # A workbook the user hands on: an ordinary file (db.files' DOCUMENT mode).
        with atomic_path(path) as tmp:
            book.save(tmp)
    except OSError as exc:
        raise UserError(MSG_CANNOT_WRITE.format(path=path, reason=exc.strerror or exc)) from exc
    return path
