"""Follow-up in the window: the remediation register, its dialogs, and the earlier-years banner.

- `RegisterModel` holds every live recommendation as the register service computes it (status,
  days overdue) for one `today`, sorts them over keys made once per reload;
  `RegisterFilterProxy` filters by plan, status and the typed words (a phrase of word prefixes,
  without diacritics).
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
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
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
    """One row per recommendation: the register service's dicts (status computed for today)."""

    HEADERS = HEADERS

    COL_UNIT, COL_NUMBER, COL_TEXT, COL_DEADLINE, COL_STATUS, COL_DAYS = range(6)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[dict[str, Any]] = []
        self._row_of: dict[str, int] = {}
        self._folded: list[str] = []
        self._sort_keys: list[tuple[Any, ...]] = []
        self._position: dict[str, int] = {}  # register order, restored by sort(-1)
        self._sorted_by: tuple[int, Qt.SortOrder] = (-1, Qt.SortOrder.AscendingOrder)

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
        self._row_of = {r["id"]: n for n, r in enumerate(self._rows)}

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order the rows by a column (-1: register order); selections follow their rows."""
        self._sorted_by = (column, order)
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        ids = [self._rows[i.row()]["id"] for i in persistent]
        self._sort_rows(column, order)
        moved = [
            self.index(self._row_of[id_], i.column())
            for id_, i in zip(ids, persistent, strict=True)
        ]
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

    def update_rows(self, rows: Iterable[dict[str, Any]]) -> None:
        """Fresh versions of some recommendations (after a report or a verification)."""
        for fresh in rows:
            row = self._row_of.get(fresh["id"])
            if row is None:
                continue
            self._rows[row] = dict(fresh)
            self._folded[row] = self._fold(fresh)
            self._sort_keys[row] = self._keys(fresh)
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1), _ROLES)
        if self._sorted_by[0] >= 0:  # a new status or deadline may move the row
            self.sort(*self._sorted_by)

    @staticmethod
    def _fold(r: dict[str, Any]) -> str:
        # One line per field: a typed phrase never runs from one field into the next.
        fields = (r["unit"], r["text"], r.get("responsible") or "")
        return "\n".join(fold(f.replace("\n", " ")) for f in fields)

    def rows(self) -> list[dict[str, Any]]:
        return self._rows

    def row_dict(self, row: int) -> dict[str, Any]:
        return self._rows[row]

    def row_for(self, recommendation_id: str) -> int | None:
        return self._row_of.get(recommendation_id)

    def folded(self, row: int) -> str:
        return self._folded[row]

    # -- QAbstractTableModel --------------------------------------------------------------
    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(r, col)
        if role == SortRole:
            return self._sort_keys[index.row()][col]
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


def phrase_pattern(typed: str) -> re.Pattern[str] | None:
    """What the filter box matches: the typed words, folded, as a phrase of word prefixes.

    "so tu ph" finds "Sở Tư pháp" (each typed word starts a word, in the order typed, next to
    each other) but not "Sở Nội vụ … tư cách pháp nhân". None when nothing is typed.
    """
    words = re.findall(r"\w+", fold(typed))
    if not words:
        return None
    # Between two words: the rest of the first word, then spaces or punctuation (not a newline:
    # the folded text holds one field per line).
    return re.compile(r"(?<!\w)" + r"\w*[^\w\n]+".join(re.escape(w) for w in words))


class RegisterFilterProxy(QSortFilterProxyModel):
    """Filters of the register: a plan, a status (or every overdue one), folded text."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.plan_id: str | None = None
        self.status: str | None = None
        self._phrase: re.Pattern[str] | None = None
        self._shown: dict[str, bool] = {}  # recommendation id → shown, as last decided
        self.setSortRole(SortRole)
        self.setDynamicSortFilter(True)

    def set_filters(self, **values: Any) -> None:
        """Change some filters (plan_id, status, text) and refilter once."""
        for name, value in values.items():
            if name == "text":
                self._phrase = phrase_pattern(value or "")
            elif name in ("plan_id", "status"):
                setattr(self, name, value)
            else:
                raise AttributeError(name)
        # One layoutChanged for the whole change: an incremental refilter tells the view of
        # every run of rows shown or hidden apart (thousands of signals on a province).
        self.invalidate()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        # The source model sorts (a Python sort over ready keys); this proxy only filters, so
        # a refilter never re-sorts row by row through Python comparisons.
        model = self.sourceModel()
        if isinstance(model, RegisterModel):
            model.sort(column, order)
        else:
            super().sort(column, order)

    def shown_overdue(self) -> int:
        """How many rows the filters show are overdue (from the last verdicts, no Qt calls)."""
        model = self.sourceModel()
        if not isinstance(model, RegisterModel):
            return 0
        self.rowCount()  # makes the proxy decide every row it has not decided yet
        shown = self._shown
        return sum(1 for r in model.rows() if r["overdue"] and shown.get(r["id"], False))

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        model = self.sourceModel()
        if not isinstance(model, RegisterModel):
            return True
        r = model.row_dict(source_row)
        # Kept by id (rows move when sorted): the count needs no walk through the proxy.
        self._shown[r["id"]] = shown = self._accepts(r, model.folded(source_row))
        return shown

    def _accepts(self, r: dict[str, Any], folded: str) -> bool:
        if self.plan_id is not None and r["plan_id"] != self.plan_id:
            return False
        if self.status == OVERDUE_FILTER:
            if not r["overdue"]:
                return False
        elif self.status is not None and r["status"] != self.status:
            return False
        if self._phrase is not None:
            return self._phrase.search(folded) is not None
        return True
