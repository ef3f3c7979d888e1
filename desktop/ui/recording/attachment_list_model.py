"""The list of a finding's attached files as a Qt model: thumbnails for photos and scans, the
type's icon for other files, a warning for a file gone from the data folder, and the
signatures of a PDF (desktop.signing.evidence through attachment_signatures)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QFileInfo,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QIcon, QImageReader, QPixmap
from PySide6.QtWidgets import QFileIconProvider, QStyle

from desktop.ui.models import IdRole, ObjectRole
from desktop.ui.recording.attachment_signatures import row_signatures, with_signatures

T_MISSING = "Tệp không còn trong thư mục dữ liệu"

THUMB = 96
_NO_PARENT = QModelIndex()


def size_text(size: int | None) -> str:
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
        # The user's trust roots (desktop.signing.trust), set by the section on reload; None:
        # signatures are not read (a database in memory has no trust folder).
        self.trust_roots: list[Any] | None = None

    def signatures(self, r: dict[str, Any]) -> dict[str, Any] | None:
        """The signatures of a PDF row (desktop.signing.evidence), None for anything else."""
        return row_signatures(r, self.trust_roots)

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
        # The name as given is kept; it is shown without control or bidirectional marks (a
        # right-to-left override must not make "gnp.exe" read "exe.png").
        name = r.get("display_name") or r["filename"]
        if role == Qt.ItemDataRole.DisplayRole:
            if r["missing"]:
                return f"{name}\n{T_MISSING}"
            return with_signatures(name, self.signatures(r), role)
        if role == Qt.ItemDataRole.ToolTipRole:
            if r["missing"]:
                return f"{name}\n{T_MISSING}"
            tip = f"{name} · {size_text(r.get('size'))}"
            return with_signatures(tip, self.signatures(r), role)
        if role == Qt.ItemDataRole.ForegroundRole and not r["missing"]:
            return with_signatures("", self.signatures(r), role)
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
        icon = self._provider.icon(QFileInfo(r.get("safe_name") or r["filename"]))
        if icon.isNull():
            icon = self._standard(QStyle.StandardPixmap.SP_FileIcon)
        return icon
