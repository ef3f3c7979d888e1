"""The result controls follow the judging type of the item shown."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.services import judging
from desktop.ui.main_window import MainWindow
from tests.ui.conftest import inspection_id, open_item

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("does not support propagateSizeHints")]

SO_KHCN = "Sở Khoa học và Công nghệ"
KAD = "Không áp dụng"


def visible_choices(window: MainWindow) -> list[str | None]:
    """The label of each shortcut slot's button (None: hidden, the slot is unused)."""
    editor = window.editor
    return [
        a.text() if b.isVisibleTo(editor) else None
        for a, b in zip(editor.choice_actions, editor.choice_buttons, strict=True)
    ]


# One meaning per key: Alt+1 passing, Alt+2 partly, Alt+3 failing, Alt+4 Không áp dụng.
@pytest.mark.parametrize(
    ("code", "labels"),
    [
        ("A1.1.2", ["Có", None, "Không", KAD]),  # YES_NO
        ("A1.3.1", ["Tốt", "Đạt", "Chưa đạt", KAD]),  # LEVEL
        ("A1.1.3", ["Đạt", "Đạt một phần", "Không đạt", KAD]),  # PERCENT: override
        ("A1.2.4", ["Đạt", "Đạt một phần", "Không đạt", KAD]),  # COUNT
        ("A1.1.1", ["Đúng hạn", None, "Không đúng hạn", KAD]),  # DATE_ON_TIME
    ],
)
def test_choices_by_type_with_numbered_shortcuts(
    window: MainWindow, code: str, labels: list[str | None]
) -> None:
    open_item(window, SO_KHCN, code)
    editor = window.editor
    assert editor.result_box.isVisibleTo(editor)
    assert not editor.text_only_label.isVisibleTo(editor)
    assert visible_choices(window) == labels
    for n, label in enumerate(labels):
        action, button = editor.choice_actions[n], editor.choice_buttons[n]
        assert action.shortcut().toString() == f"Alt+{n + 1}"
        if label is None:
            assert not action.isVisible() and not action.isEnabled()
            continue
        assert action.isVisible() and action.isEnabled()
        assert action.toolTip() == f"{label} (Alt+{n + 1})"
        assert button.text() == f"{label}  (Alt+{n + 1})"


def test_text_item_has_no_result_box(window: MainWindow) -> None:
    row = open_item(window, SO_KHCN, "A8.1.1")
    editor = window.editor
    assert row["type"] == "TEXT"
    assert not editor.result_box.isVisibleTo(editor)
    assert editor.text_only_label.isVisibleTo(editor)
    assert not any(a.isVisible() for a in editor.choice_actions)
    # Nothing writes a result to it, even through the adapter.
    failures: list[str] = []
    window.adapter.failed.disconnect(window._failed)  # no message box in the test
    window.adapter.failed.connect(failures.append)
    assert window.adapter.record(editor.inspection_id, row, {"result": "khong-dat"}) is None
    assert failures and "chỉ ghi nhận xét" in failures[0]
    insp = inspection_id(window.adapter.store, SO_KHCN)
    stored = window.adapter.store.findings.finding(insp, row["item_id"])
    assert stored is None or stored["result"] is None


def test_judging_refuses_result_on_text() -> None:
    with pytest.raises(ValueError, match="chỉ ghi nhận xét"):
        judging.check_result("TEXT", "dat")
    judging.check_result("TEXT", None)
    judging.check_result("YES_NO", "khong-ap-dung")
    with pytest.raises(ValueError):
        judging.check_result("YES_NO", "gioi")


def test_shortcuts_follow_the_visible_choices(qtbot: Any, window: MainWindow) -> None:
    store = window.adapter.store
    insp = inspection_id(store, SO_KHCN)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)

    def press(digit: int) -> None:
        with qtbot.waitSignal(window.adapter.findingChanged, timeout=2000):
            key = getattr(Qt.Key, f"Key_{digit}")
            qtbot.keyClick(window.table, key, Qt.KeyboardModifier.AltModifier)

    row = open_item(window, SO_KHCN, "A1.3.1")  # LEVEL: Alt+2 = Đạt (half points)
    window.table.setFocus()
    press(2)
    f = store.findings.finding(insp, row["item_id"])
    assert (f["result"], f["value"], f["score"]) == ("dat", "dat", 0.5)
    assert window.editor.choice_buttons[1].isChecked()
    press(4)  # Không áp dụng
    f = store.findings.finding(insp, row["item_id"])
    assert (f["result"], f["value"], f["score"]) == ("khong-ap-dung", None, None)

    row = open_item(window, SO_KHCN, "A1.1.1")  # DATE_ON_TIME: Alt+1 = Đúng hạn
    window.table.setFocus()
    press(1)
    f = store.findings.finding(insp, row["item_id"])
    assert (f["result"], f["score"]) == ("dat", 1.0)
    assert window.editor.choice_buttons[0].isChecked()

    row = open_item(window, SO_KHCN, "A1.2.4")  # COUNT: count and a result
    window.editor.count_spin.setValue(7)
    window.table.setFocus()
    press(3)
    f = store.findings.finding(insp, row["item_id"])
    assert (f["value"], f["result"], f["score"]) == ("7", "khong-dat", 0.0)


def test_percent_computes_then_override(window: MainWindow) -> None:
    store = window.adapter.store
    insp = inspection_id(store, SO_KHCN)
    row = open_item(window, SO_KHCN, "A1.1.3")
    editor = window.editor
    editor.den_spin.setValue(10)
    editor.num_spin.setValue(10)
    assert editor.choice_action("dat").isChecked()
    assert editor.choice_caption.isVisibleTo(editor)
    editor.choice_action("mot-phan").trigger()
    f = store.findings.finding(insp, row["item_id"])
    assert (f["numerator"], f["denominator"], f["result"]) == (10, 10, "mot-phan")
    assert editor.choice_action("mot-phan").isChecked()
