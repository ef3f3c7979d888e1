"""Trợ giúp (issue 13): F1 opens a short guide with the keyboard map; Giới thiệu shows the
version and the licences."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

import desktop
from desktop.ui.main_window import MainWindow
from desktop.ui.shell import MenuId

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("does not support propagateSizeHints", "does not support raise"),
]


def test_f1_opens_the_guide_with_the_keyboard_map(qtbot: Any, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    help_feature = window.feature("help")
    menu = window.menu(MenuId.HELP)
    assert menu.title() == "Trợ giú&p"
    assert help_feature.guide_action in menu.actions()
    assert help_feature.about_action in menu.actions()
    window.table.setFocus()
    QTest.keyClick(window.table, Qt.Key.Key_F1)
    dialog = help_feature.guide_dialog
    assert dialog is not None and dialog.isVisible()
    text = dialog.text()
    # The keyboard map says what the window's own actions say.
    for key in ("Alt+1", "Alt+2", "Alt+3", "Alt+4", "Ctrl+E", "Ctrl+K", "F3", "F4"):
        assert key in text, key
    for action in (window.pane.next_action, window.pane.search_action, window.open_action):
        assert action.shortcut().toString() in text
    assert "Tab" in text and "Nhận xét" in text
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_about_shows_version_and_licences(window: MainWindow) -> None:
    help_feature = window.feature("help")
    text = help_feature.about_text()
    assert str(desktop.__version__) in text
    for name in ("Qt", "PySide6", "LGPL", "ReportLab", "openpyxl", "SQLite", "Liberation"):
        assert name in text, name
