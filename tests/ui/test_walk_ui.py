"""Defects found walking the whole job by keyboard under Xvfb at 1024×600 and 1366×768
(plan, visit, recording, conclusion, exports, follow-up): each test drives the keys a user
pressed there and fails on what the screen showed."""

from __future__ import annotations

import datetime as dt
import string
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu, QWidget

from desktop.ui.main_window import MainWindow
from desktop.ui.shell import MenuId
from tests.ui.conftest import inspection_id

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore(
        "does not support propagateSizeHints",
        "does not support raise",
        "does not support grabbing",
    ),
]

Key = Qt.Key
TYPEABLE = set(string.ascii_lowercase + string.digits)


def activate(qtbot: Any, w: QWidget) -> None:
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)


def mnemonic(text: str) -> str | None:
    """The letter after a single '&' (the reading the menus' letters are given by)."""
    from desktop.ui.common.mnemonics import mnemonic_of

    return mnemonic_of(text)


def entries(menu: QMenu) -> list[Any]:
    menu.aboutToShow.emit()
    return [a for a in menu.actions() if not a.isSeparator() and a.isVisible() and a.text()]


# -- Menus: every entry reachable by its letter -------------------------------------------


def test_every_menu_entry_has_a_typeable_distinct_mnemonic(window: MainWindow) -> None:
    # Under Xvfb no entry of any menu was underlined: Alt+T opened Tệp, then only arrows
    # reached "Thêm cuộc kiểm tra…" (Up, Up), letters did nothing.
    window.install_extras()
    for top in window.menuBar().actions():
        menu = top.menu()
        assert isinstance(menu, QMenu)
        letters = []
        for action in entries(menu):
            letter = mnemonic(action.text())
            assert letter is not None, (top.text(), action.text())
            assert letter in TYPEABLE, (top.text(), action.text())  # a key on any keyboard
            letters.append(letter)
        assert len(letters) == len(set(letters)), [a.text() for a in entries(menu)]


def test_a_letter_in_the_file_menu_triggers_the_plan_entries(
    qtbot: Any, window: MainWindow
) -> None:
    window.install_extras()
    window.show()
    activate(qtbot, window)
    plans = window.feature("plans")
    menu = window.menu(MenuId.FILE)
    seen: list[str] = []
    for action in (
        plans.template_action,
        plans.import_action,
        plans.update_action,
        plans.add_action,
    ):
        assert action.isEnabled(), action.text()
        action.triggered.disconnect()  # the dialog itself is tested in test_plans_ui
        name = action.text()
        action.triggered.connect(lambda *_, name=name: seen.append(name))
        letter = mnemonic(name)
        assert letter is not None, name
        menu.popup(QPoint(0, 0))
        qtbot.waitUntil(menu.isVisible)
        QTest.keyClick(menu, getattr(Key, f"Key_{letter.upper()}"))
        qtbot.waitUntil(lambda name=name: seen[-1:] == [name])
        menu.hide()


def test_the_file_menu_letters_as_the_walk_used_them(window: MainWindow) -> None:
    window.install_extras()
    texts = [a.text() for a in entries(window.menu(MenuId.FILE))]
    assert texts[:2] == ["&Mở cơ sở dữ liệu…", "&Sao lưu và khôi phục…"]
    assert texts[2:] == [
        "&Tạo mẫu kế hoạch…",
        "&Nạp kế hoạch từ Excel…",
        "&Cập nhật kế hoạch…",
        "Thêm cuộc &kiểm tra…",
        "T&hoát",
    ]
    # The plan banner's buttons and the tooltips keep the plain words.
    plans = window.feature("plans")
    assert plans.add_action.toolTip().count("&") == 0
    assert window.quit_action.toolTip() == "Thoát (Ctrl+Q)"


# -- Export options: the example number fits the document ---------------------------------


@pytest.mark.parametrize(
    ("kind", "code"),
    [("bien-ban", "/BB-"), ("ket-luan", "/TB-"), ("bao-cao", "/BC-"), ("tong-hop", "/BC-")],
)
def test_export_number_hint_matches_the_document(qtbot: Any, kind: str, code: str) -> None:
    # The notice's dialog said "ví dụ 12/BB-ĐKT" (a minutes' number) under Xvfb.
    from desktop.ui.exports.dialog import ReportOptionsDialog

    dialog = ReportOptionsDialog(None, "Văn bản", "", dt.date(2025, 7, 1), "", kind)
    qtbot.addWidget(dialog)
    assert code in dialog.number_edit.placeholderText()


