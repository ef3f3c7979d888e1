"""Every file dialog of the app speaks Vietnamese (PySide6 ships no qtbase_vi translation)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QLibraryInfo, Qt
from PySide6.QtWidgets import QAbstractButton, QFileDialog, QHeaderView, QLabel, QWidget

from desktop.ui.common import file_dialogs

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("does not support propagateSizeHints", "does not support raise"),
]

UI = Path(__file__).resolve().parents[2] / "desktop" / "ui"
ENGLISH = re.compile(
    r"\b(Look in|File name|Files of type|Cancel|Open|Save|Choose|Back|Forward|Parent Directory|"
    r"Create New Folder|List View|Detail View|Name|Size|Type|Date Modified|All Files|Computer)\b"
)


def test_pyside_ships_no_vietnamese_qt_translation() -> None:
    # Why the app carries its own: if a later PySide6 ships qtbase_vi.qm, load that instead.
    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    assert not list(folder.glob("qtbase_vi*.qm"))


def test_every_file_dialog_goes_through_the_helper() -> None:
    users = [
        p.relative_to(UI).as_posix()
        for p in UI.rglob("*.py")
        if "QFileDialog" in p.read_text(encoding="utf-8")
    ]
    assert users == ["common/file_dialogs.py"]


def shown_texts(dialog: QFileDialog) -> list[str]:
    texts = [dialog.windowTitle()]
    for widget in dialog.findChildren(QWidget):
        if not widget.isVisibleTo(dialog):
            continue
        if isinstance(widget, (QLabel, QAbstractButton)):
            texts.append(widget.text())
        texts.append(widget.toolTip())
    for header in dialog.findChildren(QHeaderView):
        model = header.model()
        if model is not None and header.isVisibleTo(dialog):
            texts += [
                str(model.headerData(n, Qt.Orientation.Horizontal) or "")
                for n in range(model.columnCount())
            ]
    return [t.replace("&", "") for t in texts if t]


@pytest.mark.parametrize("mode", ["open", "open_many", "save"])
def test_the_dialog_speaks_vietnamese(qtbot: Any, tmp_path: Path, mode: str) -> None:
    dialog = file_dialogs.make_dialog(None, "Chọn tệp", str(tmp_path), "Tệp PDF (*.pdf)", mode=mode)
    qtbot.addWidget(dialog)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.show()
    qtbot.waitExposed(dialog)
    Label = QFileDialog.DialogLabel
    assert dialog.labelText(Label.LookIn) == "Tìm trong:"
    assert dialog.labelText(Label.FileName) == "Tên tệp:"
    assert dialog.labelText(Label.FileType) == "Kiểu tệp:"
    assert dialog.labelText(Label.Accept) == ("Lưu" if mode == "save" else "Mở")
    assert dialog.labelText(Label.Reject) == "Hủy"
    texts = shown_texts(dialog)
    english = [t for t in texts if ENGLISH.search(t)]
    assert english == []
    assert "Tên" in texts and "Kích thước" in texts  # the file list's columns


def test_overwrite_question_is_vietnamese() -> None:
    from PySide6.QtCore import QCoreApplication

    file_dialogs.install_vietnamese_qt()
    asked = QCoreApplication.translate(
        "QFileDialog", "%1 already exists.\nDo you want to replace it?"
    )
    assert asked == "%1 đã có.\nGhi đè lên tệp này?"
