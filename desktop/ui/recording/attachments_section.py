"""The "Tệp đính kèm" section of the finding editor: photos, scans and other files.

Files are added with a file dialog ("Thêm tệp…") or by dropping them onto the section; they
are copied into the data folder by desktop.services.attachments. Photos and scans show as
thumbnails, other files as their type's icon; a file gone from the data folder shows a
warning instead of a picture. Double-click or Enter opens a file with the system viewer.
A PDF shows its digital signatures (desktop.signing.evidence: signer, date, intact or
changed, trusted); one changed after signing is written in red.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QMimeData,
    QModelIndex,
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
    QKeySequence,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListView,
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
from desktop.ui.models import ObjectRole
from desktop.ui.recording.attachment_list_model import (
    T_MISSING,
    THUMB,
    AttachmentListModel,
)
from desktop.ui.recording.attachment_signatures import (
    SignaturePanel,
)
from desktop.ui.store_adapter import StoreAdapter

# Strings the user sees.
T_TITLE = "Tệp đính kèm"
T_ADD = strings.ADD_FILE
T_ADD_TIP = "Thêm ảnh chụp, bản quét hoặc tệp khác (có thể kéo thả tệp vào đây)"
T_LIMIT = "Giới hạn tệp đính kèm…"
T_LIMIT_TIP = "Cài đặt: dung lượng lớn nhất của mỗi tệp đính kèm (mặc định 50 MB)"
T_LIMIT_ASK = "Dung lượng lớn nhất của mỗi tệp đính kèm (MB):"
T_REMOVE = "Gỡ tệp"
T_REMOVE_YES = "Gỡ"
T_ASK_REMOVE = (
    "Gỡ tệp “{name}” khỏi kết quả kiểm tra?\nViệc gỡ được ghi lại trong lịch sử thay đổi."
)
T_OPEN = strings.OPEN_FILE
T_EMPTY = "Chưa có tệp nào. Kéo thả ảnh, bản quét vào đây hoặc bấm “Thêm tệp…”."
T_NO_FOLDER = "Cơ sở dữ liệu trong bộ nhớ không có thư mục dữ liệu để lưu tệp."
T_OPEN_FAILED = "Không mở được tệp {name}"
T_PICK = "Chọn tệp đính kèm"
T_ADDED = "Đã thêm {n} tệp"


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

    `signatures` (attachment_signatures.SignaturePanel) shows the selected PDF's signatures;
    its signedOn(date) is the signing date the user wants for the evidence document.
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
        # Cài đặt of the attachments: the largest file accepted (a setting of this laptop).
        self.limit_action = QAction(T_LIMIT, self)
        self.limit_action.setToolTip(T_LIMIT_TIP)
        self.limit_action.triggered.connect(self._ask_and_set_limit)
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
        self.signatures = SignaturePanel()  # the selected PDF's signatures
        layout.addWidget(self.signatures)

        self.view.selectionModel().currentChanged.connect(self._update_buttons)
        self.view.selectionModel().currentChanged.connect(self._show_signatures)
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
    def ask_limit(parent: QWidget | None, current: float) -> float | None:
        """Ask for the largest file to attach, in MB (None: cancelled); tests patch this."""
        from PySide6.QtWidgets import QInputDialog

        value, ok = QInputDialog.getDouble(
            parent, T_LIMIT.rstrip("…"), T_LIMIT_ASK, current, 1, 200, 1
        )
        return float(value) if ok else None

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
        self.model.trust_roots = self._trust_roots()
        self.model.set_rows(rows)
        self._show_signatures()

    def _trust_roots(self) -> list[Any] | None:
        path = self._adapter.path
        if not path or str(path) == ":memory:":
            return None
        from desktop.signing.trust import roots

        return roots(Path(path))

    def _show_signatures(self, *_: Any) -> None:
        """Under the files: the signatures of the selected PDF, in red when it was changed."""
        index = self.view.currentIndex()
        r = self.model.rows()[index.row()] if index.isValid() and self.model.rowCount() else None
        found = self.model.signatures(r) if r is not None and not r["missing"] else None
        self.signatures.show_signatures(found)

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

    @Slot()
    def _ask_and_set_limit(self) -> None:
        try:
            current = attachment_service.max_attachment_bytes(self._adapter.reads) / 2**20
        except UserError:
            current = float(attachment_service.DEFAULT_MAX_MB)
        value = self.ask_limit(self, current)
        if value is not None:
            shown = f"{value:g}"
            self._adapter.set_setting(attachment_service.SETTING_MAX_MB, shown)

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
            self._say(f"{r.get('display_name') or r['filename']}: {T_MISSING}", error=True)
            return False
        # The stored copy has no extension; viewers choose by name, so open a named link.
        target = self._named_copy(r)
        if not self.open_external(str(target)):
            self._say(T_OPEN_FAILED.format(name=r.get("display_name") or r["filename"]), error=True)
            return False
        return True

    def _named_copy(self, r: dict[str, Any]) -> Path:
        """A read-only copy of the stored file under its name made safe for the system (no
        CON, no trailing dot, no bidirectional mark: attachments.safe_filename)."""
        data_dir = self.data_dir
        assert data_dir is not None
        folder = data_dir / "attachments" / "open" / r["sha256"][:16]
        target: Path = folder / (r.get("safe_name") or Path(r["filename"]).name)
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
        question = T_ASK_REMOVE.format(name=r.get("display_name") or r.get("filename") or "")
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
