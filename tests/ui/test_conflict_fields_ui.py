"""The conflicts window settles a finding field by field, with the keyboard alone."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from db import Store
from desktop.ui.store_adapter import StoreAdapter
from desktop.ui.sync.conflicts_view import ConflictsDialog
from tests.sync.test_conflict_choices import three_field_conflict

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("does not support propagateSizeHints", "does not support raise"),
]


def press(key: Qt.Key) -> None:
    widget = QApplication.focusWidget()
    assert widget is not None
    QTest.keyClick(widget, key)


def test_each_differing_field_has_its_own_choice_made_by_keys(qtbot: Any, store: Store) -> None:
    conflict = three_field_conflict(store)
    adapter = StoreAdapter(store)
    dialog = ConflictsDialog(adapter)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    view = dialog.view
    # One row per field the secretary chooses (who/when follow), both values side by side.
    assert [row.label for row in view.choice_rows] == ["Nhận xét", "Kết quả", "Điểm"]
    note = view.choice_rows[0]
    assert note.mine.text() == "Máy này" and note.mine_value.text() == "Máy này"
    assert note.theirs_value.text() == "Máy kia"
    winner = "theirs" if conflict["winner"] == "remote" else "mine"
    assert [row.choice() for row in view.choice_rows] == [winner] * 3  # what is shown now

    # Keys only: into the first field's choice, arrows pick a side, Tab goes to the next field.
    view.choice_rows[0].checked_button().setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view.choice_rows[0].checked_button())
    press(Qt.Key.Key_Left if winner == "theirs" else Qt.Key.Key_Right)
    assert view.choice_rows[0].choice() != winner
    press(Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is view.choice_rows[1].checked_button()
    view.choice_rows[1].choose("mine")
    view.choice_rows[2].choose("theirs")
    view.choice_rows[0].choose("theirs")
    press(Qt.Key.Key_Tab)
    press(Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is view.apply_button
    assert view.apply_button.text().replace("&", "") == "Lưu lựa chọn từng trường"
    with qtbot.waitSignal(adapter.findingChanged, timeout=2000):
        press(Qt.Key.Key_Space)
    row = store.core.get_row("findings", conflict["row_id"])
    assert (row["note"], row["result"], row["score"]) == ("Máy kia", "khong-dat", 0.5)
    assert view.conflicts() == [] and view.choice_rows == []


def test_times_show_seconds(qtbot: Any, store: Store) -> None:
    three_field_conflict(store)
    dialog = ConflictsDialog(StoreAdapter(store))
    qtbot.addWidget(dialog)
    assert dialog.view.mine_label.text().count(":") == 3  # "…: An, lúc 04/12/2026 22:10:05"
