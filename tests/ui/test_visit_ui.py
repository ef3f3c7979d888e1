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
    assert window.pane.visit_bar.visit_date_edit.displayFormat() == "dd/MM/yyyy"
    assert window.pane.visit_bar.visit_date_edit.text() == "08/06/2021"
    assert window.pane.visit_bar.place_edit.text() == "Sóc Trăng"
    window.pane.visit_bar.visit_date_edit.setDate(QDate(2021, 6, 9))
    assert store.planning.inspection(insp)["visit_date"] == "2021-06-09"
    window.pane.visit_bar.place_edit.setText("Hội trường Sở Y tế")
    window.pane.visit_bar.place_edit.editingFinished.emit()
    assert store.planning.inspection(insp)["place"] == "Hội trường Sở Y tế"
    assert window.saved_label.text().startswith("Đã lưu lúc ")
    # An unvisited unit: no date yet ("—").
    window.select_inspection(inspection_id(store, SO_KHCN))
    assert (
        window.pane.visit_bar.visit_date_edit.text() == "—"
        and window.pane.visit_bar.place_edit.text() == ""
    )


def test_finish_conclude_reopen(window: MainWindow) -> None:
    store = window.adapter.store
    insp = inspection_id(store, SO_Y_TE)
    window.select_inspection(insp)
    record_menu = next(
        a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "Ghi nhận"
    )
    for action in (
        window.pane.visit_bar.finish_action,
        window.pane.visit_bar.conclude_action,
        window.pane.visit_bar.reopen_action,
    ):
        assert action in record_menu.actions()
    # The menu gives each its letter (common/mnemonics.py); the words stay.
    assert window.pane.visit_bar.finish_action.text().replace("&", "") == "Kết thúc kiểm tra"
    assert window.pane.visit_bar.conclude_action.text().replace("&", "") == "Đánh dấu đã kết luận"
    assert window.pane.visit_bar.reopen_action.text().replace("&", "") == "Mở lại"
    assert (
        window.pane.visit_bar.finish_action.isEnabled()
        and not window.pane.visit_bar.reopen_action.isEnabled()
    )

    changed: list[str] = []
    window.tree_model.dataChanged.connect(lambda *_: changed.append("x"))
    window.pane.visit_bar.finish_action.trigger()
    assert store.planning.inspection(insp)["status"] == "da-kiem-tra"
    assert status_cell(window, insp) == "Đã kiểm tra" and changed
    assert "Đã kiểm tra" in window.pane.header_label.text()
    assert (
        not window.pane.visit_bar.finish_action.isEnabled()
        and window.pane.visit_bar.reopen_action.isEnabled()
    )

    window.pane.visit_bar.conclude_action.trigger()
    assert store.planning.inspection(insp)["status"] == "da-ket-luan"
    assert status_cell(window, insp) == "Đã kết luận"
    assert not window.pane.visit_bar.conclude_action.isEnabled()

    window.pane.visit_bar.reopen_action.trigger()
    assert store.planning.inspection(insp)["status"] == "dang-kiem-tra"
    assert status_cell(window, insp) == "Đang kiểm tra"


def test_unstarted_visit_cannot_be_finished(window: MainWindow, monkeypatch: Any) -> None:
    from desktop.ui.common import dialogs_vi

    warned: list[str] = []
    monkeypatch.setattr(dialogs_vi, "warn", lambda _p, _t, text: warned.append(text))
    store = window.adapter.store
    insp = inspection_id(store, SO_KHCN)
    window.select_inspection(insp)
    assert (
        not window.pane.visit_bar.finish_action.isEnabled()
        and not window.pane.visit_bar.conclude_action.isEnabled()
    )
    # Even when asked directly, the service refuses and the user reads why.
    assert window.adapter.inspection_step(insp, "finish") is None
    assert warned and "chưa bắt đầu" in warned[0]
    assert store.planning.inspection(insp)["status"] == "chua-kiem-tra"
