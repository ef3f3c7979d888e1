"""Nothing typed is lost: observations, recommendations and conclusions save while typing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QWidget

from db import Store
from desktop.services import conclusions
from desktop.ui.common.autosave import Autosaver
from desktop.ui.main_window import MainWindow
from desktop.ui.recording.conclusion_editor import ConclusionDialog
from tests.ui.conftest import inspection_id, open_item

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("does not support propagateSizeHints")]

SO_KHCN = "Sở Khoa học và Công nghệ"


def fresh(db_path: Path, read: Callable[[Store], Any]) -> Any:
    """Read from the file with a new Store (as after a crash and a restart)."""
    store = Store.open(db_path, read_only=True)
    try:
        return read(store)
    finally:
        store.close()


def type_at_end(edit: Any, text: str) -> None:
    edit.moveCursor(QTextCursor.MoveOperation.End)
    edit.insertPlainText(text)


@contextmanager
def typing_on(type_one: Callable[[], None], every_ms: int = 40) -> Iterator[QTimer]:
    """Type a character every `every_ms` until the block ends: never a pause to debounce."""
    timer = QTimer()
    timer.setInterval(every_ms)
    timer.timeout.connect(type_one)
    timer.start()
    try:
        yield timer
    finally:
        timer.stop()


def fast(saver: Autosaver) -> None:
    # A pause that never comes while typing on; the max-wait must save anyway.
    saver.debounce.setInterval(60_000)
    saver.max_wait.setInterval(300)


def test_the_editor_saves_at_most_five_seconds_after_the_first_key(window: MainWindow) -> None:
    # The promise to the user (nothing typed is lost for more than 5 s), read off the
    # observation box's real saver rather than the constant it defaults to.
    assert window.editor.note_autosave.max_wait.interval() == 5000
    assert window.editor.note_autosave.max_wait.isSingleShot()


def test_observation_saved_while_typing_on(qtbot: Any, window: MainWindow, db_path: Path) -> None:
    row = open_item(window, SO_KHCN, "A1.1.2")
    insp = inspection_id(window.adapter.store, SO_KHCN)
    editor = window.editor
    fast(editor.note_autosave)
    editor.note_edit.setFocus()

    def note() -> str:
        f = fresh(db_path, lambda s: s.findings.finding(insp, row["item_id"]))
        return (f or {}).get("note") or ""

    with typing_on(lambda: type_at_end(editor.note_edit, "x")):
        # The pause timer (60 s) never ran out: the max-wait saved it mid-typing.
        qtbot.waitUntil(lambda: note().startswith("xx"), timeout=5000)
    editor.note_autosave.flush()
    assert note() == editor.note_edit.toPlainText()


def test_recommendation_saved_while_typing_and_on_focus_out(
    qtbot: Any, window: MainWindow, db_path: Path
) -> None:
    open_item(window, SO_KHCN, "A3.1.3")
    insp = inspection_id(window.adapter.store, SO_KHCN)
    window.editor.choice_action("khong-dat").trigger()
    section = window.feature("recording").recommendation
    assert section.isVisibleTo(window.editor)
    assert section.save_button.text() == "Lưu kiến nghị"  # still there, for reassurance
    fast(section.autosave)

    def texts() -> list[str]:
        recs = fresh(db_path, lambda s: conclusions.list_recommendations(s, insp))
        return [r["text"] for r in recs if r["item_code"] == "A3.1.3"]

    section.text_edit.setPlainText("Niêm yết TTHC")
    with typing_on(lambda: type_at_end(section.text_edit, ".")):
        qtbot.waitUntil(
            lambda: bool(texts()) and texts()[0].startswith("Niêm yết TTHC."), timeout=5000
        )
    assert "đã lưu lúc" in section.message_label.text()
    # Focus-out saves the rest at once (one recommendation, updated).
    section.responsible_edit.setFocus()
    section.responsible_edit.setText("Văn phòng Sở")
    section.responsible_edit.textEdited.emit("Văn phòng Sở")
    assert section.autosave.pending
    section.autosave.eventFilter(section.responsible_edit, _focus_out())
    recs = fresh(db_path, lambda s: conclusions.list_recommendations(s, insp))
    assert [(r["text"], r["responsible"]) for r in recs if r["item_code"] == "A3.1.3"] == [
        (section.text_edit.toPlainText(), "Văn phòng Sở")
    ]


def _focus_out() -> Any:
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QFocusEvent

    return QFocusEvent(QEvent.Type.FocusOut, Qt.FocusReason.OtherFocusReason)


def test_conclusion_saved_while_typing(qtbot: Any, window: MainWindow, db_path: Path) -> None:
    insp = inspection_id(window.adapter.store, SO_KHCN)
    dialog = ConclusionDialog(window.adapter, insp, window)
    qtbot.addWidget(dialog)
    assert not dialog.autosave.pending  # opening is no typing
    assert dialog.save_button.text() == "Lưu"
    fast(dialog.autosave)
    dialog.show()
    area = dialog.area_list.currentItem().data(0x0100)

    def strengths() -> str:
        rows = fresh(db_path, lambda s: conclusions.list_conclusions(s, insp))
        return next((r["strengths"] or "" for r in rows if r["area_code"] == area), "")

    dialog.strengths_edit.setPlainText("Ban hành kế hoạch đúng hạn")
    with typing_on(lambda: type_at_end(dialog.strengths_edit, "!")):
        qtbot.waitUntil(lambda: strengths().startswith("Ban hành kế hoạch đúng hạn!"), timeout=5000)
    assert dialog.message_label.text().startswith("Đã lưu lúc ")
    # The causes too, after a pause.
    dialog.autosave.debounce.setInterval(50)
    dialog.causes_edit.setPlainText("Chưa bố trí đủ công chức")

    def causes() -> str:
        rows = fresh(db_path, lambda s: conclusions.list_conclusions(s, insp))
        return next((r["causes"] or "" for r in rows if r["area_code"] == ""), "")

    qtbot.waitUntil(lambda: causes() == "Chưa bố trí đủ công chức", timeout=3000)
    dialog.reject()  # nothing pending: closes without a question


def test_autosaver_alone(qtbot: Any) -> None:
    saves: list[int] = []
    host = QWidget()
    qtbot.addWidget(host)
    saver = Autosaver(lambda: saves.append(1), host, debounce_ms=50, max_wait_ms=10_000)
    saver.flush()
    assert saves == []  # nothing pending, nothing saved
    saver.touch()
    qtbot.waitUntil(lambda: saves == [1], timeout=2000)
    assert not saver.pending