def test_export_controller_passes_the_kind_to_the_options_dialog(
    qtbot: Any, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.ui.exports.dialog import ReportOptionsDialog

    hints: list[str] = []

    def fake_exec(dialog: ReportOptionsDialog) -> int:
        hints.append(dialog.number_edit.placeholderText())
        return 0  # Hủy

    monkeypatch.setattr(ReportOptionsDialog, "exec", fake_exec)
    window.install_extras()
    window.select_inspection(inspection_id(window.adapter.store, "Sở Y tế"))
    controller = window.feature("exports").controller
    assert controller.export_inspection("ket-luan", "pdf") is None
    assert controller.export_inspection("bien-ban", "pdf") is None
    assert "/TB-" in hints[0] and "/BB-" in hints[1], hints


# -- Follow-up register: Tab into the table picks a row the toolbar keys act on -----------


def test_tab_into_the_followup_table_selects_the_row_it_frames(
    qtbot: Any, window: MainWindow
) -> None:
    # Tab from the filter framed the first cell but selected nothing: Ctrl+B (Ghi nhận báo
    # cáo khắc phục) did nothing and its button stayed grey until Space.
    window.install_extras()
    insp = inspection_id(window.adapter.store, "Sở Y tế")
    for text in ("Niêm yết thủ tục", "Cập nhật cổng dịch vụ công"):
        window.adapter.add_recommendation(insp, text, deadline=dt.date(2021, 12, 31))
    followup = window.feature("followup")
    register = followup.show_register()
    qtbot.waitUntil(lambda: register.isVisible())
    activate(qtbot, register)
    qtbot.waitUntil(lambda: register.table.model().rowCount() > 0)
    register.text_edit.setFocus()
    QTest.keyClick(register.text_edit, Key.Key_Tab)
    assert QApplication.focusWidget() is register.table
    assert register.table.selectionModel().selectedRows(), "nothing selected"
    assert register.report_action.isEnabled()


# -- Multi-line boxes: Ctrl+Enter saves the dialog (Enter starts a new line there) ---------


def test_ctrl_enter_in_the_recommendation_text_saves(qtbot: Any) -> None:
    # The walk: after typing the recommendation, Ctrl+Enter did nothing; Tab, Enter (or
    # four Tabs in the remediation report) reached "Lưu".
    from desktop.ui.recording.recommendation_dialog import RecommendationDialog

    dialog = RecommendationDialog([("A1.1.2", "Kế hoạch")], None, dt.date(2027, 1, 4))
    qtbot.addWidget(dialog)
    dialog.show()
    activate(qtbot, dialog)
    dialog.text_edit.setFocus()
    QTest.keyClicks(dialog.text_edit, "Xac dinh kinh phi")
    QTest.keyClick(dialog.text_edit, Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.values()["text"] == "Xac dinh kinh phi"


def test_ctrl_enter_with_empty_text_still_refuses_and_says_why(qtbot: Any) -> None:
    from desktop.ui.recording.recommendation_dialog import RecommendationDialog

    dialog = RecommendationDialog([], None, dt.date(2027, 1, 4))
    qtbot.addWidget(dialog)
    dialog.show()
    activate(qtbot, dialog)
    dialog.text_edit.setFocus()
    QTest.keyClick(dialog.text_edit, Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.isVisible() and dialog.message_label.text()


def test_ctrl_enter_in_the_remediation_note_saves(qtbot: Any) -> None:
    from desktop.ui.followup.dialogs import ReportDialog

    recs = [{"unit": "Sở Y tế", "number": 1, "text": "Niêm yết"}]
    dialog = ReportDialog(recs, dt.date(2021, 9, 15))
    qtbot.addWidget(dialog)
    dialog.show()
    activate(qtbot, dialog)
    dialog.note_edit.setFocus()
    QTest.keyClicks(dialog.note_edit, "Da niem yet")
    QTest.keyClick(dialog.note_edit, Key.Key_Enter, Qt.KeyboardModifier.ControlModifier)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.values()[2] == "Da niem yet"


# -- Message boxes: the title bar shows the whole title -----------------------------------


@pytest.mark.parametrize(
    ("title", "text"),
    [("Xóa", "Xóa kiến nghị số 2?"), ("Đã xuất báo cáo", "Đã ghi Biên bản vào tệp:\n/tmp/a.pdf")],
)
def test_a_message_box_is_wide_enough_for_its_title(qtbot: Any, title: str, text: str) -> None:
    # Openbox showed "Xóa —... a CCHC" and "Đã xuất báo c...kiểm tra CCHC": the boxes were
    # narrower than their title with the program's name and the title-bar buttons.
    from PySide6.QtWidgets import QMessageBox

    from desktop.ui.common import dialogs_vi

    box = dialogs_vi.message_box(None, QMessageBox.Icon.Warning, title, text)
    box.addButton("Xóa", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Hủy", QMessageBox.ButtonRole.RejectRole)
    qtbot.addWidget(box)
    box.show()
    qtbot.waitExposed(box)
    shown = f"{title} — {QApplication.applicationDisplayName() or 'Kiểm tra CCHC'}"
    bold = box.font()
    bold.setBold(True)
    from PySide6.QtGui import QFontMetrics

    needed = QFontMetrics(bold).horizontalAdvance(shown) + dialogs_vi.TITLE_BAR_EXTRA
    assert box.width() >= needed, (box.width(), needed)


# -- Search: a typed code finds that code, not its digits anywhere -------------------------


def shown_codes(window: MainWindow) -> list[str]:
    proxy = window.proxy
    return [str(proxy.index(r, 0).data()) for r in range(proxy.rowCount())]


def test_a_code_typed_in_search_shows_that_code_only(qtbot: Any, window: MainWindow) -> None:
    # Ctrl+F, "A3.4.1" (an item of the commune list) at a Sở listed A3.1.4 alone: the
    # inspector took it for the item typed.
    from tests.ui.conftest import open_item

    open_item(window, "Sở Khoa học và Công nghệ", "A1.1.1")
    codes = shown_codes(window)
    assert "A1.3.4" in codes and "A1.4.3" not in codes
    window.pane.search_edit.setFocus()
    QTest.keyClicks(window.pane.search_edit, "A1.4.3")
    qtbot.waitUntil(lambda: "A1.3.4" not in shown_codes(window))
    assert shown_codes(window) == []
    window.pane.search_edit.clear()
    QTest.keyClicks(window.pane.search_edit, "a1.3")
    qtbot.waitUntil(lambda: "A1.1.1" not in shown_codes(window))
    shown = shown_codes(window)
    assert shown and all(c.startswith("A1.3.") for c in shown), shown


# -- Counts of a Tỷ lệ % item: one key to the numbers ------------------------------------


def test_alt5_goes_to_the_measure_of_the_item(qtbot: Any, window: MainWindow) -> None:
    # The walk: from the checklist, Tử số of a Tỷ lệ % item was five Tabs away (past the
    # four result buttons); nine chords for the counts and the note.
    from tests.ui.conftest import open_item

    window.show()
    activate(qtbot, window)
    editor = window.editor
    cases = [("A1.1.3", editor.num_spin), ("A1.2.4", editor.count_spin)]
    cases.append(("A1.1.1", editor.date_edit))
    for code, field in cases:
        open_item(window, "Sở Khoa học và Công nghệ", code)
        window.table.setFocus()
        QTest.keyClick(window.table, Key.Key_5, Qt.KeyboardModifier.AltModifier)
        assert QApplication.focusWidget() is field, code
    # A ratio by keyboard: Alt+5, 8, Tab, 10 → 80 %.
    row = open_item(window, "Sở Khoa học và Công nghệ", "A1.1.3")
    window.table.setFocus()
    QTest.keyClick(window.table, Key.Key_5, Qt.KeyboardModifier.AltModifier)
    QTest.keyClicks(QApplication.focusWidget(), "8")
    QTest.keyClick(QApplication.focusWidget(), Key.Key_Tab)
    assert QApplication.focusWidget() is editor.den_spin
    QTest.keyClicks(editor.den_spin, "10")
    QTest.keyClick(editor.den_spin, Key.Key_Tab)
    store = window.adapter.store
    insp = inspection_id(store, "Sở Khoa học và Công nghệ")
    window.editor.flush()
    qtbot.waitUntil(
        lambda: (store.findings.finding(insp, row["item_id"]) or {}).get("denominator") == 10
    )
    stored = store.findings.finding(insp, row["item_id"])
    assert (stored["numerator"], stored["denominator"]) == (8, 10)
    # An item without a measure (Có/Không): Alt+5 leaves the focus where it is.
    open_item(window, "Sở Khoa học và Công nghệ", "A1.1.2")
    window.table.setFocus()
    QTest.keyClick(window.table, Key.Key_5, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is window.table


# -- Focus always seen: the editor's scroll area takes the focus (PageDown reads on) -------


def test_the_focused_editor_pane_shows_the_focus_frame(qtbot: Any, window: MainWindow) -> None:
    # Shift+Tab from the plan box put the focus on the editor's scroll area: nothing on
    # screen said where the keys went.
    from PySide6.QtGui import QColor
    from PySide6.QtWidgets import QScrollArea

    from desktop.ui.common import keyboard

    window.show()
    activate(qtbot, window)
    keyboard.install_focus_frame()
    window.plan_combo.setFocus()
    QTest.keyClick(window.plan_combo, Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    area = QApplication.focusWidget()
    assert isinstance(area, QScrollArea), area
    image = area.grab().toImage()
    left = QColor(image.pixel(0, image.height() // 2))
    assert left == QColor(keyboard.FOCUS_COLOUR), left.name()
