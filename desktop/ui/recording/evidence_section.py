"""The "Tài liệu kiểm chứng" section of the finding editor: the documents that back a finding.

A small table (Số/ký hiệu, Ngày ban hành dd/mm/yyyy, Trích yếu) over EvidenceTableModel; an
add row above it (Ctrl+E), edit in place (double-click or F2), delete (button or Delete).
Every change is written at once through desktop.services.evidence.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Slot,
)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from db.errors import StoreError
from desktop.services import evidence as evidence_service
from desktop.services.errors import UserError
from desktop.ui import strings
from desktop.ui.common import dialogs_vi, keyboard
from desktop.ui.common.keyboard import tab_leaves
from desktop.ui.common.rows_model import RowsTableModel
from desktop.ui.models import IdRole, ObjectRole
from desktop.ui.store_adapter import StoreAdapter

# Strings the user sees.
T_TITLE = "Tài liệu kiểm chứng"
HEADERS = ("Số/ký hiệu", "Ngày ban hành", "Trích yếu")
T_ADD = "Thêm tài liệu kiểm chứng"
T_ADD_KEY = "Ctrl+E"
T_ADD_SHORT = "Thêm"
T_DELETE = "Xóa tài liệu"
T_DELETE_YES = strings.DELETE
T_ASK_DELETE = (
    "Xóa tài liệu kiểm chứng “{document}” khỏi kết quả kiểm tra?\n"
    "Việc xóa được ghi lại trong lịch sử thay đổi."
)
T_NUMBER_HINT = "Số/ký hiệu, vd. 12/KH-UBND"
T_DATE_HINT = "dd/mm/yyyy"
T_SUMMARY_HINT = "Trích yếu nội dung văn bản"
T_EMPTY = "Chưa có tài liệu kiểm chứng nào."
T_READ_ONLY = "Chỉ đọc"

_NO_PARENT = QModelIndex()
FIELDS = ("number", "issued_on_text", "summary")

Writer = Callable[[dict[str, Any], str, str], "dict[str, Any] | None"]


class EvidenceTableModel(RowsTableModel):
    """The live evidence documents of one finding (dicts from desktop.services.evidence).

    Editing a cell calls `writer(row, field, text)` (field: number, issued_on, summary), which
    returns the stored row or None when the write was refused (the cell keeps its old value).
    """

    HEADERS = HEADERS

    COL_NUMBER, COL_DATE, COL_SUMMARY = range(3)

    def __init__(self, parent: QObject | None = None, writer: Writer | None = None) -> None:
        super().__init__(parent)
        self.writer = writer
        self.editable = True

    def append(self, row: dict[str, Any]) -> None:
        n = len(self._rows)
        self.beginInsertRows(QModelIndex(), n, n)
        self._rows.append(dict(row))
        self.endInsertRows()

    def remove(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        self.endRemoveRows()

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.editable:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return r.get(FIELDS[index.column()]) or ""
        if role == Qt.ItemDataRole.ToolTipRole:
            return r.get(FIELDS[index.column()]) or None
        if role == IdRole:
            return r["id"]
        if role == ObjectRole:
            return r
        return None

    def setData(
        self, index: QModelIndex | QPersistentModelIndex, value: Any, role: int = 2
    ) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole or self.writer is None:
            return False
        r = self._rows[index.row()]
        text = str(value or "").strip()
        if text == (r.get(FIELDS[index.column()]) or ""):
            return False
        field = ("number", "issued_on", "summary")[index.column()]
        stored = self.writer(r, field, text)
        if stored is None:
            return False
        r.update(stored)
        self.dataChanged.emit(
            self.index(index.row(), 0),
            self.index(index.row(), self.columnCount() - 1),
            [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole, Qt.ItemDataRole.ToolTipRole],
        )
        return True


def _fits(edit: QLineEdit, sample: str) -> None:
    edit.setMinimumWidth(edit.fontMetrics().horizontalAdvance(sample) + 16)


class EvidenceSection(QGroupBox):
    """Plugged into FindingEditor with `add_section`; `set_item` follows the current item.

    Writes go straight to the store; afterwards the adapter's `findingChanged` is emitted
    (adding the first document creates the finding) and `saved` with the time.
    """

    def __init__(self, adapter: StoreAdapter, parent: QWidget | None = None) -> None:
        super().__init__(T_TITLE, parent)
        self._adapter = adapter
        self._inspection_id: str | None = None
        self._row: dict[str, Any] | None = None
        self._key: tuple[Any, ...] | None = None
        self.model = EvidenceTableModel(self, writer=self._write_cell)

        layout = QVBoxLayout(self)
        form = QHBoxLayout()
        form.setSpacing(4)
        self.number_edit = QLineEdit()
        self.number_edit.setPlaceholderText(T_NUMBER_HINT)
        self.date_edit = QLineEdit()
        self.date_edit.setPlaceholderText(T_DATE_HINT)
        self.date_edit.setMaxLength(10)
        _fits(self.date_edit, "00/00/0000")
        self.date_edit.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.summary_edit = QLineEdit()
        self.summary_edit.setPlaceholderText(T_SUMMARY_HINT)
        for edit in (self.number_edit, self.date_edit, self.summary_edit):
            edit.returnPressed.connect(self.add_from_form)
        self.add_action = QAction(T_ADD, self)
        self.add_action.setShortcut(QKeySequence(T_ADD_KEY))
        self.add_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.add_action.setToolTip(f"{T_ADD} ({T_ADD_KEY})")
        self.add_action.triggered.connect(self._add_triggered)
        self.addAction(self.add_action)
        self.add_button = QToolButton()
        self.add_button.setDefaultAction(self.add_action)
        self.add_action.setIconText(T_ADD_SHORT)  # the button is narrow; the tooltip says all
        self.add_button.setToolTip(f"{T_ADD} ({T_ADD_KEY})")
        top = QHBoxLayout()
        top.addWidget(self.number_edit, 2)
        top.addWidget(self.date_edit, 0)
        form.addWidget(self.summary_edit, 1)
        form.addWidget(self.add_button)
        layout.addLayout(top)
        layout.addLayout(form)

        self.table = QTableView()
        self.table.setModel(self.model)
        tab_leaves(self.table)  # Tab goes on to the buttons; arrows move in the table
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(
            EvidenceTableModel.COL_NUMBER, QHeaderView.ResizeMode.ResizeToContents
        )
        header.setSectionResizeMode(
            EvidenceTableModel.COL_DATE, QHeaderView.ResizeMode.ResizeToContents
        )
        header.setSectionResizeMode(EvidenceTableModel.COL_SUMMARY, QHeaderView.ResizeMode.Stretch)
        self.model.dataChanged.connect(lambda *_: self._fit_table())
        self.table.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        layout.addWidget(self.table)

        self.delete_action = QAction(T_DELETE, self.table)
        self.delete_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.delete_action.triggered.connect(self.delete_current)
        self.table.addAction(self.delete_action)
        bottom = QHBoxLayout()
        self.empty_label = QLabel(T_EMPTY)
        self.empty_label.setStyleSheet("color: #5f6368;")
        bottom.addWidget(self.empty_label, 1)
        self.delete_button = QToolButton()
        self.delete_button.setDefaultAction(self.delete_action)
        self.delete_button.setToolTip(f"{T_DELETE} (Delete)")
        bottom.addWidget(self.delete_button)
        layout.addLayout(bottom)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b3261e;")
        self.error_label.hide()
        layout.addWidget(self.error_label)
        # The summary wraps: rows follow its width (the panel is narrow). Connected once the
        # section is built: a style sheet resizes the header while it is being made.
        header.sectionResized.connect(lambda *_: self._fit_table())
        self.model.modelReset.connect(self._fit_table)
        self.model.rowsInserted.connect(self._fit_table)
        self.model.rowsRemoved.connect(self._fit_table)
        self.table.selectionModel().currentRowChanged.connect(self._update_buttons)
        self._fit_table()

    # -- following the editor -------------------------------------------------------------
    def set_item(self, inspection_id: str | None, row: dict[str, Any] | None) -> None:
        """Show the documents of another item (reloads only when the item changed)."""
        self._inspection_id, self._row = inspection_id, row
        key = (inspection_id, row["item_id"], row.get("finding_id")) if row else None
        self.setVisible(row is not None)
        writable = not self._adapter.read_only
        self.model.editable = writable
        for w in (self.number_edit, self.date_edit, self.summary_edit):
            w.setEnabled(writable)
        self.add_action.setEnabled(writable and row is not None)
        if key == self._key:
            self._update_buttons()
            return
        self._key = key
        self.error_label.hide()
        self.reload()

    def reload(self) -> None:
        rows: list[dict[str, Any]] = []
        if self._row is not None and self._inspection_id:
            rows = evidence_service.list_evidence(
                self._adapter.reads, self._inspection_id, self._row["item_id"]
            )
        self.model.set_rows(rows)

    @Slot()
    def _fit_table(self) -> None:
        n = self.model.rowCount()
        self.empty_label.setVisible(n == 0)
        self.table.setVisible(n > 0)
        self.table.resizeRowsToContents()
        rows_h = sum(self.table.rowHeight(r) for r in range(n)) if n else 0
        frame = 2 * self.table.frameWidth()
        height = self.table.horizontalHeader().sizeHint().height() + rows_h + frame + 2
        self.table.setFixedHeight(min(height, 240))
        self._update_buttons()

    def _update_buttons(self, *_: Any) -> None:
        self.delete_action.setEnabled(
            self.model.editable and self.table.currentIndex().isValid() and bool(self.model.rows())
        )

    # -- writing --------------------------------------------------------------------------
    def _fail(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()
        # The reason must be seen: scroll the editor's panel to it.
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if isinstance(parent, QScrollArea):
            body = parent.widget()
            layout = body.layout() if body is not None else None
            if layout is not None:
                layout.activate()  # the label just shown has its place
            parent.ensureWidgetVisible(self.error_label, 10, 10)

    def _item_id(self) -> str:
        return self._row["item_id"] if self._row is not None else ""

    def _written(self) -> None:
        # The adapter announced the write (saved, evidenceChanged, findingChanged).
        self.error_label.hide()

    @Slot()
    def _add_triggered(self) -> None:
        if any(e.text().strip() for e in (self.number_edit, self.summary_edit)):
            self.add_from_form()
        else:
            self.number_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)

    @Slot()
    def add_from_form(self) -> dict[str, Any] | None:
        """Add the document typed in the form; the stored row, or None (reason shown)."""
        # The date as every date box of the window takes it ("20022021" too).
        typed = self.date_edit.text().strip()
        date = keyboard.parse_date(typed) if typed else None
        issued_on = date.toString("dd/MM/yyyy") if date is not None else typed
        added = self.add(self.number_edit.text(), issued_on, self.summary_edit.text())
        if added is not None:
            for edit in (self.number_edit, self.date_edit, self.summary_edit):
                edit.clear()
            self.number_edit.setFocus()
        return added

    def add(self, number: str, issued_on: str, summary: str) -> dict[str, Any] | None:
        """Add a document to the current item's finding."""
        if self._row is None or not self._inspection_id:
            return None
        try:
            row = self._adapter.add_evidence(
                self._inspection_id,
                self._row["item_id"],
                number=number,
                issued_on=issued_on,
                summary=summary,
            )
        except (UserError, StoreError) as exc:
            self._fail(str(exc))
            return None
        # The announcement may have reloaded the list already (a new finding row).
        ids = [r["id"] for r in self.model.rows()]
        if row["id"] not in ids:
            self.model.append(row)
            ids.append(row["id"])
        self.table.setCurrentIndex(self.model.index(ids.index(row["id"]), 0))
        self._written()
        return row

    def _write_cell(self, row: dict[str, Any], field: str, text: str) -> dict[str, Any] | None:
        kwargs: dict[str, Any] = {field: text}
        if field == "issued_on" and not text:
            kwargs = {"clear_date": True}
        try:
            stored = self._adapter.update_evidence(
                self._inspection_id or "", self._item_id(), row["id"], **kwargs
            )
        except (UserError, StoreError) as exc:
            self._fail(str(exc))
            return None
        self._written()
        return stored

    @Slot()
    def delete_current(self) -> None:
        """Delete the selected document (a tombstone: it stays in the history)."""
        index = self.table.currentIndex()
        if not index.isValid():
            return
        row = self.model.rows()[index.row()]
        named = " ".join(p for p in (row.get("number"), row.get("summary")) if p) or "này"
        question = T_ASK_DELETE.format(document=named)
        if not dialogs_vi.confirm_delete(self, T_DELETE, question, accept=T_DELETE_YES):
            return
        try:
            self._adapter.delete_evidence(self._inspection_id or "", self._item_id(), row["id"])
        except (UserError, StoreError) as exc:
            self._fail(str(exc))
            return
        self.model.remove(index.row())
        self._written()
