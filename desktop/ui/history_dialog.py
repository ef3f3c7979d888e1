""" "Lịch sử thay đổi": every change to one finding, from the hash-chained audit log.

One line per changed field: Thời gian, Người ghi, Trường, Cũ → Mới (from
desktop.services.audit.finding_history), oldest first.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db import Store
from desktop.services import audit
from desktop.ui import strings
from desktop.ui.common import dialogs_vi
from desktop.ui.common.keyboard import tab_leaves
from desktop.ui.common.rows_model import RowsTableModel
from desktop.ui.models import ObjectRole

# Strings the user sees.
T_TITLE = strings.HISTORY
T_OF = "Lịch sử thay đổi — {code}"
HEADERS = ("Thời gian", "Người ghi", "Trường", "Cũ → Mới")
T_NOTHING = "(trống)"
T_EMPTY = "Nội dung này chưa có thay đổi nào được ghi lại."
T_CLOSE = strings.CLOSE

_NO_PARENT = QModelIndex()


def change_text(entry: dict[str, Any]) -> str:
    """ "old → new" with "(trống)" for an empty side."""
    return f"{entry['old'] or T_NOTHING} → {entry['new'] or T_NOTHING}"


class HistoryModel(RowsTableModel):
    """Read-only table of history entries (dicts from audit.finding_history)."""

    HEADERS = HEADERS

    COL_AT, COL_WHO, COL_FIELD, COL_CHANGE = range(4)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        e = self._rows[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if col == self.COL_AT:
                return e["at_text"]
            if col == self.COL_WHO:
                return e["who"] or "—"
            if col == self.COL_FIELD:
                return e["field"]
            if col == self.COL_CHANGE:
                return change_text(e)
        if role == ObjectRole:
            return e
        return None


class HistoryDialog(QDialog):
    """Shows the history of one finding; `show_for(...)` builds and runs it."""

    def __init__(
        self,
        store: Store,
        inspection_id: str,
        item_id: str,
        title: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(T_OF.format(code=title) if title else T_TITLE)
        self.model = HistoryModel(self)
        self.model.set_rows(audit.finding_history(store, inspection_id, item_id))
        layout = QVBoxLayout(self)
        self.table = QTableView()
        tab_leaves(self.table)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for col in (HistoryModel.COL_AT, HistoryModel.COL_WHO, HistoryModel.COL_FIELD):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(HistoryModel.COL_CHANGE, QHeaderView.ResizeMode.Stretch)
        self.table.resizeRowsToContents()
        layout.addWidget(self.table)
        self.empty_label = QLabel(T_EMPTY)
        self.empty_label.setVisible(self.model.rowCount() == 0)
        layout.addWidget(self.empty_label)
        buttons = dialogs_vi.buttons(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(820, 420)
        if self.model.rowCount():
            self.table.scrollToBottom()

    @classmethod
    def show_for(
        cls,
        parent: QWidget | None,
        store: Store,
        inspection_id: str,
        item_id: str,
        title: str = "",
    ) -> None:
        """Run the dialog modally (tests patch this)."""
        dialog = cls(store, inspection_id, item_id, title, parent)
        dialog.exec()
        dialog.deleteLater()
