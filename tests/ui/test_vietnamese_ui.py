"""Vietnamese everywhere: number formats and the buttons of every dialog."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QLocale, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from desktop.ui.common import dialogs_vi
from desktop.ui.main_window import MainWindow
from tests.ui.conftest import open_item

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("does not support propagateSizeHints")]

UI = Path(__file__).resolve().parents[2] / "desktop" / "ui"


def test_spin_boxes_use_the_vietnamese_decimal_comma(window: MainWindow) -> None:
    assert QLocale().language() == QLocale.Language.Vietnamese
    open_item(window, "Sở Khoa học và Công nghệ", "A1.1.3")
    spin = window.editor.score_spin
    assert spin.textFromValue(0.5) == "0,50"
    spin.setValue(1.25)
    assert spin.text() == "1,25"


def test_create_window_sets_the_locale(qtbot: Any, db_path: Path) -> None:
    from desktop.ui.app import create_window

    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    window = create_window(db_path)
    qtbot.addWidget(window)
    try:
        assert QLocale().language() == QLocale.Language.Vietnamese
    finally:
        window.adapter.close()


def _answer(qtbot: Any, text: str) -> list[list[str]]:
    """Click the button called `text` of the next message box; the texts it offered."""
    seen: list[list[str]] = []

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, click)
            return
        seen.append([b.text() for b in box.buttons()])
        next(b for b in box.buttons() if b.text() == text).click()

    QTimer.singleShot(0, click)
    return seen


def test_yes_no_has_vietnamese_buttons(qtbot: Any) -> None:
    seen = _answer(qtbot, "Không")
    assert dialogs_vi.ask_yes_no(None, "Hỏi", "Đánh dấu đã kết luận?") is False
    assert sorted(seen[0]) == ["Có", "Không"]
    seen = _answer(qtbot, "Có")
    assert dialogs_vi.ask_yes_no(None, "Hỏi", "Đánh dấu đã kết luận?") is True


def test_warning_and_open_offer(qtbot: Any) -> None:
    seen = _answer(qtbot, "Đóng")
    dialogs_vi.warn(None, "Không ghi được", "Lý do")
    assert seen == [["Đóng"]]
    seen = _answer(qtbot, "Mở")
    assert dialogs_vi.ask_warning(None, "Khóa", "Mở chỉ đọc?", accept=dialogs_vi.T_OPEN)
    assert sorted(seen[0]) == ["Hủy", "Mở"]


def test_button_boxes_are_localised() -> None:
    box = dialogs_vi.buttons(
        QDialogButtonBox.StandardButton.Ok
        | QDialogButtonBox.StandardButton.Cancel
        | QDialogButtonBox.StandardButton.Save
        | QDialogButtonBox.StandardButton.Close
    )
    assert sorted(b.text() for b in box.buttons()) == ["Hủy", "Lưu", "Đóng", "Đồng ý"]


def test_no_english_standard_buttons_left_in_the_ui() -> None:
    """Every StandardButton box goes through dialogs_vi; no static QMessageBox helpers."""
    for path in sorted(UI.glob("*.py")):
        if path.name == "dialogs_vi.py":
            continue
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"QMessageBox\.(question|warning|information|critical)\(", text), (
            path.name
        )
        assert "QInputDialog.get" not in text, path.name
        assert "QMessageBox.StandardButton" not in text, path.name
        for m in re.finditer(r"QDialogButtonBox\(\s*QDialogButtonBox\.StandardButton", text):
            start = text.rfind("\n", 0, m.start())
            assert "dialogs_vi.buttons(" in text[start : m.end()], path.name
