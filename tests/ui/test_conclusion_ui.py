"""The conclusion editor (Kết luận ▸ Soạn kết luận…) and opening a locked database."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from db import Store
from db.lock import _try_lock, _unlock, lock_path
from desktop.services import conclusions
from desktop.services.backup import list_backups
from desktop.services.demo import build_demo
from desktop.ui import opening
from desktop.ui.main_window import MainWindow
from desktop.ui.recording import conclusion_editor
from desktop.ui.recording.conclusion_editor import ConclusionDialog
from desktop.ui.recording.recommendation_dialog import RecommendationDialog
from tests.ui.conftest import inspection_id, open_item

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("does not support propagateSizeHints")]

HALF_DONE = "Sở Văn hóa, Thể thao và Du lịch"  # the demo recorded about half of it


@pytest.fixture
def dialog(qtbot: Any, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> ConclusionDialog:
    monkeypatch.setattr(conclusion_editor, "ask_yes_no", lambda *_: True)
    monkeypatch.setattr(conclusion_editor, "confirm_delete", lambda *_: True)
    d = ConclusionDialog(window.adapter, inspection_id(window.adapter.store, HALF_DONE), window)
    qtbot.addWidget(d)
    return d


def test_menu_opens_the_editor(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    monkeypatch.setattr(
        ConclusionDialog, "ask", classmethod(lambda cls, parent, adapter, insp: calls.append(insp))
    )
    action = window.feature("recording").conclusion_action
    assert action.shortcut().toString() == "Ctrl+K"
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Kết luận")
    assert [a.text().replace("&", "") for a in menu.actions()] == ["Soạn kết luận…"]
    window.select_inspection(inspection_id(window.adapter.store, HALF_DONE))
    action.trigger()
    assert calls == [inspection_id(window.adapter.store, HALF_DONE)]


def test_draft_from_findings_then_saved(window: MainWindow, dialog: ConclusionDialog) -> None:
    store = window.adapter.store
    insp = inspection_id(store, HALF_DONE)
    draft = {a["area"]: a for a in conclusions.draft(store, insp)}
    assert dialog.strengths_edit.toPlainText() == ""
    dialog.suggest_button.click()
    first = dialog.area_list.item(0).data(256)  # Qt.UserRole: the area code
    assert dialog.strengths_edit.toPlainText() == "\n".join(draft[first]["strengths"])
    assert dialog.limitations_edit.toPlainText() == "\n".join(draft[first]["limitations"])
    with_limits = next(code for code, a in draft.items() if a["limitations"])
    dialog.select_area(with_limits)
    assert dialog.limitations_edit.toPlainText().splitlines() == draft[with_limits]["limitations"]
    # The secretary edits the suggestion, writes the causes, saves.
    dialog.limitations_edit.appendPlainText("Chưa cập nhật kịp thời văn bản mới")
    dialog.select_area(first)
    dialog.causes_edit.setPlainText("Người đứng đầu chưa quan tâm đúng mức")
    assert dialog.dirty
    dialog.save_button.click()
    assert not dialog.dirty and "Đã lưu" in dialog.message_label.text()
    saved = {c["area_code"]: c for c in conclusions.list_conclusions(store, insp)}
    assert saved[with_limits]["limitations"].splitlines() == [
        *draft[with_limits]["limitations"],
        "Chưa cập nhật kịp thời văn bản mới",
    ]
    assert saved[first]["strengths"] == "\n".join(draft[first]["strengths"])
    assert saved[""]["causes"] == "Người đứng đầu chưa quan tâm đúng mức"
    # Opening again shows what was saved.
    again = ConclusionDialog(window.adapter, insp, window)
    try:
        again.select_area(with_limits)
        assert again.limitations_edit.toPlainText().endswith("Chưa cập nhật kịp thời văn bản mới")
        assert again.causes_edit.toPlainText() == "Người đứng đầu chưa quan tâm đúng mức"
    finally:
        again.deleteLater()


def test_recommendations_table(
    qtmodeltester: Any, window: MainWindow, dialog: ConclusionDialog
) -> None:
    store = window.adapter.store
    insp = inspection_id(store, HALF_DONE)
    before = len(conclusions.list_recommendations(store, insp))
    deadline = dt.date(2021, 8, 15)
    rec = dialog.add_recommendation(
        {
            "text": "Ban hành quy chế chi tiêu nội bộ",
            "item_code": "A6.1.1",
            "responsible": "Văn phòng Sở",
            "deadline": deadline,
        }
    )
    assert rec is not None and rec["number"] == before + 1
    model = dialog.rec_model
    qtmodeltester.check(model)
    last = model.rowCount() - 1
    assert [model.index(last, c).data() for c in range(5)] == [
        str(before + 1),
        "Ban hành quy chế chi tiêu nội bộ",
        "A6.1.1",
        "Văn phòng Sở",
        "15/08/2021",
    ]
    assert "A6.1.1" in window.proxy.recommended_codes or window.editor.inspection_id != insp
    dialog.rec_table.setCurrentIndex(model.index(last, 1))
    dialog.edit_recommendation({"text": "Ban hành quy chế chi tiêu nội bộ năm 2021"})
    stored = {r["id"]: r for r in conclusions.list_recommendations(store, insp)}[rec["id"]]
    assert stored["text"] == "Ban hành quy chế chi tiêu nội bộ năm 2021"
    assert model.index(last, 1).data() == "Ban hành quy chế chi tiêu nội bộ năm 2021"
    dialog.rec_table.setCurrentIndex(model.index(last, 0))
    assert dialog.delete_recommendation()
    assert rec["id"] not in {r["id"] for r in conclusions.list_recommendations(store, insp)}
    assert model.rowCount() == before


def test_recommendation_dialog_values(qtbot: Any) -> None:
    d = RecommendationDialog([("A3.1.3", "Niêm yết TTHC")], None, dt.date(2021, 7, 30))
    qtbot.addWidget(d)
    d.text_edit.setPlainText("Niêm yết lại")
    d.item_combo.setCurrentIndex(1)
    d.responsible_edit.setText("Bộ phận Một cửa")
    assert d.values() == {
        "text": "Niêm yết lại",
        "item_code": "A3.1.3",
        "responsible": "Bộ phận Một cửa",
        "deadline": dt.date(2021, 7, 30),
    }


# -- opening a database another program writes -------------------------------------------------
@pytest.fixture
def locked_db(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "khac" / "khac.sqlite"
    s = Store.open(path)
    build_demo(s)
    s.close()
    # Another program's writer lock, taken the way db.lock takes it (flock on POSIX, a locked
    # byte on Windows): either conflicts even inside one process.
    fd = os.open(lock_path(path), os.O_RDWR | os.O_CREAT, 0o600)
    assert _try_lock(fd)
    holder = {"pid": 4242, "host": "may-thu-ky", "started": "2021-06-01T08:00:00", "app": "X"}
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, json.dumps(holder).encode())
    yield path
    _unlock(fd)
    os.close(fd)


def test_locked_database_offers_read_only(
    window: MainWindow, locked_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    monkeypatch.setattr(
        opening, "ask_read_only", lambda _p, message: asked.append(message) or False
    )
    assert not window.open_database(locked_db)
    assert "đang được mở để ghi bởi X trên máy may-thu-ky" in asked[0]
    assert window.adapter.path != locked_db  # declined: nothing changed

    monkeypatch.setattr(opening, "ask_read_only", lambda *_: True)
    assert window.open_database(locked_db)
    assert window.adapter.store.read_only
    assert window.windowTitle() == "Kiểm tra CCHC — khac.sqlite (chỉ đọc)"
    open_item(window, "Sở Khoa học và Công nghệ", "A3.1.3")
    editor = window.editor
    assert not editor.choice_actions[0].isEnabled()
    assert editor.note_edit.isReadOnly()
    assert not window.feature("recording").evidence.add_action.isEnabled()
    assert not window.feature("recording").attachments.add_action.isEnabled()
    assert editor.history_action.isEnabled()  # looking is fine
    dialog = ConclusionDialog(window.adapter, editor.inspection_id, window)
    try:
        assert not dialog.save_button.isEnabled() and not dialog.add_rec_button.isEnabled()
    finally:
        dialog.deleteLater()


def test_writable_open_makes_the_daily_backup(window: MainWindow, tmp_path: Path) -> None:
    path = tmp_path / "khac" / "khac.sqlite"
    s = Store.open(path)
    build_demo(s)
    s.close()
    assert window.open_database(path)
    assert not window.adapter.store.read_only
    assert [b["reason"] for b in list_backups(path)] == ["daily"]
    assert window.windowTitle() == "Kiểm tra CCHC — khac.sqlite"


def test_run_declines_a_locked_database(locked_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.ui import app as app_module

    monkeypatch.setattr(opening, "ask_read_only", lambda *_: False)
    assert app_module.run(locked_db) == 1
