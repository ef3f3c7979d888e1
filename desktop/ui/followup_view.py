"""Follow-up in the window: the remediation register, its dialogs, and the earlier-years banner.

- `RegisterModel` holds every live recommendation as the register service computes it (status,
  days overdue) for one `today`; `RegisterFilterProxy` filters by plan, status and folded text.
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

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QDate,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QUrl,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QBrush, QColor, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QTableView,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain import fold, format_date
from desktop.reports import reminders as reminder_documents
from desktop.services import followup, reminders
from desktop.services.errors import UserError
from desktop.services.followup import STATUS_LABELS, FollowupStatus
from desktop.ui import dialogs_vi
from desktop.ui.models import IdRole, ObjectRole, SortRole
from desktop.ui.rows_model import RowsTableModel

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow
    from desktop.ui.store_adapter import StoreAdapter

# Strings the user sees.
T_MENU = "&Theo dõi"
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
T_ATTACH = "Tệp đính kèm:"
T_ATTACH_ADD = "Thêm tệp…"
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
T_FILTER_XLSX = "Bảng tính Excel (*.xlsx)"
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

    def set_rows(self, rows: Iterable[dict[str, Any]]) -> None:
        """Everything again (a reload)."""
        self.beginResetModel()
        self._rows = [dict(r) for r in rows]
        self._row_of = {r["id"]: n for n, r in enumerate(self._rows)}
        self._folded = [self._fold(r) for r in self._rows]
        self.endResetModel()

    def update_rows(self, rows: Iterable[dict[str, Any]]) -> None:
        """Fresh versions of some recommendations (after a report or a verification)."""
        for fresh in rows:
            row = self._row_of.get(fresh["id"])
            if row is None:
                continue
            self._rows[row] = dict(fresh)
            self._folded[row] = self._fold(fresh)
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1), _ROLES)

    @staticmethod
    def _fold(r: dict[str, Any]) -> str:
        return fold(" ".join([r["unit"], r["text"], r.get("responsible") or ""]))

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
            return self._sort_value(r, col)
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
            return r["text"]
        if col == RegisterModel.COL_STATUS and r.get("remediations"):
            last = r["remediations"][-1]
            tip = T_VERIFY_REPORT.format(
                doc=last["doc_number"], date=format_date(last["reported_on"]), note=last["note"]
            )
            if last.get("verify_note"):
                tip += f"\nXác minh: {last['verify_note']}"
            return tip
        return None


class RegisterFilterProxy(QSortFilterProxyModel):
    """Filters of the register: a plan, a status (or every overdue one), folded text."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.plan_id: str | None = None
        self.status: str | None = None
        self._words: list[str] = []
        self.setSortRole(SortRole)
        self.setDynamicSortFilter(True)

    def set_filters(self, **values: Any) -> None:
        """Change some filters (plan_id, status, text) and refilter once."""
        modern = hasattr(self, "beginFilterChange")
        if modern:
            self.beginFilterChange()
        for name, value in values.items():
            if name == "text":
                self._words = fold(value or "").split()
            elif name in ("plan_id", "status"):
                setattr(self, name, value)
            else:
                raise AttributeError(name)
        if modern:
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateRowsFilter()

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        model = self.sourceModel()
        if not isinstance(model, RegisterModel):
            return True
        r = model.row_dict(source_row)
        if self.plan_id is not None and r["plan_id"] != self.plan_id:
            return False
        if self.status == OVERDUE_FILTER:
            if not r["overdue"]:
                return False
        elif self.status is not None and r["status"] != self.status:
            return False
        if self._words:
            text = model.folded(source_row)
            return all(word in text for word in self._words)
        return True


# =========================================================================================
# Dialogs (each with an `ask` classmethod returning plain values; tests patch them)
# =========================================================================================
def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


