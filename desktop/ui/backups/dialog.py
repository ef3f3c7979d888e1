"""Tệp ▸ Sao lưu và khôi phục…: the backups of the open database, back up now, restore.

Restoring replaces the database file, which needs every Store on it in this process closed:
the dialog flushes the editor (`prepare`), closes the adapter's Store, restores in a worker
while the window is blocked by the modal progress dialog, then asks the window to reopen the
file (`reopen`, MainWindow.open_database), which swaps the Store inside the adapter and reloads
everything. If the restore fails, the current database is left as it was and reopened too.

Test seams: `BackupsDialog.confirm_restore`, `BackupsDialog.show_info`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.ui import strings
from desktop.ui.common import dialogs_vi
from desktop.ui.common.keyboard import tab_leaves
from desktop.ui.common.workers import Task, own_store, show_error
from desktop.ui.store_adapter import StoreAdapter

# Strings the user sees.
T_TITLE = "Sao lưu và khôi phục"
T_INTRO = (
    "Bản sao lưu được lưu trong thư mục “backups” cạnh cơ sở dữ liệu: tự động mỗi ngày, "
    "trước khi nhập dữ liệu, trước khi nâng cấp và trước khi khôi phục."
)
T_WHEN = "Thời gian"
T_REASON = "Lý do"
T_SIZE = "Dung lượng"
T_BACKUP_NOW = "Sao lưu ngay"
T_RESTORE = "Khôi phục…"
T_CLOSE = strings.CLOSE
T_NONE = "Chưa có bản sao lưu nào."
T_COUNT = "{n} bản sao lưu"
T_BACKING_UP = "Đang sao lưu cơ sở dữ liệu…"
T_BACKED_UP = "Đã sao lưu vào {path}"
T_RESTORING = "Đang khôi phục cơ sở dữ liệu…"
T_CONFIRM_TITLE = "Khôi phục cơ sở dữ liệu?"
T_CONFIRM = (
    "Thay toàn bộ dữ liệu hiện tại bằng bản sao lưu lúc {when} ({reason})?\n\n"
    "Dữ liệu hiện tại sẽ được sao lưu trước (lý do “Trước khi khôi phục”), nên có thể "
    "quay lại nếu cần."
)
T_RESTORE_BUTTON = "Khôi phục"
T_CANCEL = strings.CANCEL
T_RESTORED_TITLE = "Đã khôi phục"
T_RESTORED = "Đã khôi phục cơ sở dữ liệu từ bản sao lưu lúc {when}."
T_SAFETY = "\nDữ liệu trước khi khôi phục được lưu tại:\n{path}"
T_FAILED = "Không sao lưu hoặc khôi phục được"


def _when(iso: str) -> str:
    return dt.datetime.fromisoformat(iso).strftime("%d/%m/%Y %H:%M:%S")


def human_size(n: int) -> str:
    """1.234 KB, 12,5 MB: Vietnamese separators."""
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.1f} MB".replace(".", ",")
    if n >= 1024:
        return f"{n / 1024:,.0f} KB".replace(",", ".")
    return f"{n} B"


class BackupsModel(QAbstractTableModel):
    """Backups newest first; sort role gives native values; ObjectRole the dict."""

    COL_WHEN, COL_REASON, COL_SIZE = range(3)
    HEADERS = (T_WHEN, T_REASON, T_SIZE)
    SortRole = Qt.ItemDataRole.UserRole
    ObjectRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[dict[str, Any]] = []

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def backup(self, row: int) -> dict[str, Any] | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section] if 0 <= section < 3 else None
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        b, col = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == self.COL_WHEN:
                return _when(b["created"])
            if col == self.COL_REASON:
                return b["label"]
            return human_size(b["size"])
        if role == self.SortRole:
            return (b["created"], b["reason"], b["size"])[col]
        if role == Qt.ItemDataRole.ToolTipRole:
            return b["path"]
        if role == Qt.ItemDataRole.TextAlignmentRole and col == self.COL_SIZE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == self.ObjectRole:
            return b
        return None


class BackupsDialog(QDialog):
    """List, create and restore backups of the adapter's database.

    `reopen(path)` reopens the database in the window after a restore; `prepare()` saves
    pending edits before the Store is closed.

    Signals:
      backedUp(path: str) — a backup was written.
      restored(path: str) — the database was restored from this backup and reopened.
      failed(message: str) — a backup or a restore failed (the message was shown).
    """

    backedUp = Signal(str)
    restored = Signal(str)
    failed = Signal(str)

    def __init__(
        self,
        adapter: StoreAdapter,
        reopen: Callable[[Path], Any],
        prepare: Callable[[], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.adapter = adapter
        self.reopen = reopen
        self.prepare = prepare or (lambda: None)
        self.task: Task | None = None
        self.setWindowTitle(T_TITLE)

        intro = QLabel(T_INTRO)
        intro.setWordWrap(True)
        self.folder_label = QLabel()
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.folder_label.setWordWrap(True)
        self.folder_label.setStyleSheet("color: #5f6368")
        self.model = BackupsModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(BackupsModel.SortRole)
        self.view = QTableView()
        tab_leaves(self.view)
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(BackupsModel.COL_WHEN, Qt.SortOrder.DescendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().setVisible(False)
        self.view.setAlternatingRowColors(True)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(BackupsModel.COL_WHEN, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(BackupsModel.COL_REASON, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(BackupsModel.COL_SIZE, QHeaderView.ResizeMode.ResizeToContents)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.view.doubleClicked.connect(lambda _index: self.restore_selected())
        self.count_label = QLabel()

        self.backup_button = QPushButton(T_BACKUP_NOW)
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button = QPushButton(T_RESTORE)
        self.restore_button.clicked.connect(self.restore_selected)
        close_button = QPushButton(T_CLOSE)
        close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.backup_button)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        buttons.addWidget(close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.folder_label)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count_label)
        layout.addLayout(buttons)
        self.resize(640, 420)
        self.reload()

    # -- seams ----------------------------------------------------------------------------
    @staticmethod
    def confirm_restore(parent: QWidget | None, when: str, reason: str) -> bool:
        """Ask before replacing the database; tests patch this."""
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(T_CONFIRM_TITLE)
        box.setText(T_CONFIRM.format(when=when, reason=reason))
        yes = box.addButton(T_RESTORE_BUTTON, QMessageBox.ButtonRole.DestructiveRole)
        no = box.addButton(T_CANCEL, QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(no)
        box.exec()
        return box.clickedButton() is yes

    @staticmethod
    def show_info(parent: QWidget | None, title: str, text: str) -> None:
        dialogs_vi.inform(parent, title, text)

    # -- the list -------------------------------------------------------------------------
    def _db_path(self) -> Path:
        path = self.adapter.path
        assert path is not None, "backups need a database file"
        return path

    @Slot()
    def reload(self) -> None:
        from db.connection import backups_dir
        from desktop.services.backup import list_backups

        self.model.set_rows(list_backups(self._db_path()))
        self.folder_label.setText(str(backups_dir(self._db_path())))
        n = self.model.rowCount()
        self.count_label.setText(T_COUNT.format(n=n) if n else T_NONE)
        if n:
            self.view.selectRow(0)
        self._update_buttons()

    def backups(self) -> list[dict[str, Any]]:
        """What the list shows, in view order."""
        return [
            self.proxy.index(r, 0).data(BackupsModel.ObjectRole)
            for r in range(self.proxy.rowCount())
        ]

    def selected(self) -> dict[str, Any] | None:
        rows = self.view.selectionModel().selectedRows()
        return rows[0].data(BackupsModel.ObjectRole) if rows else None

    def select_path(self, path: str | Path) -> bool:
        for r in range(self.proxy.rowCount()):
            if Path(self.proxy.index(r, 0).data(BackupsModel.ObjectRole)["path"]) == Path(path):
                self.view.selectRow(r)
                return True
        return False

    @Slot()
    def _update_buttons(self, *_args: Any) -> None:
        busy = self.task is not None and self.task.running
        self.backup_button.setEnabled(not busy)
        self.restore_button.setEnabled(not busy and self.selected() is not None)

    # -- actions --------------------------------------------------------------------------
    @Slot()
    def backup_now(self) -> Task:
        """A manual backup, through a read-only Store of the worker's own."""
        db_path = self._db_path()

        def work(_progress: Any) -> str:
            from desktop.services.backup import backup_now

            with own_store(db_path, read_only=True) as store:
                return str(backup_now(store))

        task = self._task(T_BACKING_UP, work)
        task.succeeded.connect(self._backed_up)
        return task.start()

    def _backed_up(self, path: str) -> None:
        self.reload()
        self.select_path(path)
        self.backedUp.emit(path)

    @Slot()
    def restore_selected(self) -> Task | None:
        """Confirm, close the database, restore the selected backup, reopen."""
        chosen = self.selected()
        if chosen is None:
            return None
        when = _when(chosen["created"])
        if not self.confirm_restore(self, when, chosen["label"]):
            return None
        db_path = self._db_path()
        source = Path(chosen["path"])
        self.prepare()
        self.adapter.close()  # every Store on the file must be closed for the swap

        def work(_progress: Any) -> str | None:
            from desktop.services.backup import restore

            safety = restore(db_path, source, app="Kiểm tra CCHC")
            return str(safety) if safety else None

        task = self._task(T_RESTORING, work)
        task.succeeded.connect(lambda safety: self._restored(db_path, source, when, safety))
        task.failed.connect(lambda _message: self.reopen(db_path))
        return task.start()

    def _restored(self, db_path: Path, source: Path, when: str, safety: str | None) -> None:
        self.reopen(db_path)
        self.reload()
        text = T_RESTORED.format(when=when) + (T_SAFETY.format(path=safety) if safety else "")
        self.show_info(self, T_RESTORED_TITLE, text)
        self.restored.emit(str(source))

    def _task(self, label: str, work: Any) -> Task:
        task = Task(self, T_TITLE, label, work, cancellable=False)
        self.task = task
        task.failed.connect(self._failed)
        task.finished.connect(self._update_buttons)
        self._update_buttons()
        return task

    @Slot(str)
    def _failed(self, message: str) -> None:
        show_error(self, T_FAILED, message)
        self.failed.emit(message)
