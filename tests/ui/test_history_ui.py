"""Recommendation section and "Lịch sử thay đổi" of a finding."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import Qt

from desktop.services import conclusions
from desktop.ui.history_dialog import HistoryDialog, change_text
from desktop.ui.main_window import MainWindow
from tests.ui.conftest import inspection_id, open_item

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("does not support propagateSizeHints")]

SO_KHCN = "Sở Khoa học và Công nghệ"


def test_history_shows_old_to_new(
    qtbot: Any, qtmodeltester: Any, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_item(window, SO_KHCN, "A1.1.2")
    editor = window.editor
    editor.choice_action("co").trigger()
    editor.choice_action("khong").trigger()
    shown: list[HistoryDialog] = []
    monkeypatch.setattr(HistoryDialog, "exec", lambda self: shown.append(self) or 0)
    assert editor.history_action.shortcut().toString() == "Ctrl+H"
    assert editor.history_action.toolTip() == "Lịch sử thay đổi (Ctrl+H)"
    editor.history_action.trigger()
    assert len(shown) == 1
    dialog = shown[0]
    assert "A1.1.2" in dialog.windowTitle()
    model = dialog.model
    qtmodeltester.check(model)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)]
    assert headers == ["Thời gian", "Người ghi", "Trường", "Cũ → Mới"]
    results = [
        model.index(r, 3).data()
        for r in range(model.rowCount())
        if model.index(r, 2).data() == "Kết quả"
    ]
    assert results == ["(trống) → Đạt", "Đạt → Không đạt"]
    when = model.index(0, 0).data()
    assert dt.datetime.strptime(when, "%d/%m/%Y %H:%M")


def test_change_text() -> None:
    assert change_text({"old": "", "new": "Đạt"}) == "(trống) → Đạt"
    assert change_text({"old": "1", "new": ""}) == "1 → (trống)"


def test_recommendation_for_not_passed_item(window: MainWindow) -> None:
    store = window.adapter.store
    insp = inspection_id(store, SO_KHCN)
    open_item(window, SO_KHCN, "A3.1.3")
    section = window.feature("recording").recommendation
    assert not section.isVisibleTo(window.editor)  # nothing to fix yet
    window.editor.choice_action("khong-dat").trigger()
    assert section.isVisibleTo(window.editor)
    default = conclusions.default_deadline(store, insp)
    shown = section.deadline_edit.date()
    assert (shown.year(), shown.month(), shown.day()) == (default.year, default.month, default.day)
    assert section.deadline_edit.displayFormat() == "dd/MM/yyyy"

    section.text_edit.setPlainText("Niêm yết đầy đủ thủ tục hành chính tại Bộ phận Một cửa")
    section.responsible_edit.setText("Văn phòng Sở")
    section.save_button.click()
    recs = conclusions.list_recommendations(store, insp)
    assert [(r["item_code"], r["text"], r["responsible"]) for r in recs] == [
        ("A3.1.3", "Niêm yết đầy đủ thủ tục hành chính tại Bộ phận Một cửa", "Văn phòng Sở")
    ]
    assert recs[0]["deadline"] == default.isoformat()
    assert "A3.1.3" in window.proxy.recommended_codes  # the "Có kiến nghị" filter follows
    assert section.number_label.text() == "Kiến nghị số 1"

    # Editing updates the same recommendation; typing then moving on saves too.
    section.text_edit.setPlainText("Niêm yết lại đầy đủ TTHC")
    window.pane.move_current(1)
    open_item(window, SO_KHCN, "A3.1.3")
    recs = conclusions.list_recommendations(store, insp)
    assert [(r["number"], r["text"]) for r in recs] == [(1, "Niêm yết lại đầy đủ TTHC")]
    assert section.text_edit.toPlainText() == "Niêm yết lại đầy đủ TTHC"

    # A passed item has no recommendation section.
    open_item(window, SO_KHCN, "A3.1.4")
    window.editor.choice_action("co").trigger()
    assert not section.isVisibleTo(window.editor)
    window.editor.choice_action("khong").trigger()
    assert section.isVisibleTo(window.editor)
    assert section.text_edit.toPlainText() == ""


def test_deleting_a_recommendation_asks_first(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.ui.common import dialogs_vi

    store = window.adapter.store
    insp = inspection_id(store, SO_KHCN)
    open_item(window, SO_KHCN, "A3.1.3")
    window.editor.choice_action("khong-dat").trigger()
    section = window.feature("recording").recommendation
    section.text_edit.setPlainText("Niêm yết đầy đủ thủ tục hành chính")
    section.save_button.click()
    asked: list[str] = []
    monkeypatch.setattr(
        dialogs_vi, "confirm_delete", lambda _p, _t, text, **_k: asked.append(text) or False
    )
    section.delete_button.click()  # "Hủy"
    assert "Xóa kiến nghị số 1" in asked[0]
    assert len(conclusions.list_recommendations(store, insp)) == 1
    monkeypatch.setattr(dialogs_vi, "confirm_delete", lambda *_a, **_k: True)
    section.delete_button.click()
    assert conclusions.list_recommendations(store, insp) == []