class ReportDialog(QDialog):
    """A unit's remediation report: date, số/ký hiệu, what was done, attached files.

    Test seam: `pick_files` (the system's open-files dialog) is a static method to patch.
    """

    def __init__(
        self, recs: list[dict[str, Any]], today: dt.date, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(T_REPORT_TITLE)
        layout = QVBoxLayout(self)
        listing = "".join(f"<li>{r['unit']} — số {r['number']}: {r['text']}</li>" for r in recs[:8])
        more = f"<li>… và {len(recs) - 8} kiến nghị khác</li>" if len(recs) > 8 else ""
        head = QLabel(f"{T_REPORT_FOR.format(count=len(recs))}<ul>{listing}{more}</ul>")
        head.setWordWrap(True)
        layout.addWidget(head)
        form = QFormLayout()
        self.date_edit = QDateEdit(_qdate(today))
        self.date_edit.setDisplayFormat("dd/MM/yyyy")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setMaximumDate(_qdate(today))
        self.doc_edit = QLineEdit()
        self.doc_edit.setPlaceholderText(T_DOC_HINT)
        self.note_edit = QPlainTextEdit()
        self.note_edit.setTabChangesFocus(True)
        form.addRow(T_REPORT_DATE, self.date_edit)
        form.addRow(T_REPORT_DOC, self.doc_edit)
        form.addRow(T_REPORT_NOTE, self.note_edit)
        self.files: list[str] = []
        self.file_list = QListWidget()
        self.file_list.setMaximumHeight(90)
        self.add_files_button = QPushButton(T_ATTACH_ADD)
        self.add_files_button.clicked.connect(self.add_files)
        self.remove_file_button = QPushButton(T_ATTACH_REMOVE)
        self.remove_file_button.clicked.connect(self.remove_file)
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(self.add_files_button)
        buttons_row.addWidget(self.remove_file_button)
        buttons_row.addStretch(1)
        files_box = QVBoxLayout()
        files_box.addWidget(self.file_list)
        files_box.addLayout(buttons_row)
        form.addRow(T_ATTACH, files_box)
        layout.addLayout(form)
        buttons = dialogs_vi.buttons(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 520)

    @staticmethod
    def pick_files(parent: QWidget | None) -> list[str]:
        """Files chosen in the system's dialog (empty when cancelled)."""
        paths, _ = QFileDialog.getOpenFileNames(parent, T_ATTACH_PICK, str(Path.home()))
        return list(paths)

    @Slot()
    def add_files(self) -> None:
        for path in ReportDialog.pick_files(self):
            if path not in self.files:
                self.files.append(path)
                self.file_list.addItem(Path(path).name)

    @Slot()
    def remove_file(self) -> None:
        row = self.file_list.currentRow()
        if 0 <= row < len(self.files):
            self.files.pop(row)
            self.file_list.takeItem(row)

    def values(self) -> tuple[dt.date, str, str, list[str]]:
        return (
            _pydate(self.date_edit.date()),
            self.doc_edit.text(),
            self.note_edit.toPlainText(),
            list(self.files),
        )

    @classmethod
    def ask(
        cls, parent: QWidget | None, recs: list[dict[str, Any]], today: dt.date
    ) -> tuple[dt.date, str, str, list[str]] | None:
        """(reported_on, doc_number, note, attached file paths), or None when cancelled."""
        dialog = cls(recs, today, parent)
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None


class VerifyDialog(QDialog):
    """Accept or reject the latest remediation report of one recommendation."""

    def __init__(self, rec: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(T_VERIFY_TITLE)
        layout = QVBoxLayout(self)
        head = QLabel(f"<b>{rec['unit']} — kiến nghị số {rec['number']}</b><br>{rec['text']}")
        head.setWordWrap(True)
        layout.addWidget(head)
        last = rec["remediations"][-1] if rec.get("remediations") else None
        if last:
            report = QLabel(
                T_VERIFY_REPORT.format(
                    doc=last["doc_number"],
                    date=format_date(last["reported_on"]),
                    note=last["note"],
                )
            )
            report.setWordWrap(True)
            layout.addWidget(report)
        self.ok_radio = QRadioButton(T_VERIFY_OK)
        self.reject_radio = QRadioButton(T_VERIFY_REJECT)
        self.ok_radio.setChecked(True)
        layout.addWidget(self.ok_radio)
        layout.addWidget(self.reject_radio)
        layout.addWidget(QLabel(T_VERIFY_NOTE))
        self.note_edit = QPlainTextEdit()
        self.note_edit.setTabChangesFocus(True)
        layout.addWidget(self.note_edit)
        buttons = dialogs_vi.buttons(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(520, 360)

    def values(self) -> tuple[bool, str]:
        return self.ok_radio.isChecked(), self.note_edit.toPlainText()

    @classmethod
    def ask(cls, parent: QWidget | None, rec: dict[str, Any]) -> tuple[bool, str] | None:
        """(ok, note), or None when cancelled."""
        dialog = cls(rec, parent)
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None


# =========================================================================================
# The register window
# =========================================================================================
class FollowupWindow(QWidget):
    """The remediation register (a top-level window).

    Signals:
      inspectionRequested(inspection_id: str) — the user asked to open a unit's inspection
          (double click on a row).
    `today` fixes the date the statuses are computed for (tests); None is the real today.
    """

    inspectionRequested = Signal(str)

    def __init__(
        self,
        adapter: StoreAdapter,
        parent: QWidget | None = None,
        *,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.adapter = adapter
        self._today = today
        self.setWindowTitle(T_TITLE)
        self.model = RegisterModel(self)
        self.proxy = RegisterFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self._build()
        adapter.recommendationsChanged.connect(self.reload)
        adapter.storeReplaced.connect(self.reload)
        self.resize(1180, 640)
        self.reload()

    @property
    def today(self) -> dt.date:
        return self._today or dt.date.today()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        filters = QHBoxLayout()
        self.plan_combo = QComboBox()
        self.plan_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.plan_combo.currentIndexChanged.connect(self._filters_changed)
        self.status_combo = QComboBox()
        self.status_combo.addItem(T_ALL_STATUSES, None)
        self.status_combo.addItem(T_OVERDUE, OVERDUE_FILTER)
        for status in FollowupStatus:
            self.status_combo.addItem(STATUS_LABELS[status], status.value)
            self.status_combo.setItemData(
                self.status_combo.count() - 1,
                QBrush(STATUS_COLOURS[status.value]),
                Qt.ItemDataRole.ForegroundRole,
            )
        self.status_combo.currentIndexChanged.connect(self._filters_changed)
        self.text_edit = QLineEdit()
        self.text_edit.setPlaceholderText(T_FILTER_HINT)
        self.text_edit.setClearButtonEnabled(True)
        self.text_edit.textChanged.connect(self._filters_changed)
        filters.addWidget(QLabel("Kế hoạch:"))
        filters.addWidget(self.plan_combo)
        filters.addWidget(QLabel("Trạng thái:"))
        filters.addWidget(self.status_combo)
        filters.addWidget(self.text_edit, 1)
        layout.addLayout(filters)

        self.report_action = QAction(T_REPORT, self)
        self.report_action.triggered.connect(self.record_report)
        self.verify_action = QAction(T_VERIFY, self)
        self.verify_action.triggered.connect(self.verify_selected)
        self.reminder_action = QAction(T_REMINDER, self)
        self.reminder_action.triggered.connect(self.make_reminder)
        self.escalation_action = QAction(T_ESCALATION, self)
        self.escalation_action.triggered.connect(self.export_escalation)
        toolbar = QToolBar()
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in (self.report_action, self.verify_action):
            toolbar.addAction(action)
        toolbar.addSeparator()
        for action in (self.reminder_action, self.escalation_action):
            toolbar.addAction(action)
        layout.addWidget(toolbar)

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # register order first
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(RegisterModel.COL_TEXT, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(RegisterModel.COL_UNIT, 260)
        self.table.setColumnWidth(RegisterModel.COL_NUMBER, 60)
        self.table.setColumnWidth(RegisterModel.COL_DEADLINE, 95)
        self.table.setColumnWidth(RegisterModel.COL_STATUS, 140)
        self.table.setColumnWidth(RegisterModel.COL_DAYS, 110)
        self.table.selectionModel().selectionChanged.connect(self._update_actions)
        self.table.doubleClicked.connect(self._double_clicked)
        layout.addWidget(self.table, 1)
        self.count_label = QLabel()
        layout.addWidget(self.count_label)
        for signal in (
            self.proxy.rowsInserted,
            self.proxy.rowsRemoved,
            self.proxy.modelReset,
            self.proxy.layoutChanged,
            self.model.dataChanged,
        ):
            signal.connect(self._update_count)

    # -- loading --------------------------------------------------------------------------
    @Slot()
    def reload(self) -> None:
        """Read the register again (and the plans for the filter)."""
        store = self.adapter.store
        wanted = self.plan_combo.currentData()
        self.plan_combo.blockSignals(True)
        self.plan_combo.clear()
        self.plan_combo.addItem(T_ALL_PLANS, None)
        for p in store.plans():
            self.plan_combo.addItem(T_PLAN_ITEM.format(number=p["number"], year=p["year"]), p["id"])
        self.plan_combo.setCurrentIndex(max(0, self.plan_combo.findData(wanted)) if wanted else 0)
        self.plan_combo.blockSignals(False)
        self.model.set_rows(followup.register(store, today=self.today))
        self._filters_changed()

    def set_plan(self, plan_id: str | None) -> None:
        self.plan_combo.setCurrentIndex(max(0, self.plan_combo.findData(plan_id)))

    def set_status(self, status: str | None) -> None:
        self.status_combo.setCurrentIndex(max(0, self.status_combo.findData(status)))

    @Slot()
    def _filters_changed(self) -> None:
        self.proxy.set_filters(
            plan_id=self.plan_combo.currentData(),
            status=self.status_combo.currentData(),
            text=self.text_edit.text(),
        )
        self._update_count()
        self._update_actions()

    @Slot()
    def _update_count(self) -> None:
        overdue = sum(
            1
            for n in range(self.proxy.rowCount())
            if self.proxy.index(n, 0).data(ObjectRole)["overdue"]
        )
        self.count_label.setText(
            T_COUNT.format(
                shown=self.proxy.rowCount(), total=self.model.rowCount(), overdue=overdue
            )
        )

    # -- selection ------------------------------------------------------------------------
    def selected(self) -> list[dict[str, Any]]:
        """The selected recommendations (register dicts), in view order."""
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.proxy.index(r, 0).data(ObjectRole) for r in rows]

    def select_ids(self, ids: Iterable[str]) -> None:
        """Select these recommendations (those the filters show)."""
        from PySide6.QtCore import QItemSelection, QItemSelectionModel

        selection = QItemSelection()
        for rid in ids:
            row = self.model.row_for(rid)
            if row is None:
                continue
            index = self.proxy.mapFromSource(self.model.index(row, 0))
            if index.isValid():
                selection.select(index, index.siblingAtColumn(len(HEADERS) - 1))
        self.table.selectionModel().select(
            selection, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )

    @Slot()
    def _update_actions(self) -> None:
        chosen = self.selected()
        self.report_action.setEnabled(bool(chosen))
        self.verify_action.setEnabled(
            len(chosen) == 1 and chosen[0]["status"] == FollowupStatus.DA_BAO_CAO
        )
        self.reminder_action.setEnabled(len({r["inspection_id"] for r in chosen}) == 1)

    @Slot(QModelIndex)
    def _double_clicked(self, index: QModelIndex) -> None:
        rec = index.data(ObjectRole)
        if rec:
            self.inspectionRequested.emit(rec["inspection_id"])

    # -- actions --------------------------------------------------------------------------
    def _refresh(self, ids: Iterable[str]) -> None:
        store = self.adapter.store
        self.model.update_rows(
            followup.recommendation_status(store, rid, self.today) for rid in ids
        )
        self._update_actions()

    def _problem(self, message: str) -> None:
        """Tell the user what went wrong (tests patch this)."""
        dialogs_vi.warn(self, T_NOT_DONE, message)

    def _done(self, message: str) -> None:
        self.adapter.saved.emit(dt.datetime.now().strftime("%H:%M:%S"))
        self.count_label.setText(message)

    @Slot()
    def record_report(self) -> bool:
        """Record one remediation report for the selected recommendations."""
        chosen = self.selected()
        if not chosen:
            self._problem(T_PICK_SOME)
            return False
        answer = ReportDialog.ask(self, chosen, self.today)
        if answer is None:
            return False
        reported_on, doc_number, note, *more = answer
        files = more[0] if more else []
        ids = [r["id"] for r in chosen]
        try:
            followup.record_report(
                self.adapter.store,
                ids,
                reported_on,
                doc_number,
                note,
                today=self.today,
                attachments=files,
            )
        except UserError as exc:
            self._problem(str(exc))
            return False
        self._refresh(ids)
        self._done(T_RECORDED.format(count=len(ids)))
        return True

    @Slot()
    def verify_selected(self) -> bool:
        """Accept or reject the latest report of the one selected recommendation."""
        chosen = self.selected()
        if len(chosen) != 1:
            self._problem(T_PICK_ONE)
            return False
        rec = chosen[0]
        answer = VerifyDialog.ask(self, rec)
        if answer is None:
            return False
        ok, note = answer
        try:
            followup.verify(self.adapter.store, rec["id"], ok, note, verified_on=self.today)
        except UserError as exc:
            self._problem(str(exc))
            return False
        self._refresh([rec["id"]])
        fresh = self.model.row_dict(self.model.row_for(rec["id"]) or 0)
        self._done(
            T_VERIFIED.format(number=rec["number"], unit=rec["unit"], label=fresh["status_label"])
        )
        return True

    @staticmethod
    def ask_save_path(
        parent: QWidget | None, title: str, suggested: str, filters: str
    ) -> Path | None:
        """Ask where to save a file; tests patch this."""
        path, _ = QFileDialog.getSaveFileName(parent, title, suggested, filters)
        return Path(path) if path else None

    @staticmethod
    def ask_open_now(parent: QWidget | None, path: Path) -> bool:
        """Offer to open a file just written; tests patch this."""
        return dialogs_vi.ask_yes_no(
            parent, T_WRITTEN.format(path=path.name), T_OPEN_NOW.format(path=path)
        )

    @staticmethod
    def open_file(path: Path) -> None:
        """Open a file with the system's application; tests patch this."""
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def _offer_open(self, path: Path) -> None:
        if self.ask_open_now(self, path):
            self.open_file(path)

    def _folder(self) -> Path:
        return self.adapter.path.parent if self.adapter.path else Path.home()

    @Slot()
    def make_reminder(self) -> Path | None:
        """Write the công văn đôn đốc for the unit of the selected recommendation(s)."""
        chosen = self.selected()
        inspections = {r["inspection_id"] for r in chosen}
        if len(inspections) != 1:
            self._problem(T_PICK_UNIT)
            return None
        inspection_id = inspections.pop()
        store = self.adapter.store
        try:
            letter = reminders.reminder_letter(store, inspection_id, today=self.today)
        except UserError as exc:
            self._problem(str(exc))
            return None
        name = f"Cong van don doc - {fold(chosen[0]['unit'])}.pdf"
        path = self.ask_save_path(
            self, T_SAVE_REMINDER, str(self._folder() / name), T_FILTER_LETTER
        )
        if path is None:
            return None
        fmt = path.suffix.lower().lstrip(".")
        if fmt not in reminders.FORMATS:
            fmt, path = "pdf", path.with_suffix(".pdf")
        try:
            reminder_documents.write_reminder(letter, fmt, path)
        except UserError as exc:
            self._problem(str(exc))
            return None
        self.count_label.setText(T_WRITTEN.format(path=path))
        self._offer_open(path)
        return path

    @Slot()
    def export_escalation(self) -> Path | None:
        """Write the list of units with overdue recommendations (XLSX) for the chosen plan."""
        store = self.adapter.store
        rows = reminders.escalation(store, self.plan_combo.currentData(), today=self.today)
        if not rows:
            self._problem(T_NO_ESCALATION)
            return None
        name = f"De nghi xu ly {self.today:%Y-%m-%d}.xlsx"
        path = self.ask_save_path(
            self, T_SAVE_ESCALATION, str(self._folder() / name), T_FILTER_XLSX
        )
        if path is None:
            return None
        if path.suffix.lower() != ".xlsx":
            path = path.with_suffix(".xlsx")
        try:
            reminder_documents.write_escalation_xlsx(rows, path, today=self.today)
        except UserError as exc:
            self._problem(str(exc))
            return None
        self.count_label.setText(T_WRITTEN.format(path=path))
        self._offer_open(path)
        return path


# =========================================================================================
# The earlier-years banner in the main window
# =========================================================================================
class EarlierBanner(QFrame):
    """ "Kiến nghị chưa khắc phục từ lần kiểm tra trước: N" with an expandable list.

    Hidden when the unit has nothing open from earlier years' plans.
    """

    def __init__(
        self, adapter: StoreAdapter, parent: QWidget | None = None, *, today: dt.date | None = None
    ) -> None:
        super().__init__(parent)
        self.adapter = adapter
        self.today = today
        self.recommendations: list[dict[str, Any]] = []
        self.setObjectName("earlier_banner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            "#earlier_banner { background: #fff4ce; border: 1px solid #e0c36a;"
            " border-radius: 3px; }"
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        row = QHBoxLayout()
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: 600; color: #7a4d00;")
        self.toggle = QToolButton()
        self.toggle.setText(T_BANNER_SHOW)
        self.toggle.setCheckable(True)
        self.toggle.toggled.connect(self._toggled)
        row.addWidget(self.title, 1)
        row.addWidget(self.toggle)
        layout.addLayout(row)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # A long list scrolls inside the banner: the checklist keeps its room.
        self.details_area = QScrollArea()
        self.details_area.setWidgetResizable(True)
        self.details_area.setFrameShape(QFrame.Shape.NoFrame)
        self.details_area.setMaximumHeight(150)
        self.details_area.setStyleSheet("background: transparent;")
        self.details_area.setWidget(self.details)
        self.details_area.setVisible(False)
        layout.addWidget(self.details_area)
        self.setVisible(False)

    @Slot(str)
    def set_inspection(self, inspection_id: str | None) -> None:
        """Show what is still open from this unit's earlier inspections (or hide)."""
        found: list[dict[str, Any]] = []
        if inspection_id:
            try:
                found = followup.open_recommendations_from_earlier(
                    self.adapter.store, inspection_id, self.today
                )
            except UserError:
                found = []
        self.recommendations = found
        if not found:
            self.setVisible(False)
            return
        self.title.setText(T_BANNER.format(count=len(found)))
        from html import escape

        lines = [
            T_BANNER_LINE.format(
                year=r["plan_year"],
                plan=escape(r["plan_number"]),
                number=r["number"],
                text=escape(r["text"]),
                deadline=format_date(r["deadline"]) or "—",
                status=f"<span style='color:{STATUS_COLOURS[r['status']].name()}'>"
                f"{r['status_label']}</span>",
            )
            for r in found
        ]
        self.details.setText(
            "<ul style='margin:0'>" + "".join(f"<li>{x}</li>" for x in lines) + "</ul>"
        )
        self.setVisible(True)

    def expanded(self) -> bool:
        return self.toggle.isChecked()

    @Slot(bool)
    def _toggled(self, on: bool) -> None:
        self.details_area.setVisible(on)
        self.toggle.setText(T_BANNER_HIDE if on else T_BANNER_SHOW)


# =========================================================================================
# Plugging into the main window
# =========================================================================================
class FollowupMenu(QObject):
    """The "Theo dõi" menu of a MainWindow and the windows it opens (built on demand)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.register_window: FollowupWindow | None = None
        self.dashboard: Any = None
        self.register_action = QAction(T_REGISTER, window)
        self.register_action.setShortcut(QKeySequence("Ctrl+R"))
        self.register_action.setToolTip(f"{T_REGISTER} (Ctrl+R)")
        self.register_action.triggered.connect(self.show_register)
        self.dashboard_action = QAction(T_DASHBOARD, window)
        self.dashboard_action.triggered.connect(self.show_dashboard)
        menu = window.menuBar().addMenu(T_MENU)
        menu.addAction(self.register_action)
        menu.addAction(self.dashboard_action)
        window.addAction(self.register_action)
        self.banner = EarlierBanner(window.adapter, window)
        _place_banner(window, self.banner)

    @Slot()
    def show_register(self) -> FollowupWindow:
        if self.register_window is None:
            self.register_window = FollowupWindow(self.window.adapter, self.window)
            self.register_window.inspectionRequested.connect(self.window.open_inspection)
        self.register_window.set_plan(self.window.current_plan_id())
        self.register_window.show()
        self.register_window.raise_()
        self.register_window.activateWindow()
        return self.register_window

    @Slot()
    def show_dashboard(self) -> Any:
        from desktop.ui.dashboard import DashboardWindow  # QtCharts: only when asked for

        if self.dashboard is None:
            self.dashboard = DashboardWindow(self.window.adapter, self.window)
            self.dashboard.inspectionRequested.connect(self.window.open_inspection)
            # Units picked on a chart: the first is selected in the navigator behind.
            self.dashboard.unitsPicked.connect(
                lambda _title, units: (
                    units and self.window.open_inspection(units[0]["id"], activate=False)
                )
            )
        self.dashboard.set_plan(self.window.current_plan_id())
        self.dashboard.show()
        self.dashboard.raise_()
        self.dashboard.activateWindow()
        return self.dashboard


def _place_banner(window: MainWindow, banner: EarlierBanner) -> None:
    """Put the banner under the unit header above the checklist; follow opened inspections."""
    header = window.header_label
    layout = header.parentWidget().layout() if header.parentWidget() else None
    if isinstance(layout, QVBoxLayout):
        layout.insertWidget(layout.indexOf(header) + 1, banner)
    window.inspectionOpened.connect(banner.set_inspection)
    banner.set_inspection(window.current_inspection_id())


def install(window: MainWindow) -> FollowupMenu:
    """Add follow-up to a main window: the "Theo dõi" menu and the earlier-years banner."""
    return FollowupMenu(window)
