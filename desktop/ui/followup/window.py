"""The register window (Sổ theo dõi khắc phục kiến nghị): report, verify, remind, escalate."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QModelIndex,
    Qt,
    QTimer,
    QUrl,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QBrush, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from desktop.domain import fold
from desktop.reports import reminders as reminder_documents
from desktop.services import followup, reminders
from desktop.services.errors import UserError
from desktop.services.followup import STATUS_LABELS, FollowupStatus
from desktop.ui.common import dialogs_vi, file_dialogs
from desktop.ui.models import ObjectRole

if TYPE_CHECKING:
    from desktop.ui.store_adapter import StoreAdapter
from desktop.ui.common.keyboard import close_on_escape, fit_on_screen, tab_leaves
from desktop.ui.followup.dialogs import (
    ReportDialog,
    VerifyDialog,
)
from desktop.ui.followup.register import (
    HEADERS,
    OVERDUE_FILTER,
    STATUS_COLOURS,
    T_ALL_PLANS,
    T_ALL_STATUSES,
    T_COUNT,
    T_ESCALATION,
    T_FILTER_HINT,
    T_FILTER_LETTER,
    T_FILTER_XLSX,
    T_NO_ESCALATION,
    T_NOT_DONE,
    T_OPEN_NOW,
    T_OVERDUE,
    T_PICK_ONE,
    T_PICK_SOME,
    T_PICK_UNIT,
    T_PLAN_ITEM,
    T_RECORDED,
    T_REMINDER,
    T_REPORT,
    T_SAVE_ESCALATION,
    T_SAVE_REMINDER,
    T_TITLE,
    T_VERIFIED,
    T_VERIFY,
    T_WRITTEN,
    RegisterModel,
)

FILTER_DELAY_MS = 150  # the pause after a keystroke before the register refilters


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
        self.model = RegisterModel(self)  # filters itself: see RegisterModel
        self._build()
        adapter.recommendationsChanged.connect(self.reload)
        adapter.storeReplaced.connect(self.reload)
        fit_on_screen(self, 1180, 640)
        close_on_escape(self)
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
        # Typing is debounced: the register refilters once the user pauses, not per key.
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self._filters_changed)
        self.text_edit.textChanged.connect(self._filter_timer.start)
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
        # Keys for the toolbar (its buttons take no focus): the register without the mouse.
        for action, key in (
            (self.report_action, "Ctrl+B"),
            (self.verify_action, "Ctrl+M"),
            (self.reminder_action, "Ctrl+D"),
            (self.escalation_action, "Ctrl+L"),
        ):
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.setToolTip(f"{action.text().rstrip('…')} ({key})")
            self.addAction(action)
        toolbar = QToolBar()
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in (self.report_action, self.verify_action):
            toolbar.addAction(action)
        toolbar.addSeparator()
        for action in (self.reminder_action, self.escalation_action):
            toolbar.addAction(action)
        layout.addWidget(toolbar)

        self.table = QTableView()
        self.table.setModel(self.model)
        tab_leaves(self.table)  # Tab goes on; arrows move in the register
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
        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(0)
        self._count_timer.timeout.connect(self._update_count)
        layout.addWidget(self.count_label)
        for signal in (
            self.model.modelReset,
            self.model.layoutChanged,
            self.model.dataChanged,
        ):
            # Count once after the event that changed the rows, not per signal.
            signal.connect(self._count_timer.start)

    # -- loading --------------------------------------------------------------------------
    @Slot()
    def reload(self) -> None:
        """Read the register again (and the plans for the filter)."""
        store = self.adapter.reads
        wanted = self.plan_combo.currentData()
        self.plan_combo.blockSignals(True)
        self.plan_combo.clear()
        self.plan_combo.addItem(T_ALL_PLANS, None)
        for p in store.planning.plans():
            self.plan_combo.addItem(T_PLAN_ITEM.format(number=p["number"], year=p["year"]), p["id"])
        self.plan_combo.setCurrentIndex(max(0, self.plan_combo.findData(wanted)) if wanted else 0)
        self.plan_combo.blockSignals(False)
        self.model.set_rows(followup.register(store, today=self.today))
        self._filters_changed()

    def set_plan(self, plan_id: str | None) -> None:
        self.plan_combo.setCurrentIndex(max(0, self.plan_combo.findData(plan_id)))

    def set_status(self, status: str | None) -> None:
        self.status_combo.setCurrentIndex(max(0, self.status_combo.findData(status)))

    def filter_pending(self) -> bool:
        """True while typed text waits for the debounce before filtering."""
        return self._filter_timer.isActive()

    def apply_filters_now(self) -> None:
        """Filter with what is typed now, without waiting for the debounce."""
        self._filters_changed()

    @Slot()
    def _filters_changed(self) -> None:
        self._filter_timer.stop()
        self._count_timer.stop()
        self.model.set_filters(
            plan_id=self.plan_combo.currentData(),
            status=self.status_combo.currentData(),
            text=self.text_edit.text(),
        )
        self._update_count()
        self._update_actions()

    @Slot()
    def _update_count(self) -> None:
        self._count_timer.stop()
        self.count_label.setText(
            T_COUNT.format(
                shown=self.model.rowCount(),
                total=self.model.total(),
                overdue=self.model.shown_overdue(),
            )
        )

    # -- selection ------------------------------------------------------------------------
    def selected(self) -> list[dict[str, Any]]:
        """The selected recommendations (register dicts), in view order."""
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.row_dict(r) for r in rows]

    def select_ids(self, ids: Iterable[str]) -> None:
        """Select these recommendations (those the filters show)."""
        from PySide6.QtCore import QItemSelection, QItemSelectionModel

        selection = QItemSelection()
        for rid in ids:
            row = self.model.row_for(rid)
            if row is None:
                continue
            index = self.model.index(row, 0)
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
        store = self.adapter.reads
        self.model.update_rows(
            followup.recommendation_status(store, rid, self.today) for rid in ids
        )
        self._update_actions()

    def _problem(self, message: str) -> None:
        """Tell the user what went wrong (tests patch this)."""
        dialogs_vi.warn(self, T_NOT_DONE, message)

    def _done(self, message: str) -> None:
        # The adapter announced the write (saved, remediationChanged).
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
            self.adapter.record_remediation(
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
            self.adapter.verify_remediation(rec["id"], ok, note, verified_on=self.today)
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
        path = file_dialogs.save_file(parent, title, suggested, filters)
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
        store = self.adapter.reads
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
        store = self.adapter.reads
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
