"""Follow-up in the window: the remediation register, its dialogs, and the earlier-years banner.

- `RegisterModel` holds every live recommendation as the register service computes it (status,
  days overdue) for one `today`, sorts them over keys made once per reload and filters them
  itself by plan, status and the typed words (a phrase of word prefixes, without diacritics).
- `FollowupWindow` is the "Sổ theo dõi khắc phục" window: record a remediation report for the
  selected recommendations, verify the latest one, write a reminder letter (công văn đôn đốc) for
  an overdue unit and the escalation list (XLSX). Edits refresh the touched rows with
  `dataChanged`; a reload (another database, new recommendations) resets the model.
- `EarlierBanner` shows, above the checklist, the recommendations of earlier years' inspections
  of the same unit that are not verified yet.
- `install(window)` adds the "Theo dõi" menu (register Ctrl+R, dashboard) and the banner to a
  MainWindow; the dashboard module (QtCharts) is imported only when it is opened.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from itertools import compress, repeat
from operator import eq
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from desktop.domain import fold, format_date
from desktop.services.followup import FollowupStatus
from desktop.ui import strings
from desktop.ui.common.rows_model import RowsTableModel
from desktop.ui.models import IdRole, ObjectRole, SortRole

if TYPE_CHECKING:
    pass

# Strings the user sees.
T_MENU = "Th&eo dõi"  # Alt+T is Tệp
T_REGISTER = "Sổ theo dõi khắc phục…"
T_DASHBOARD = "Bảng điều khiển…"
T_TITLE = "Sổ theo dõi khắc phục kiến nghị"
HEADERS = ("Đơn vị", "Số TT", "Kiến nghị", "Thời hạn", "Trạng thái", "Quá hạn (ngày)")
T_ALL_PLANS = "Tất cả kế hoạch"
T_ALL_STATUSES = "Mọi trạng thái"
T_OVERDUE = "Quá hạn (kể cả báo cáo không đạt)"
T_PLAN_ITEM = "{number} — năm {year}"
T_FILTER_HINT = "Lọc theo đơn vị, nội dung kiến nghị (gõ không dấu được)…"
T_COUNT = "{shown}/{total} kiến nghị · quá hạn: {overdue}"
T_REPORT = "Ghi nhận báo cáo khắc phục…"
T_VERIFY = "Xác minh…"
T_REMINDER = "Tạo công văn đôn đốc…"
T_ESCALATION = "Danh sách đề nghị xử lý…"
T_REPORT_TITLE = "Ghi nhận báo cáo khắc phục"
T_REPORT_FOR = "Báo cáo khắc phục cho {count} kiến nghị:"
T_REPORT_DATE = "Ngày báo cáo:"
T_REPORT_DOC = "Số/ký hiệu văn bản:"
T_REPORT_NOTE = "Nội dung đã thực hiện:"
T_DOC_HINT = "Ví dụ: 125/BC-SYT"
T_ATTACH = strings.ATTACHMENTS
T_ATTACH_ADD = strings.ADD_FILE
T_ATTACH_REMOVE = "Bỏ tệp"
T_ATTACH_PICK = "Chọn tệp đính kèm báo cáo khắc phục"
T_VERIFY_TITLE = "Xác minh kết quả khắc phục"
T_VERIFY_OK = "Đạt yêu cầu — kiến nghị đã được khắc phục"
T_VERIFY_REJECT = "Không đạt yêu cầu — đơn vị phải khắc phục tiếp"
T_VERIFY_NOTE = "Ghi chú (bắt buộc khi không đạt):"
T_VERIFY_REPORT = "Báo cáo số {doc} ngày {date}: {note}"
T_PICK_ONE = "Chọn một kiến nghị trong sổ."
T_PICK_SOME = "Chọn ít nhất một kiến nghị trong sổ."
T_PICK_UNIT = "Chọn một kiến nghị của đơn vị cần đôn đốc."
T_SAVE_REMINDER = "Lưu công văn đôn đốc"
T_SAVE_ESCALATION = "Lưu danh sách đề nghị xử lý"
T_FILTER_LETTER = "Tệp PDF (*.pdf);;Tệp Word (*.docx)"
T_FILTER_XLSX = strings.FILTER_XLSX
T_WRITTEN = "Đã ghi {path}"
T_OPEN_NOW = "Đã ghi {path}.\nMở tệp ngay?"
T_NOT_DONE = "Không thực hiện được"
T_NO_ESCALATION = "Không có đơn vị nào có kiến nghị quá hạn."
T_RECORDED = "Đã ghi nhận báo cáo khắc phục cho {count} kiến nghị"
T_VERIFIED = "Đã xác minh kiến nghị số {number} của {unit}: {label}"
T_BANNER = "Kiến nghị chưa khắc phục từ lần kiểm tra trước: {count}"
T_BANNER_SHOW = "Xem"
T_BANNER_HIDE = "Ẩn"
T_BANNER_LINE = "Năm {year} ({plan}) · số {number}: {text} — hạn {deadline} — {status}"

STATUS_COLOURS = {
    FollowupStatus.CHUA_DEN_HAN.value: QColor("#5f6368"),
    FollowupStatus.SAP_DEN_HAN.value: QColor("#a15c00"),
    FollowupStatus.QUA_HAN.value: QColor("#b3261e"),
    FollowupStatus.DA_BAO_CAO.value: QColor("#1a5fb4"),
    FollowupStatus.DA_XAC_MINH.value: QColor("#1b7a3a"),
    FollowupStatus.KHONG_DAT_YEU_CAU.value: QColor("#8e1f6b"),
}
STATUS_BACKGROUNDS = {
    FollowupStatus.QUA_HAN.value: QColor("#fde7e5"),
    FollowupStatus.KHONG_DAT_YEU_CAU.value: QColor("#f8e4f1"),
    FollowupStatus.SAP_DEN_HAN.value: QColor("#fff4ce"),
}
STATUS_ORDER = {s.value: n for n, s in enumerate(FollowupStatus)}
OVERDUE_FILTER = "overdue"  # the status filter's pseudo-status: every overdue recommendation

_NO_PARENT = QModelIndex()
_ROLES = [
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.ForegroundRole,
    Qt.ItemDataRole.BackgroundRole,
    SortRole,
    ObjectRole,
]


# =========================================================================================
# The register model and its filter
# =========================================================================================
class RegisterModel(RowsTableModel):
    """The register: every recommendation (the register service's dicts, status for today),
    of which the view shows those the filters keep, in the order chosen.

    The filtering is done here, not in a QSortFilterProxyModel: the folded text each row is
    searched by is made once per reload, a refilter computes the list of shown rows in one
    Python pass and tells the view once (layoutChanged), and the view's questions (rowCount,
    data) are answered from that list. On a province (~50,000 recommendations) a proxy asking
    Python about every row, then telling the view run by run, cost more than a keystroke may.
    """

    HEADERS = HEADERS

    COL_UNIT, COL_NUMBER, COL_TEXT, COL_DEADLINE, COL_STATUS, COL_DAYS = range(6)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[dict[str, Any]] = []  # every recommendation, in the sorted order
        self._folded: list[str] = []
        self._sort_keys: list[tuple[Any, ...]] = []
        self._position: dict[str, int] = {}  # register order, restored by sort(-1)
        self._sorted_by: tuple[int, Qt.SortOrder] = (-1, Qt.SortOrder.AscendingOrder)
        self._shown: list[int] = []  # view row → index in _rows (ascending)
        # Per-row columns the filters read (see _columns).
        self._index_of: dict[str, int] = {}
        self._plans: list[str] = []
        self._statuses: list[str] = []
        self._overdue: list[bool] = []
        self.plan_id: str | None = None
        self.status: str | None = None
        self._phrase: re.Pattern[str] | None = None
        self._words: list[str] = []
        # The filters the shown rows were computed for (None: rows changed since).
        self._last_filter: tuple[tuple[str | None, str | None], list[str]] | None = None

    # -- rows -----------------------------------------------------------------------------
    def set_rows(self, rows: Iterable[dict[str, Any]]) -> None:
        """Everything again (a reload)."""
        self.beginResetModel()
        self._rows = [dict(r) for r in rows]
        self._position = {r["id"]: n for n, r in enumerate(self._rows)}
        # Once per reload (not per keystroke): the folded text the filter searches, the keys
        # sorting compares.
        self._folded = [self._fold(r) for r in self._rows]
        self._sort_keys = [self._keys(r) for r in self._rows]
        self._sort_rows(*self._sorted_by)
        self._filter_rows()
        self.endResetModel()

    def _sort_rows(self, column: int, order: Qt.SortOrder) -> None:
        """Reorder the rows and their ready texts and keys; ties keep the register order."""
        position = self._position
        entries = list(zip(self._rows, self._folded, self._sort_keys, strict=True))
        if column < 0:
            entries.sort(key=lambda e: position[e[0]["id"]])
        elif order == Qt.SortOrder.DescendingOrder:
            entries.sort(key=lambda e: (e[2][column], -position[e[0]["id"]]), reverse=True)
        else:
            entries.sort(key=lambda e: (e[2][column], position[e[0]["id"]]))
        self._rows = [e[0] for e in entries]
        self._folded = [e[1] for e in entries]
        self._sort_keys = [e[2] for e in entries]
        self._columns()

    def _columns(self) -> None:
        """The per-row columns the filters read, in the rows' order (after a sort or edit)."""
        rows = self._rows
        self._last_filter = None  # row numbers changed: the next filter starts afresh
        self._index_of = {r["id"]: n for n, r in enumerate(rows)}
        self._plans = [r["plan_id"] for r in rows]
        self._statuses = [r["status"] for r in rows]
        self._overdue = [bool(r["overdue"]) for r in rows]

    def _filter_rows(self) -> None:
        """The rows the filters keep, in the sorted order.

        Each step narrows a list of row numbers with map/compress over ready per-row columns:
        the loops run in C, not row by row in Python (a keystroke on ~50,000 rows).
        """
        words = self._words
        last = self._last_filter
        if last is not None and last[0] == (self.plan_id, self.status) and _narrows(last[1], words):
            # Typing on (more letters, more words) only narrows: search what was shown, for
            # the words that changed.
            keep: Sequence[int] = self._shown
            to_check = words[max(0, len(last[1]) - 1) :]
        else:
            to_check = words
            keep = range(len(self._rows))
            if self.plan_id is not None:
                keep = _narrow(keep, self._plans, partial(eq, self.plan_id))
            if self.status == OVERDUE_FILTER:
                keep = _narrow(keep, self._overdue, bool)
            elif self.status is not None:
                keep = _narrow(keep, self._statuses, partial(eq, self.status))
        if self._phrase is not None:
            # Each typed word must start a word: a plain substring test on the spaced text
            # (C speed). The phrase's regular expression (the words next to each other, in
            # order) then runs only on what is left.
            for word in to_check:
                keep = _narrow_contains(keep, self._folded, " " + word)
            if len(words) > 1:
                keep = _narrow(keep, self._folded, self._phrase.search)
        self._shown = list(keep)
        self._last_filter = ((self.plan_id, self.status), list(words))

    def set_filters(self, **values: Any) -> None:
        """Change some filters (plan_id, status, text) and refilter once."""
        for name, value in values.items():
            if name == "text":
                self._phrase = phrase_pattern(value or "")
                self._words = re.findall(r"\w+", fold(value or ""))
            elif name in ("plan_id", "status"):
                setattr(self, name, value)
            else:
                raise AttributeError(name)
        self._relayout(sort=None)

    def _relayout(self, sort: tuple[int, Qt.SortOrder] | None) -> None:
        """Sort (when asked) and refilter, telling the view once; selections follow their rows
        (a selected row the filters now hide leaves the selection)."""
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        ids = [self._rows[self._shown[i.row()]]["id"] for i in persistent]
        if sort is not None:
            self._sort_rows(*sort)
        self._filter_rows()
        moved = []
        for id_, index in zip(ids, persistent, strict=True):
            row = self.row_for(id_)
            moved.append(QModelIndex() if row is None else self.index(row, index.column()))
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order the rows by a column (-1: register order); selections follow their rows."""
        self._sorted_by = (column, order)
        self._relayout(sort=(column, order))

    def update_rows(self, rows: Iterable[dict[str, Any]]) -> None:
        """Fresh versions of some recommendations (after a report or a verification)."""
        for fresh in rows:
            n = self._index_of.get(fresh["id"])
            if n is None:
                continue
            self._rows[n] = dict(fresh)
            self._folded[n] = self._fold(fresh)
            self._sort_keys[n] = self._keys(fresh)
            row = self.row_for(fresh["id"])
            if row is not None:
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1), _ROLES)
        self._columns()
        # A new status or deadline may move the row, or take it out of a status filter.
        self._relayout(sort=self._sorted_by if self._sorted_by[0] >= 0 else None)

    @staticmethod
    def _fold(r: dict[str, Any]) -> str:
        # One line per field: a typed phrase never runs from one field into the next.
        fields = (r["unit"], r["text"], r.get("responsible") or "")
        return spaced("\n".join(fold(f.replace("\n", " ")) for f in fields))

    def rows(self) -> list[dict[str, Any]]:
        """Every recommendation, shown or not."""
        return self._rows

    def total(self) -> int:
        """How many recommendations the register holds (shown or not)."""
        return len(self._rows)

    def shown_overdue(self) -> int:
        """How many of the shown rows are overdue."""
        return sum(map(self._overdue.__getitem__, self._shown))

    def row_dict(self, row: int) -> dict[str, Any]:
        """The recommendation shown at a view row."""
        return self._rows[self._shown[row]]

    def row_for(self, recommendation_id: str) -> int | None:
        """The view row of a recommendation (None when the filters hide it)."""
        n = self._index_of.get(recommendation_id)
        if n is None:
            return None
        row = bisect_left(self._shown, n)  # the shown rows are in ascending order
        return row if row < len(self._shown) and self._shown[row] == n else None

    def folded(self, row: int) -> str:
        """The text the filter searches for a view row (see `spaced`)."""
        return self._folded[self._shown[row]]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._shown)

    # -- QAbstractTableModel --------------------------------------------------------------
    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._shown):
            return None
        n = self._shown[index.row()]
        r = self._rows[n]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(r, col)
        if role == SortRole:
            return self._sort_keys[n][col]
        if role == ObjectRole:
            return r
        if role == IdRole:
            return r["id"]
        if role == Qt.ItemDataRole.ForegroundRole and col in (self.COL_STATUS, self.COL_DAYS):
            colour = STATUS_COLOURS.get(r["status"])
            return QBrush(colour) if colour is not None else None
        if role == Qt.ItemDataRole.BackgroundRole and col == self.COL_STATUS:
            colour = STATUS_BACKGROUNDS.get(r["status"])
            return QBrush(colour) if colour is not None else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(r, col)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (self.COL_NUMBER, self.COL_DAYS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, r: dict[str, Any], col: int) -> Any:
        if col == self.COL_UNIT:
            return r["unit"]
        if col == self.COL_NUMBER:
            return str(r["number"])
        if col == self.COL_TEXT:
            return r["text"].replace("\n", " ")
        if col == self.COL_DEADLINE:
            return format_date(r["deadline"])
        if col == self.COL_STATUS:
            return r["status_label"]
        if col == self.COL_DAYS:
            return str(r["days_overdue"]) if r["days_overdue"] else ""
        return None

    def _keys(self, r: dict[str, Any]) -> tuple[Any, ...]:
        return tuple(self._sort_value(r, col) for col in range(len(HEADERS)))

    def _sort_value(self, r: dict[str, Any], col: int) -> Any:
        if col == self.COL_NUMBER:
            return int(r["number"])
        if col == self.COL_DEADLINE:
            return r["deadline"] or "9999"
        if col == self.COL_STATUS:
            return STATUS_ORDER.get(r["status"], 99)
        if col == self.COL_DAYS:
            return int(r["days_overdue"])
        return fold(self._display(r, col) or "")

    @staticmethod
    def _tooltip(r: dict[str, Any], col: int) -> str | None:
        if col == RegisterModel.COL_UNIT:
            return f"{r['unit']} — Kế hoạch {r['plan_number']} năm {r['plan_year']}"
        if col == RegisterModel.COL_TEXT:
            return str(r["text"])
        if col == RegisterModel.COL_STATUS and r.get("remediations"):
            last = r["remediations"][-1]
            tip = T_VERIFY_REPORT.format(
                doc=last["doc_number"], date=format_date(last["reported_on"]), note=last["note"]
            )
            if last.get("verify_note"):
                tip += f"\nXác minh: {last['verify_note']}"
            return tip
        return None


_BETWEEN_WORDS = re.compile(r"\W+")  # a run of characters between two words


def _values(keep: Sequence[int], column: list[Any]) -> Iterable[Any]:
    """The values of `column` at the row numbers `keep` (the whole column when keep is every
    row: no lookup per row)."""
    if isinstance(keep, range) and keep.start == 0 and keep.step == 1 and len(keep) == len(column):
        return column
    return map(column.__getitem__, keep)


def _narrow(keep: Sequence[int], column: list[Any], test: Callable[[Any], Any]) -> list[int]:
    """The row numbers of `keep` whose value in `column` passes `test`."""
    return list(compress(keep, map(test, _values(keep, column))))


def _narrow_contains(keep: Sequence[int], column: list[str], part: str) -> list[int]:
    """The row numbers of `keep` whose text in `column` holds `part`."""
    return list(compress(keep, map(str.__contains__, _values(keep, column), repeat(part))))


def _narrows(before: list[str], after: list[str]) -> bool:
    """True when the typed words `after` can only match rows that `before` matched: the same
    words, the last one possibly longer, then possibly more words ("so n" → "so noi v")."""
    if not before:
        return True
    if len(after) < len(before) or after[: len(before) - 1] != before[:-1]:
        return False
    return after[len(before) - 1].startswith(before[-1])


def phrase_pattern(typed: str) -> re.Pattern[str] | None:
    """What the filter box matches: the typed words, folded, as a phrase of word prefixes.

    "so tu ph" finds "Sở Tư pháp" (each typed word starts a word, in the order typed, next to
    each other) but not "Sở Nội vụ … tư cách pháp nhân". None when nothing is typed. The
    pattern searches a row's spaced text (`spaced`): every word preceded by one space, fields
    apart on lines of their own.
    """
    words = re.findall(r"\w+", fold(typed))
    if not words:
        return None
    # A literal start (" so"), so the search jumps from candidate to candidate; between two
    # words the rest of the first word and one space (never the newline between two fields).
    return re.compile(" " + r"\w* ".join(re.escape(w) for w in words))


def spaced(folded: str) -> str:
    """A folded text as the filter searches it: each run of characters between words made one
    space, a space before every word, one field per line (" so tu phap\n ubnd ...")."""
    return "\n".join(" " + _BETWEEN_WORDS.sub(" ", line).strip() for line in folded.split("\n"))
