"""The visit in the window header: date, place and its lifecycle."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QDate

from desktop.ui.main_window import MainWindow
from tests.ui.conftest import inspection_id

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("does not support propagateSizeHints")]

SO_Y_TE = "Sở Y tế"  # dang-kiem-tra, 08/06/2021, Sóc Trăng
SO_KHCN = "Sở Khoa học và Công nghệ"  # chua-kiem-tra


def status_cell(window: MainWindow, insp: str) -> str:
    return window.tree_model.index_for(insp).siblingAtColumn(2).data()


def test_header_shows_and_edits_date_and_place(window: MainWindow) -> None:
    store = window.adapter.store
    insp = inspection_id(store, SO_Y_TE)
    window.select_inspection(insp)
    assert window.visit_date_edit.displayFormat() == "dd/MM/yyyy"
    assert window.visit_date_edit.text() == "08/06/2021"
    assert window.place_edit.text() == "Sóc Trăng"
    window.visit_date_edit.setDate(QDate(2021, 6, 9))
    assert store.inspection(insp)["visit_date"] == "2021-06-09"
    window.place_edit.setText("Hội trường Sở Y tế")
    window.place_edit.editingFinished.emit()
    assert store.inspection(insp)["place"] == "Hội trường Sở Y tế"
    assert window.saved_label.text().startswith("Đã lưu lúc ")
    # An unvisited unit: no date yet ("—").
    window.select_inspection(inspection_id(store, SO_KHCN))
    assert window.visit_date_edit.text() == "—" and window.place_edit.text() == ""


def test_finish_conclude_reopen(window: MainWindow) -> None:
    store = window.adapter.store
    insp = inspection_id(store, SO_Y_TE)
    window.select_inspection(insp)
    record_menu = next(
        a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "Ghi nhận"
    )
    for action in (window.finish_action, window.conclude_action, window.reopen_action):
        assert action in record_menu.actions()
    assert window.finish_action.text() == "Kết thúc kiểm tra"
    assert window.conclude_action.text() == "Đánh dấu đã kết luận"
    assert window.reopen_action.text() == "Mở lại"
    assert window.finish_action.isEnabled() and not window.reopen_action.isEnabled()

    changed: list[str] = []
    window.tree_model.dataChanged.connect(lambda *_: changed.append("x"))
    window.finish_action.trigger()
    assert store.inspection(insp)["status"] == "da-kiem-tra"
    assert status_cell(window, insp) == "Đã kiểm tra" and changed
    assert "Đã kiểm tra" in window.header_label.text()
    assert not window.finish_action.isEnabled() and window.reopen_action.isEnabled()

    window.conclude_action.trigger()
    assert store.inspection(insp)["status"] == "da-ket-luan"
    assert status_cell(window, insp) == "Đã kết luận"
    assert not window.conclude_action.isEnabled()

    window.reopen_action.trigger()
    assert store.inspection(insp)["status"] == "dang-kiem-tra"
    assert status_cell(window, insp) == "Đang kiểm tra"


def test_unstarted_visit_cannot_be_finished(window: MainWindow, monkeypatch: Any) -> None:
    from desktop.ui.common import dialogs_vi

    warned: list[str] = []
    monkeypatch.setattr(dialogs_vi, "warn", lambda _p, _t, text: warned.append(text))
    store = window.adapter.store
    insp = inspection_id(store, SO_KHCN)
    window.select_inspection(insp)
    assert not window.finish_action.isEnabled() and not window.conclude_action.isEnabled()
    # Even when asked directly, the service refuses and the user reads why.
    assert window.adapter.inspection_step(insp, "finish") is None
    assert warned and "chưa bắt đầu" in warned[0]
    assert store.inspection(insp)["status"] == "chua-kiem-tra"
