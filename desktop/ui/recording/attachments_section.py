"""The "Tệp đính kèm" section of the finding editor: photos, scans and other files.

Files are added with a file dialog ("Thêm tệp…") or by dropping them onto the section; they
are copied into the data folder by desktop.services.attachments. Photos and scans show as
thumbnails, other files as their type's icon; a file gone from the data folder shows a
warning instead of a picture. Double-click or Enter opens a file with the system viewer.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QFileInfo,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    QUrl,
    Slot,
)
from PySide6.QtGui import (
    QAction,
    QDesktopServices,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QIcon,
    QImageReader,
    QKeySequence,
    QPixmap,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileIconProvider,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from db.errors import StoreError
from desktop.services import attachments as attachment_service
from desktop.services.errors import UserError
from desktop.services.paths import data_dir_for
from desktop.ui import strings
from desktop.ui.common import dialogs_vi, file_dialogs
from desktop.ui.models import IdRole, ObjectRole
from desktop.ui.store_adapter import StoreAdapter

# Strings the user sees.
T_TITLE = "Tệp đính kèm"
T_ADD = strings.ADD_FILE
T_ADD_TIP = "Thêm ảnh chụp, bản quét hoặc tệp khác (có thể kéo thả tệp vào đây)"
T_REMOVE = "Gỡ tệp"
T_REMOVE_YES = "Gỡ"
T_ASK_REMOVE = (
    "Gỡ tệp “{name}” khỏi kết quả kiểm tra?\nViệc gỡ được ghi lại trong lịch sử thay đổi."
)
T_OPEN = strings.OPEN_FILE
T_MISSING = "Tệp không còn trong thư mục dữ liệu"
T_EMPTY = "Chưa có tệp nào. Kéo thả ảnh, bản quét vào đây hoặc bấm “Thêm tệp…”."
T_NO_FOLDER = "Cơ sở dữ liệu trong bộ nhớ không có thư mục dữ liệu để lưu tệp."
T_OPEN_FAILED = "Không mở được tệp {name}"
T_PICK = "Chọn tệp đính kèm"
T_ADDED = "Đã thêm {n} tệp"

THUMB = 96
_NO_PARENT = QModelIndex()


def _size_text(size: int | None) -> str:
    if not size:
        return ""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB".replace(".", ",")


def thumbnail(path: str, edge: int = THUMB) -> QPixmap | None:
    """A picture no bigger than edge×edge, decoded at that size (a 12 MP photo stays cheap)."""
    reader = QImageReader(path)
    reader.setAutoTransform(True)
    size = reader.size()
    if size.isValid() and (size.width() > edge or size.height() > edge):
        reader.setScaledSize(size.scaled(edge, edge, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    if image.isNull():
        return None
    return QPixmap.fromImage(image)


class AttachmentListModel(QAbstractListModel):
    """The attachments of one finding (dicts from desktop.services.attachments).

    DecorationRole: the thumbnail of a picture, the file-type icon of anything else, a warning
    icon for a file missing from the data folder (rows carry `missing`).
    """

    def __init__(self, parent: QObject | None = None, style: QStyle | None = None) -> None:
        super().__init__(parent)
        self._rows: list[dict[str, Any]] = []
        self._thumbs: dict[str, QIcon] = {}
        self._style = style
        self._provider: QFileIconProvider | None = None

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self._rows = [dict(r) for r in rows]
        self.endResetModel()

    def rows(self) -> list[dict[str, Any]]:
        return self._rows

    def append(self, row: dict[str, Any]) -> None:
        n = len(self._rows)
        self.beginInsertRows(QModelIndex(), n, n)
        self._rows.append(dict(row))
        self.endInsertRows()

    def remove(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        self.endRemoveRows()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{r['filename']}\n{T_MISSING}" if r["missing"] else r["filename"]
        if role == Qt.ItemDataRole.ToolTipRole:
            if r["missing"]:
                return f"{r['filename']}\n{T_MISSING}"
            return f"{r['filename']} · {_size_text(r.get('size'))}"
        if role == Qt.ItemDataRole.DecorationRole:
            return self.icon(r)
        if role == IdRole:
            return r["id"]
        if role == ObjectRole:
            return r
        return None

    def _standard(self, pixmap: QStyle.StandardPixmap) -> QIcon:
        from PySide6.QtWidgets import QApplication

        style = self._style or QApplication.style()
        return style.standardIcon(pixmap)

    def icon(self, r: dict[str, Any]) -> QIcon:
        """What the row shows: thumbnail, file-type icon, or the warning of a missing file."""
        if r["missing"]:
            return self._standard(QStyle.StandardPixmap.SP_MessageBoxWarning)
        if r["is_image"]:
            cached = self._thumbs.get(r["sha256"])
            if cached is None:
                pixmap = thumbnail(r["path"])
                cached = QIcon(pixmap) if pixmap is not None else QIcon()
                self._thumbs[r["sha256"]] = cached
            if not cached.isNull():
                return cached
        if self._provider is None:
            self._provider = QFileIconProvider()
        # The stored file has no extension: ask by the original name for the type's icon.
        icon = self._provider.icon(QFileInfo(r["filename"]))
        if icon.isNull():
            icon = self._standard(QStyle.StandardPixmap.SP_FileIcon)
        return icon


def local_files(mime: QMimeData) -> list[Path]:
    """The local files (not folders) a drag carries."""
    if not mime.hasUrls():
        return []
    out = []
    for url in mime.urls():
        if url.isLocalFile():
            path = Path(url.toLocalFile())
            if path.is_file():
                out.append(path)
    return out


class AttachmentsSection(QGroupBox):
    """Plugged into FindingEditor with `add_section`; `set_item` follows the current item.

    Patch points for tests: `ask_files(parent) -> list[Path]` (the file dialog) and
    `open_external(path) -> bool` (the system viewer).
    """

    def __init__(self, adapter: StoreAdapter, parent: QWidget | None = None) -> None:
        super().__init__(T_TITLE, parent)
        self._adapter = adapter
        self._inspection_id: str | None = None
        self._row: dict[str, Any] | None = None
        self._key: tuple[Any, ...] | None = None
        self.model = AttachmentListModel(self, self.style())
        self.setAcceptDrops(True)

        layout = QVBoxLayout(self)
        self.view = QListView()
        self.view.setModel(self.model)
        self.view.setViewMode(QListView.ViewMode.IconMode)
        self.view.setIconSize(QSize(THUMB, THUMB))
        self.view.setGridSize(QSize(THUMB + 40, THUMB + 48))
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setMovement(QListView.Movement.Static)
        self.view.setWrapping(True)
        self.view.setWordWrap(True)
        self.view.setUniformItemSizes(True)
        self.view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # Drops belong to the section (files from outside), not to the view (moving icons).
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.NoDragDrop)
        self.view.setDragEnabled(False)
        self.view.setAcceptDrops(False)
        self.view.viewport().setAcceptDrops(False)
        self.view.setMinimumHeight(THUMB + 56)
        self.view.setMaximumHeight(2 * (THUMB + 48) + 8)
        self.view.activated.connect(self.open_index)
        layout.addWidget(self.view)

        self.empty_label = QLabel(T_EMPTY)
        self.empty_label.setWordWrap(True)
        self.empty_label.setStyleSheet("color: #5f6368;")
        layout.addWidget(self.empty_label)

        buttons = QHBoxLayout()
        self.add_action = QAction(T_ADD, self)
        self.add_action.setToolTip(T_ADD_TIP)
        self.add_action.triggered.connect(self._ask_and_add)
        self.open_action = QAction(T_OPEN, self)
        self.open_action.triggered.connect(lambda: self.open_index(self.view.currentIndex()))
        self.remove_action = QAction(T_REMOVE, self.view)
        self.remove_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.remove_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.remove_action.setToolTip(f"{T_REMOVE} (Delete)")
        self.remove_action.triggered.connect(self.remove_current)
        self.view.addAction(self.remove_action)
        for action in (self.add_action, self.open_action, self.remove_action):
            button = QToolButton()
            button.setDefaultAction(action)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.message_label.hide()
        layout.addWidget(self.message_label)

        self.view.selectionModel().currentChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_empty)
        self.model.rowsInserted.connect(self._update_empty)
        self.model.rowsRemoved.connect(self._update_empty)
        self._update_empty()

    # -- patch points ---------------------------------------------------------------------
    @staticmethod
    def ask_files(parent: QWidget | None) -> list[Path]:
        """Ask for files to attach; tests patch this."""
        paths = file_dialogs.open_files(parent, T_PICK, str(Path.home()))
        return [Path(p) for p in paths]

    @staticmethod
    def open_external(path: str) -> bool:
        """Open a file with the system's viewer; tests patch this."""
        return bool(QDesktopServices.openUrl(QUrl.fromLocalFile(path)))

    # -- following the editor -------------------------------------------------------------
    @property
    def data_dir(self) -> Path | None:
        path = self._adapter.path
        return data_dir_for(Path(path)) if path and str(path) != ":memory:" else None

    def set_item(self, inspection_id: str | None, row: dict[str, Any] | None) -> None:
        """Show the files of another item (reloads only when the item changed)."""
        self._inspection_id, self._row = inspection_id, row
        self.setVisible(row is not None)
        key = (inspection_id, row["item_id"], row.get("finding_id")) if row else None
        self._update_buttons()
        if key == self._key:
            return
        self._key = key
        self.message_label.hide()
        self.reload()

    def reload(self) -> None:
        rows: list[dict[str, Any]] = []
        if self._row is not None and self._inspection_id and self.data_dir is not None:
            rows = attachment_service.list_attachments(
                self._adapter.reads, self.data_dir, self._inspection_id, self._row["item_id"]
            )
        self.model.set_rows(rows)

    @property
    def writable(self) -> bool:
        return not self._adapter.read_only and self.data_dir is not None

    def _update_empty(self, *_: Any) -> None:
        empty = self.model.rowCount() == 0
        self.view.setVisible(not empty)
        self.empty_label.setVisible(empty)
        self._update_buttons()

    def _update_buttons(self, *_: Any) -> None:
        has_item = self._row is not None
        current = self.view.currentIndex().isValid() and self.model.rowCount() > 0
        self.add_action.setEnabled(has_item and self.writable)
        self.remove_action.setEnabled(current and self.writable)
        self.open_action.setEnabled(current)

    def _say(self, message: str, error: bool = False) -> None:
        self.message_label.setStyleSheet("color: #b3261e;" if error else "color: #5f6368;")
        self.message_label.setText(message)
        self.message_label.show()

    # -- adding ---------------------------------------------------------------------------
    @Slot()
    def _ask_and_add(self) -> None:
        paths = self.ask_files(self)
        if paths:
            self.add_files(paths)

    def add_files(self, paths: list[Path]) -> list[dict[str, Any]]:
        """Attach files to the current item; the rows added (problems are shown)."""
        if self._row is None or not self._inspection_id:
            return []
        data_dir = self.data_dir
        if data_dir is None:
            self._say(T_NO_FOLDER, error=True)
            return []
        added: list[dict[str, Any]] = []
        problems: list[str] = []
        inspection_id, item_id = self._inspection_id, self._row["item_id"]
        known = {r["sha256"] for r in self.model.rows()}
        for path in paths:
            try:
                row = self._adapter.add_attachment(inspection_id, item_id, data_dir, path)
            except (UserError, StoreError) as exc:
                problems.append(str(exc))
                continue
            if row["sha256"] not in known:  # the same content twice is attached once
                known.add(row["sha256"])
                added.append(row)
                # The announcement may have reloaded the list (a new finding row) already.
                if row["id"] not in {r["id"] for r in self.model.rows()}:
                    self.model.append(row)
        if problems:
            self._say("\n".join(problems), error=True)
        elif added:
            self._say(T_ADDED.format(n=len(added)))
        return added

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.add_action.isEnabled() and local_files(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self.add_action.isEnabled() and local_files(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        files = local_files(event.mimeData())
        if not files or not self.add_action.isEnabled():
            event.ignore()
            return
        event.acceptProposedAction()
        self.add_files(files)

    # -- opening and removing -------------------------------------------------------------
    @Slot(QModelIndex)
    def open_index(self, index: QModelIndex) -> bool:
        """Open the file with the system viewer; a missing file only says so."""
        if not index.isValid():
            return False
        r = index.data(ObjectRole)
        if r["missing"] or not Path(r["path"]).is_file():
            self._say(f"{r['filename']}: {T_MISSING}", error=True)
            return False
        # The stored copy has no extension; viewers choose by name, so open a named link.
        target = self._named_copy(r)
        if not self.open_external(str(target)):
            self._say(T_OPEN_FAILED.format(name=r["filename"]), error=True)
            return False
        return True

    def _named_copy(self, r: dict[str, Any]) -> Path:
        """A read-only copy of the stored file under its original name (in the data folder)."""
        data_dir = self.data_dir
        assert data_dir is not None
        folder = data_dir / "attachments" / "open" / r["sha256"][:16]
        target: Path = folder / Path(r["filename"]).name
        try:
            if not target.exists():
                # A copy, not a link: a viewer that saves must never change the stored file.
                folder.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(r["path"], target)
                target.chmod(0o400)
            return target
        except OSError:
            return Path(r["path"])

    @Slot()
    def remove_current(self) -> None:
        """Remove the selected attachment from the finding (the stored file is kept)."""
        index = self.view.currentIndex()
        if not index.isValid() or self._row is None or not self._inspection_id:
            return
        r = self.model.rows()[index.row()]
        question = T_ASK_REMOVE.format(name=r.get("filename") or "")
        if not dialogs_vi.confirm_delete(self, T_REMOVE, question, accept=T_REMOVE_YES):
            return
        try:
            self._adapter.remove_attachment(self._inspection_id, self._row["item_id"], r["id"])
        except (UserError, StoreError) as exc:
            self._say(str(exc), error=True)
            return
        ids = [row["id"] for row in self.model.rows()]
        if r["id"] in ids:
            self.model.remove(ids.index(r["id"]))
