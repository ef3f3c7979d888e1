"""Keyboard-first recording (issue 13): Tab leaves every table, one meaning per result key,
the focused field is scrolled into view and framed, standard keys keep their jobs, dates take
what is typed, and Enter never deletes a recommendation. Every test drives real keys."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import QDate, QObject, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QToolButton, QWidget

from desktop.services import conclusions
from desktop.ui.main_window import MainWindow
from tests.ui.conftest import inspection_id, open_item

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore(
        "does not support propagateSizeHints",
        "does not support raise",
        "does not support grabbing",
    ),
]

SO_KHCN = "Sở Khoa học và Công nghệ"  # nothing recorded yet
HALF_DONE = "Sở Văn hóa, Thể thao và Du lịch"
Key = Qt.Key
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def activate(qtbot: Any, w: QWidget) -> None:
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)


def focused() -> QWidget | None:
    return QApplication.focusWidget()


def tab(backwards: bool = False) -> QWidget | None:
    """Press Tab (Shift+Tab) on the focused widget; the widget focused afterwards."""
    widget = focused()
    assert widget is not None
    QTest.keyClick(
        widget,
        Key.Key_Backtab if backwards else Key.Key_Tab,
        SHIFT if backwards else Qt.KeyboardModifier.NoModifier,
    )
    return focused()


# -- 1. Tab leaves the tables ------------------------------------------------------------


def test_tab_walks_from_the_checklist_through_the_editor_and_back(
    qtbot: Any, window: MainWindow
) -> None:
    activate(qtbot, window)
    editor = window.editor
    recording = window.feature("recording")
    row = open_item(window, SO_KHCN, "A1.1.3")  # PERCENT: choices, counts, score
    window.table.setFocus()
    buttons = [b for b in editor.choice_buttons if b.isVisibleTo(editor)]
    expected = [
        *buttons,
        editor.num_spin,
        editor.den_spin,
        editor.score_spin,
        editor.note_edit,
        recording.evidence.number_edit,
    ]
    seen = [tab() for _ in expected]
    # A spin box's focus lands on its line edit proxy: compare the owners.
    assert [w if w in expected else w.parent() for w in seen] == expected
    assert editor.current_row["item_id"] == row["item_id"]
    for widget in reversed([window.table, *expected[:-1]]):
        got = tab(backwards=True)
        assert got is widget or got.parent() is widget
    assert focused() is window.table
    assert editor.current_row["item_id"] == row["item_id"]
    # Ten presses never change the item (they used to, every 5 presses).
    window.table.setFocus()
    for _ in range(10):
        QTest.keyClick(focused(), Key.Key_Tab)
    assert editor.current_row["item_id"] == row["item_id"]


def test_tab_goes_from_the_areas_through_the_visit_fields_to_the_search(
    qtbot: Any, window: MainWindow
) -> None:
    # Under Xvfb, Tab from the area list went straight to the search box: a visit date typed
    # there filtered the checklist to nothing (0/76) instead of being recorded.
    activate(qtbot, window)
    open_item(window, SO_KHCN, "A1.1.2")
    bar = window.pane.visit_bar
    window.area_view.setFocus()
    expected = [bar.visit_date_edit, bar.place_edit, bar.step_button, window.pane.search_edit]
    seen = [tab() for _ in expected]
    assert [w if w in expected else w.parent() for w in seen] == expected


def test_window_shortcuts_pass_text_fields_that_claim_their_keys(qtbot: Any) -> None:
    # Under Xvfb, Ctrl+E ("thêm tài liệu kiểm chứng") did nothing from the note or the
    # recommendation fields: on X11 a text field claims Ctrl+E (end of line) before the
    # window's shortcut sees it. The offscreen platform has no such binding: this field
    # claims it as X11's do.
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
    from PySide6.QtWidgets import QLineEdit, QVBoxLayout

    from desktop.ui.common import keyboard

    class X11LineEdit(QLineEdit):
        def event(self, e: QEvent) -> bool:
            if e.type() == QEvent.Type.ShortcutOverride and isinstance(e, QKeyEvent):
                if e.keyCombination().toCombined() == (CTRL | Key.Key_E).toCombined():
                    e.accept()
                    return True
            return super().event(e)

    fired: list[bool] = []
    for keep in (False, True):
        root = QWidget()
        qtbot.addWidget(root)
        field = X11LineEdit()
        QVBoxLayout(root).addWidget(field)
        action = QAction(root)
        action.setShortcut(QKeySequence("Ctrl+E"))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        root.addAction(action)
        if keep:
            keyboard.keep_shortcuts(root, action)
        root.show()
        activate(qtbot, root)
        field.setFocus()
        qtbot.waitUntil(lambda field=field: focused() is field)
        with qtbot.waitSignal(action.triggered, timeout=300, raising=False) as blocker:
            QTest.keyClick(field, Key.Key_E, CTRL)
        fired.append(blocker.signal_triggered)
    assert fired == [False, True]


def test_ctrl_e_adds_evidence_from_the_text_fields_too(qtbot: Any, window: MainWindow) -> None:
    activate(qtbot, window)
    open_item(window, SO_KHCN, "A1.1.2")
    recording = window.feature("recording")
    evidence = recording.evidence
    keeper = window.findChild(QObject, "keep_shortcuts")
    assert keeper is not None and keeper.keys() == {(CTRL | Key.Key_E).toCombined()}
    for field in (window.editor.note_edit, recording.recommendation.responsible_edit):
        field.setFocus()
        qtbot.waitUntil(lambda field=field: focused() is field)
        QTest.keyClick(field, Key.Key_E, CTRL)
        assert evidence.isAncestorOf(focused()), type(field).__name__


def test_enter_and_f2_on_a_row_go_to_its_note(qtbot: Any, window: MainWindow) -> None:
    activate(qtbot, window)
    row = open_item(window, SO_KHCN, "A1.1.2")
    for key in (Key.Key_Return, Key.Key_F2):
        window.table.setFocus()
        QTest.keyClick(window.table, key)
        assert focused() is window.editor.note_edit
        assert window.editor.current_row["item_id"] == row["item_id"]


def test_tab_leaves_the_evidence_table(qtbot: Any, window: MainWindow) -> None:
    activate(qtbot, window)
    open_item(window, SO_KHCN, "A1.1.2")
    evidence = window.feature("recording").evidence
    evidence.number_edit.setText("12/QĐ-UBND")
    evidence.summary_edit.setText("Quyết định ban hành kế hoạch")
    evidence.add_from_form()
    evidence.number_edit.setText("13/QĐ-UBND")
    evidence.summary_edit.setText("Quyết định thứ hai")
    evidence.add_from_form()
    assert evidence.model.rowCount() == 2
    evidence.table.setFocus()
    evidence.table.setCurrentIndex(evidence.model.index(0, 0))
    after = tab()
    assert after is not evidence.table and not evidence.table.isAncestorOf(after)
    assert evidence.table.currentIndex().row() == 0
    assert tab(backwards=True) is evidence.table


def test_tab_leaves_the_recommendation_table_and_the_register(
    qtbot: Any, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.ui.followup.window import FollowupWindow
    from desktop.ui.recording.conclusion_editor import ConclusionDialog

    store = window.adapter.store
    insp = inspection_id(store, HALF_DONE)
    for text in ("Kiến nghị một", "Kiến nghị hai"):
        conclusions.add_recommendation(store, insp, text, deadline=dt.date(2021, 9, 1))
    dialog = ConclusionDialog(window.adapter, insp, window)
    qtbot.addWidget(dialog)
    dialog.show()
    activate(qtbot, dialog)
    dialog.tabs.setCurrentIndex(dialog.tabs.count() - 1)
    dialog.rec_table.setFocus()
    dialog.rec_table.setCurrentIndex(dialog.rec_model.index(0, 0))
    assert tab() is dialog.add_rec_button
    assert dialog.rec_table.currentIndex().row() == 0
    assert tab(backwards=True) is dialog.rec_table
    dialog.close()

    register = FollowupWindow(window.adapter, today=dt.date(2021, 9, 15))
    qtbot.addWidget(register)
    register.show()
    activate(qtbot, register)
    register.table.setFocus()
    register.table.setCurrentIndex(register.model.index(0, 0))
    after = tab()
    assert after is not register.table
    assert register.table.currentIndex().row() == 0
    assert tab(backwards=True) is register.table


# -- 2. One meaning per result key -------------------------------------------------------

# (code, type, what Alt+1 / Alt+2 / Alt+3 / Alt+4 record: the stored result, None = nothing)
PER_TYPE = [
    ("A1.1.2", "YES_NO", ["dat", None, "khong-dat", "khong-ap-dung"]),
    ("A1.3.1", "LEVEL", ["dat", "dat", "khong-dat", "khong-ap-dung"]),
    ("A1.1.3", "PERCENT", ["dat", "mot-phan", "khong-dat", "khong-ap-dung"]),
    ("A1.2.4", "COUNT", ["dat", "mot-phan", "khong-dat", "khong-ap-dung"]),
    ("A1.1.1", "DATE_ON_TIME", ["dat", None, "khong-dat", "khong-ap-dung"]),
]


@pytest.mark.parametrize(("code", "jtype", "results"), PER_TYPE)
def test_each_result_key_means_the_same_everywhere(
    qtbot: Any, window: MainWindow, code: str, jtype: str, results: list[str | None]
) -> None:
    activate(qtbot, window)
    store = window.adapter.store
    insp = inspection_id(store, SO_KHCN)
    row = open_item(window, SO_KHCN, code)
    assert row["type"] == jtype
    # The keys are written beside the buttons.
    legend = window.editor.choice_legend.text()
    for words in ("Alt+1", "Alt+2", "Alt+3", "Alt+4", "Không áp dụng"):
        assert words in legend
    for n, expected in enumerate(results, start=1):
        window.table.setFocus()
        before = store.findings.finding(insp, row["item_id"])
        QTest.keyClick(window.table, getattr(Key, f"Key_{n}"), ALT)
        after = store.findings.finding(insp, row["item_id"])
        if expected is None:  # no "partly" for this type: the key records nothing
            assert (after or {}).get("result") == (before or {}).get("result")
            assert not window.editor.choice_buttons[n - 1].isVisibleTo(window.editor)
        else:
            assert after is not None and after["result"] == expected, (code, n)
            assert window.editor.choice_buttons[n - 1].isChecked()
        assert window.editor.current_row["item_id"] == row["item_id"]
        assert focused() is window.table


def test_result_column_says_the_types_own_word(window: MainWindow) -> None:
    from desktop.ui.checklist_model import ChecklistTableModel

    shown = {}
    for code, key in (("A1.1.2", "co"), ("A1.3.1", "tot"), ("A1.3.1", "dat"), ("A1.1.1", "co")):
        open_item(window, SO_KHCN, code)
        window.editor.choose(key)
        source = window.table_model.row_for_item(window.editor.current_row["item_id"])
        index = window.table_model.index(source, ChecklistTableModel.COL_RESULT)
        shown[(code, key)] = index.data()
    assert shown == {
        ("A1.1.2", "co"): "Có",
        ("A1.3.1", "tot"): "Tốt",
        ("A1.3.1", "dat"): "Đạt",
        ("A1.1.1", "co"): "Đúng hạn",
    }


# -- 3. The focused field is in view, and framed -------------------------------------------


def scroll_area(window: MainWindow) -> Any:
    from PySide6.QtWidgets import QScrollArea

    return window.editor.findChild(QScrollArea)


def in_view(window: MainWindow, widget: QWidget) -> bool:
    area = scroll_area(window)
    viewport = area.viewport()
    top_left = widget.mapTo(viewport, widget.rect().topLeft())
    bottom = top_left.y() + widget.height()
    return top_left.y() >= 0 and bottom <= viewport.height()


def test_focused_fields_are_scrolled_into_view(qtbot: Any, window: MainWindow) -> None:
    window.resize(1024, 560)
    activate(qtbot, window)
    editor = window.editor
    evidence = window.feature("recording").evidence
    open_item(window, SO_KHCN, "A1.1.3")
    area = scroll_area(window)
    qtbot.waitUntil(lambda: area.verticalScrollBar().maximum() > 0)
    # Ctrl+E: the evidence form, far down the panel.
    QTest.keyClick(window.table, Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert evidence.isAncestorOf(focused())
    assert in_view(window, focused())
    assert area.verticalScrollBar().value() > 0
    # Another item: the result buttons are in view again.
    window.table.setFocus()
    QTest.keyClick(window.table, Key.Key_Down)
    assert editor.current_row["code"] != "A1.1.3"
    first = next(b for b in editor.choice_buttons if b.isVisibleTo(editor))
    assert in_view(window, first)
    QTest.keyClick(window.table, Key.Key_Tab)
    assert focused() is first and in_view(window, first)
    # "Thêm tệp", the last section's button, reached by the keyboard: in view.
    attachments = window.feature("recording").attachments
    add_file = next(
        b
        for b in attachments.findChildren(QToolButton)
        if b.defaultAction() is attachments.add_action
    )
    add_file.setFocus(Qt.FocusReason.TabFocusReason)
    assert focused() is add_file and in_view(window, add_file)


def test_focus_frame_is_styled(window: MainWindow) -> None:
    sheet = QApplication.instance().styleSheet() + window.styleSheet()
    for kind in (
        "QTreeView",
        "QListView",
        "QTableView",
        "QComboBox",
        "QLineEdit",
        "QPlainTextEdit",
    ):
        assert f"{kind}:focus" in sheet


# -- 4. Standard keys keep their jobs ---------------------------------------------------


def test_alt_down_opens_drop_downs_and_next_item_moved(qtbot: Any, window: MainWindow) -> None:
    activate(qtbot, window)
    row = open_item(window, SO_KHCN, "A1.1.2")
    shortcuts = [s.toString() for s in window.pane.next_action.shortcuts()]
    assert "Alt+Down" not in shortcuts and "Alt+Up" not in [
        s.toString() for s in window.pane.prev_action.shortcuts()
    ]
    window.table.setFocus()
    QTest.keyClick(window.table, Key.Key_BracketRight, Qt.KeyboardModifier.ControlModifier)
    assert window.editor.current_row["item_id"] != row["item_id"]
    # Alt+Down on a combo opens it (nothing else takes the key).
    window.me_combo.setFocus()
    current = window.editor.current_row["item_id"]
    QTest.keyClick(window.me_combo, Key.Key_Down, ALT)
    qtbot.waitUntil(lambda: window.me_combo.view().isVisible())
    window.me_combo.hidePopup()
    assert window.editor.current_row["item_id"] == current


def test_f4_opens_a_date_calendar(qtbot: Any, window: MainWindow) -> None:
    activate(qtbot, window)
    open_item(window, SO_KHCN, "A1.1.2")
    edit = window.pane.visit_bar.visit_date_edit
    edit.setFocus()
    QTest.keyClick(edit, Key.Key_F4)
    qtbot.waitUntil(lambda: edit.calendarWidget().isVisible())
    QTest.keyClick(edit.calendarWidget(), Key.Key_Escape)


def test_menus_have_distinct_mnemonics(window: MainWindow) -> None:
    window.install_extras()
    letters = []
    for action in window.menuBar().actions():
        text = action.text()
        if "&" in text:
            letters.append(text[text.index("&") + 1].lower())
    assert len(letters) == len(set(letters)), [a.text() for a in window.menuBar().actions()]


# -- 5. Dates take what is typed -------------------------------------------------------


def type_into(qtbot: Any, edit: Any, text: str) -> None:
    edit.setFocus()
    QTest.keyClick(edit, Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(edit, text)


def test_report_date_takes_what_is_typed_or_refuses(qtbot: Any) -> None:
    from desktop.ui.followup.dialogs import ReportDialog

    recs = [{"unit": "Sở Y tế", "number": 1, "text": "Niêm yết"}]
    dialog = ReportDialog(recs, dt.date(2021, 9, 15))
    qtbot.addWidget(dialog)
    dialog.show()
    activate(qtbot, dialog)
    for typed in ("20072021", "20/07/2021", "20-7-2021"):
        type_into(qtbot, dialog.date_edit, typed)
        QTest.keyClick(dialog.date_edit, Key.Key_Tab)
        assert dialog.values()[0] == dt.date(2021, 7, 20), typed
        assert focused() is not dialog.date_edit
    # After the maximum (today): refused, said so, and focus stays to correct it.
    type_into(qtbot, dialog.date_edit, "20102021")
    QTest.keyClick(dialog.date_edit, Key.Key_Tab)
    assert dialog.date_edit.hasFocus()
    assert dialog.date_edit.error_text()
    assert dialog.values()[0] == dt.date(2021, 7, 20)
    type_into(qtbot, dialog.date_edit, "31022021")  # no such day
    QTest.keyClick(dialog.date_edit, Key.Key_Tab)
    assert dialog.date_edit.hasFocus() and dialog.date_edit.error_text()
    # Enter on a refused date does not close the dialog with the old one.
    QTest.keyClick(dialog.date_edit, Key.Key_Return)
    assert dialog.isVisible() and dialog.result() == 0
    type_into(qtbot, dialog.date_edit, "01/09/2021")
    QTest.keyClick(dialog.date_edit, Key.Key_Return)  # taken; OK answers
    assert dialog.values()[0] == dt.date(2021, 9, 1)
    assert not dialog.isVisible() and dialog.result() == 1


def test_empty_visit_date_can_be_typed_and_left(qtbot: Any, window: MainWindow) -> None:
    activate(qtbot, window)
    store = window.adapter.store
    insp = inspection_id(store, SO_KHCN)
    open_item(window, SO_KHCN, "A1.1.2")
    store_date = lambda: (store.planning.inspection(insp) or {}).get("visit_date")  # noqa: E731
    edit = window.pane.visit_bar.visit_date_edit
    if store_date():  # start from an empty date
        window.adapter.inspection_step(insp, "visit", visit_date=None)
        window.pane.visit_bar.show_visit(window.adapter.inspection(insp), True)
    assert not store_date()
    # Tab leaves an empty date and saves nothing.
    edit.setFocus()
    QTest.keyClick(edit, Key.Key_Tab)
    assert not edit.hasFocus()
    assert not store_date()
    # Up arrow does not invent 02/01/2000.
    edit.setFocus()
    QTest.keyClick(edit, Key.Key_Up)
    assert store_date() in (None, "") or not str(store_date()).startswith("2000")
    # Typing fills it.
    type_into(qtbot, edit, "15062021")
    QTest.keyClick(edit, Key.Key_Tab)
    assert store_date() == "2021-06-15"
    assert not edit.hasFocus()
    assert edit.date() == QDate(2021, 6, 15)


# -- 6. Deleting a recommendation asks, and Enter keeps it -------------------------------


def answer_next_box(
    key: Qt.Key | None, asked: list[bool] | None = None, accept: bool = False
) -> None:
    """Answer the next message box with a key, or click its accept button."""

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer)
            return
        if asked is not None:
            asked.append(True)
        if accept:
            button = next(
                b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole
            )
            button.click()
        else:
            QTest.keyClick(box, key)

    QTimer.singleShot(0, answer)


def test_delete_key_asks_and_enter_keeps_the_recommendation(qtbot: Any, window: MainWindow) -> None:
    from desktop.ui.recording.conclusion_editor import ConclusionDialog

    store = window.adapter.store
    insp = inspection_id(store, HALF_DONE)
    rec = conclusions.add_recommendation(store, insp, "Xóa thử", deadline=dt.date(2021, 9, 1))
    dialog = ConclusionDialog(window.adapter, insp, window)
    qtbot.addWidget(dialog)
    dialog.show()
    activate(qtbot, dialog)
    dialog.tabs.setCurrentIndex(dialog.tabs.count() - 1)
    row = next(
        n
        for n in range(dialog.rec_model.rowCount())
        if dialog.rec_model.index(n, 1).data() == "Xóa thử"
    )
    dialog.rec_table.setFocus()
    dialog.rec_table.setCurrentIndex(dialog.rec_model.index(row, 0))

    def ids() -> set[str]:
        return {r["id"] for r in conclusions.list_recommendations(store, insp)}

    answer_next_box(Key.Key_Return)  # Enter in the question keeps it
    dialog.delete_rec_button.click()
    assert rec["id"] in ids()
    asked: list[bool] = []
    answer_next_box(Key.Key_Return, asked)  # the Delete key asks too; Enter keeps it
    activate(qtbot, dialog)
    dialog.rec_table.setFocus()
    QTest.keyClick(dialog.rec_table, Key.Key_Delete)
    assert asked and rec["id"] in ids()
    answer_next_box(None, asked, accept=True)  # "Xóa" removes it
    activate(qtbot, dialog)
    dialog.rec_table.setFocus()
    QTest.keyClick(dialog.rec_table, Key.Key_Delete)
    assert rec["id"] not in ids()


# -- Small screens: Escape closes the windows, which fit 1024×600 ------------------------


def test_dashboard_and_register_close_on_escape_and_fit_a_small_screen(
    qtbot: Any, window: MainWindow
) -> None:
    from PySide6.QtCore import QSize

    from desktop.ui.common.keyboard import fit_on_screen
    from desktop.ui.followup.dashboard import DashboardWindow
    from desktop.ui.followup.window import FollowupWindow
    from desktop.ui.recording.conclusion_editor import ConclusionDialog

    insp = inspection_id(window.adapter.store, HALF_DONE)
    small = QSize(1024, 600)
    made = [
        (DashboardWindow(window.adapter, today=dt.date(2021, 9, 15)), (1240, 760)),
        (FollowupWindow(window.adapter, today=dt.date(2021, 9, 15)), (1180, 640)),
        (ConclusionDialog(window.adapter, insp, window), (980, 640)),
    ]
    for win, (width, height) in made:
        qtbot.addWidget(win)
        fit_on_screen(win, width, height, small)
        assert win.width() <= 1024 - 16 and win.height() <= 600 - 48, type(win).__name__
    for win, _ in made[:2]:
        win.show()
        activate(qtbot, win)
        QTest.keyClick(win, Key.Key_Escape)
        assert not win.isVisible(), type(win).__name__


def test_mark_concluded_defaults_to_no_while_items_are_unrecorded(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.ui.common import dialogs_vi

    asked: list[tuple[str, bool]] = []

    def ask_yes_no(_parent: Any, _title: str, text: str, **options: Any) -> bool:
        asked.append((text, options.get("default_yes", True)))
        return False

    monkeypatch.setattr(dialogs_vi, "ask_yes_no", ask_yes_no)
    controller = window.feature("exports").controller
    insp = inspection_id(window.adapter.store, HALF_DONE)  # about half recorded
    assert not controller.offer_concluded(insp)
    text, default_yes = asked[-1]
    assert not default_yes
    assert "chưa ghi nhận" in text


def test_percent_item_picked_by_key_gets_a_score(qtbot: Any, window: MainWindow) -> None:
    activate(qtbot, window)
    store = window.adapter.store
    row = open_item(window, SO_KHCN, "A1.1.3")  # PERCENT, 2 points; partly from 90 %: 0.75
    window.table.setFocus()
    QTest.keyClick(window.table, Key.Key_2, ALT)
    stored = store.findings.finding(inspection_id(store, SO_KHCN), row["item_id"])
    assert stored["result"] == "mot-phan" and stored["score"] == 1.5


def test_remembered_document_number_is_replaced_by_typing(qtbot: Any) -> None:
    from desktop.ui.exports.dialog import ReportOptionsDialog

    dialog = ReportOptionsDialog(None, "Thông báo kết luận", "12/TB-SNV", dt.date(2021, 7, 1), "")
    qtbot.addWidget(dialog)
    dialog.show()
    activate(qtbot, dialog)
    assert focused() is dialog.number_edit
    QTest.keyClicks(focused(), "15/TB-SNV")
    assert dialog.choice().number == "15/TB-SNV"


def test_recommendation_dialog_says_why_it_does_not_save(qtbot: Any, window: MainWindow) -> None:
    from desktop.ui.recording.conclusion_editor import ConclusionDialog
    from desktop.ui.recording.recommendation_dialog import RecommendationDialog

    insp = inspection_id(window.adapter.store, HALF_DONE)
    visit = window.adapter.inspection(insp)["visit_date"]
    conclusion = ConclusionDialog(window.adapter, insp, window)
    qtbot.addWidget(conclusion)
    assert HALF_DONE in conclusion.windowTitle()  # the unit is named
    dialog = RecommendationDialog([], None, dt.date(2021, 9, 1), earliest=visit)
    qtbot.addWidget(dialog)
    dialog.show()
    activate(qtbot, dialog)
    dialog._accept()  # "Lưu" with no text: refused, and said so
    assert dialog.isVisible() and "nội dung" in dialog.message_label.text()
    dialog.text_edit.setPlainText("Niêm yết TTHC")
    day_before = dt.date.fromisoformat(visit) - dt.timedelta(days=1)
    type_into(qtbot, dialog.deadline_edit, day_before.strftime("%d%m%Y"))
    dialog._accept()  # a deadline before the visit: refused
    assert dialog.isVisible() and "trước" in dialog.message_label.text()
    type_into(qtbot, dialog.deadline_edit, "30/09/2021")
    dialog._accept()
    assert not dialog.isVisible() and dialog.values()["deadline"] == dt.date(2021, 9, 30)


def test_register_toolbar_has_keys(
    qtbot: Any, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.ui.followup.window import FollowupWindow

    calls: list[str] = []

    def recorder(name: str) -> Any:
        return lambda _self, *_args: calls.append(name)

    for name in ("record_report", "verify_selected", "make_reminder", "export_escalation"):
        monkeypatch.setattr(FollowupWindow, name, recorder(name))
    store = window.adapter.store
    conclusions.add_recommendation(
        store, inspection_id(store, HALF_DONE), "Một kiến nghị", deadline=dt.date(2021, 9, 1)
    )
    register = FollowupWindow(window.adapter, today=dt.date(2021, 9, 15))
    qtbot.addWidget(register)
    register.show()
    activate(qtbot, register)
    register.table.setFocus()
    register.table.selectRow(0)
    for key in (Key.Key_B, Key.Key_M, Key.Key_D, Key.Key_L):
        QTest.keyClick(register.table, key, Qt.KeyboardModifier.ControlModifier)
    # Xác minh waits for a report (disabled until then); its key is there all the same.
    assert calls == ["record_report", "make_reminder", "export_escalation"]
    assert register.verify_action.shortcut().toString() == "Ctrl+M"
    assert "(Ctrl+B)" in register.report_action.toolTip()


# -- The keyboard walk: ten items of every judging type, keys counted ----------------------


def test_ten_items_of_every_type_by_keyboard_alone(qtbot: Any, window: MainWindow) -> None:
    """Per item: Ctrl+] (next item), Alt+digit (the result), the note typed straight away in
    Nhận xét (Enter from the table puts the cursor there once): ≤ 3 chords plus the text."""
    activate(qtbot, window)
    store = window.adapter.store
    insp = inspection_id(store, SO_KHCN)
    rows = store.findings.inspection_items(insp)
    first = open_item(window, SO_KHCN, rows[0]["code"])
    assert first["item_id"] == rows[0]["item_id"]
    window.table.setFocus()
    QTest.keyClick(window.table, Key.Key_Return)  # once: into Nhận xét
    chords: dict[str, list[int]] = {}
    digit = {"YES_NO": 3, "LEVEL": 2, "PERCENT": 1, "COUNT": 3, "DATE_ON_TIME": 1}
    recorded: list[tuple[str, str]] = []
    for n, row in enumerate(rows):
        if n:
            QTest.keyClick(focused(), Key.Key_BracketRight, Qt.KeyboardModifier.ControlModifier)
        current = window.editor.current_row
        assert current["item_id"] == row["item_id"]
        jtype = current["type"]
        done = chords.setdefault(jtype, [])
        if len(done) >= 10 or jtype == "TEXT":
            continue
        count = 1 if n else 2  # the move (or the first Enter)
        QTest.keyClick(focused(), getattr(Key, f"Key_{digit[jtype]}"), ALT)
        count += 1
        assert focused() is window.editor.note_edit
        QTest.keyClicks(focused(), f"Ghi nhan {row['code']}")
        done.append(count)
        recorded.append((row["item_id"], row["code"]))
    window.editor.flush()
    for item_id, code in recorded:
        stored = store.findings.finding(insp, item_id)
        assert stored is not None and stored["result"], code
        assert stored["note"] == f"Ghi nhan {code}", code
    assert {t for t, c in chords.items() if c} >= set(digit)
    assert all(max(c) <= 3 for c in chords.values() if c), chords


def test_evidence_date_takes_what_is_typed_and_a_refusal_is_seen(
    qtbot: Any, window: MainWindow
) -> None:
    # Under Xvfb, "20022021" in the evidence form was refused (the other date boxes take it)
    # and the reason was written below the visible part of the panel: nothing seemed to happen.
    window.resize(1024, 560)
    activate(qtbot, window)
    open_item(window, SO_KHCN, "A1.1.3")
    evidence = window.feature("recording").evidence
    area = scroll_area(window)
    qtbot.waitUntil(lambda: area.verticalScrollBar().maximum() > 0)
    evidence.number_edit.setText("45/KH-UBND")
    evidence.date_edit.setText("20022021")
    evidence.summary_edit.setText("Kế hoạch CCHC năm 2021")
    row = evidence.add_from_form()
    assert row is not None and row["issued_on"] == "2021-02-20"
    area.verticalScrollBar().setValue(0)
    evidence.number_edit.setText("46/KH-UBND")
    evidence.date_edit.setText("31022021")
    assert evidence.add_from_form() is None
    assert evidence.error_label.isVisibleTo(window) and evidence.error_label.text()
    qtbot.waitUntil(lambda: in_view(window, evidence.error_label))
