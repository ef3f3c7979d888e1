"""Attachments in the finding editor: thumbnails, type icons, missing files, open, drop."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent, QImage
from PySide6.QtWidgets import QApplication, QStyle

from desktop.services.attachments import list_attachments
from desktop.services.paths import data_dir_for
from desktop.ui.common import dialogs_vi
from desktop.ui.main_window import MainWindow
from desktop.ui.models import ObjectRole
from desktop.ui.recording.attachments_section import T_MISSING, AttachmentsSection
from tests.ui.conftest import inspection_id, open_item

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("does not support propagateSizeHints")]

SO_KHCN = "Sở Khoa học và Công nghệ"
RED = QColor("#c0392b")


def _png(
    folder: Path, name: str = "bien-ban-niem-yet.png", size: tuple[int, int] = (240, 160)
) -> Path:
    image = QImage(size[0], size[1], QImage.Format.Format_RGB32)
    image.fill(RED)
    path = folder / name
    assert image.save(str(path))
    return path


def _stored(window: MainWindow, code: str) -> list[dict[str, Any]]:
    store = window.adapter.store
    insp = inspection_id(store, SO_KHCN)
    item_id = store.findings.item_id_for_code(insp, code)
    assert item_id and window.adapter.path
    return list_attachments(store, data_dir_for(window.adapter.path), insp, item_id)


@pytest.fixture
def section(window: MainWindow) -> AttachmentsSection:
    open_item(window, SO_KHCN, "A3.1.3")
    return window.feature("recording").attachments


def test_image_thumbnail_and_file_icon(
    qtmodeltester: Any,
    window: MainWindow,
    section: AttachmentsSection,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    png = _png(tmp_path)
    doc = tmp_path / "Danh mục TTHC.docx"
    doc.write_bytes(b"PK\x03\x04 not really a document")
    monkeypatch.setattr(AttachmentsSection, "ask_files", staticmethod(lambda _parent: [png, doc]))
    assert section.empty_label.isVisibleTo(section)
    section.add_action.trigger()

    assert [a["filename"] for a in _stored(window, "A3.1.3")] == [png.name, doc.name]
    model = section.model
    assert model.rowCount() == 2 and section.view.isVisibleTo(section)
    qtmodeltester.check(model)
    picture = model.index(0).data(Qt.ItemDataRole.DecorationRole)
    assert not picture.isNull()
    thumb = picture.pixmap(96, 96).toImage()
    # A thumbnail, scaled to fit (240×160 → 96×64), of the photo itself.
    assert max(thumb.width(), thumb.height()) <= 96
    assert thumb.pixelColor(thumb.width() // 2, thumb.height() // 2) == RED
    icon = model.index(1).data(Qt.ItemDataRole.DecorationRole)
    assert not icon.isNull()
    assert icon.pixmap(32, 32).toImage().pixelColor(16, 16) != RED
    assert model.index(1).data() == doc.name


def test_missing_file_shows_warning(
    window: MainWindow, section: AttachmentsSection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    png = _png(tmp_path)
    section.add_files([png])
    stored = _stored(window, "A3.1.3")[0]
    Path(stored["path"]).unlink()  # somebody cleaned the data folder by hand
    opened: list[str] = []
    monkeypatch.setattr(
        AttachmentsSection, "open_external", staticmethod(lambda p: opened.append(p) or True)
    )
    open_item(window, SO_KHCN, "A3.1.4")
    open_item(window, SO_KHCN, "A3.1.3")  # reloaded from the store
    index = section.model.index(0)
    assert index.data(ObjectRole)["missing"]
    assert T_MISSING in index.data()
    assert T_MISSING in index.data(Qt.ItemDataRole.ToolTipRole)
    warning = QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
    shown = index.data(Qt.ItemDataRole.DecorationRole)
    assert shown.pixmap(32, 32).toImage() == warning.pixmap(32, 32).toImage()
    assert section.open_index(index) is False
    assert opened == []
    assert T_MISSING in section.message_label.text()


def test_enter_opens_with_system_viewer(
    qtbot: Any, section: AttachmentsSection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    png = _png(tmp_path)
    section.add_files([png])
    opened: list[str] = []
    monkeypatch.setattr(
        AttachmentsSection, "open_external", staticmethod(lambda p: opened.append(p) or True)
    )
    section.view.setCurrentIndex(section.model.index(0))
    qtbot.keyClick(section.view, Qt.Key.Key_Return)
    assert len(opened) == 1
    # Viewers choose by name: the file opened carries the original name and content.
    assert Path(opened[0]).name == png.name
    assert Path(opened[0]).read_bytes() == png.read_bytes()
    section.open_action.trigger()
    assert len(opened) == 2


def _drag_enter(mime: QMimeData) -> QDragEnterEvent:
    # PySide6 before 6.12 builds it from a QPoint only; 6.12 takes a QPointF (QPoint deprecated).
    args = (
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    try:
        return QDragEnterEvent(QPointF(10, 10), *args)
    except TypeError:
        return QDragEnterEvent(QPoint(10, 10), *args)


def test_drop_files_onto_the_section(
    window: MainWindow, section: AttachmentsSection, tmp_path: Path
) -> None:
    png = _png(tmp_path, "anh-chup-bo-phan-mot-cua.png")
    note = tmp_path / "ghi-chu.txt"
    note.write_text("Bộ phận Một cửa", encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(png)), QUrl.fromLocalFile(str(note))])
    enter = _drag_enter(mime)
    QApplication.sendEvent(section, enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(section, drop)
    assert drop.isAccepted()
    assert sorted(a["filename"] for a in _stored(window, "A3.1.3")) == [
        png.name,
        note.name,
    ]
    assert section.model.rowCount() == 2
    # Text without files is not a drop of attachments.
    plain = QMimeData()
    plain.setText("chỉ là chữ")
    refused = _drag_enter(plain)
    QApplication.sendEvent(section, refused)
    assert not refused.isAccepted()


def test_remove_attachment(
    window: MainWindow, section: AttachmentsSection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    section.add_files([_png(tmp_path)])
    section.view.setCurrentIndex(section.model.index(0))
    assert section.remove_action.isEnabled()
    asked: list[str] = []
    monkeypatch.setattr(
        dialogs_vi, "confirm_delete", lambda _p, _t, text, **_k: asked.append(text) or False
    )
    section.remove_action.trigger()  # "Hủy": the file stays
    assert len(_stored(window, "A3.1.3")) == 1
    assert _stored(window, "A3.1.3")[0]["filename"] in asked[0]
    monkeypatch.setattr(dialogs_vi, "confirm_delete", lambda *_a, **_k: True)
    section.remove_action.trigger()
    assert _stored(window, "A3.1.3") == []
    assert section.model.rowCount() == 0
