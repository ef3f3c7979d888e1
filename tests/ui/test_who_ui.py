"""Who recorded what: "Tôi là" names the writer in findings and in the audit log."""

from __future__ import annotations

from typing import Any

import pytest

from desktop.ui.history_dialog import HistoryDialog
from desktop.ui.main_window import MainWindow
from tests.ui.conftest import open_item

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("does not support propagateSizeHints")]

SO_KHCN = "Sở Khoa học và Công nghệ"


def pick_me(window: MainWindow, member: dict[str, Any]) -> None:
    window.me_combo.setCurrentIndex(window.me_combo.findData(member["id"]))


def test_two_members_on_one_item_both_in_history(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = window.adapter.members(window.selection.plan_id or "")[:2]
    assert first["full_name"] != second["full_name"]
    open_item(window, SO_KHCN, "A1.1.2")
    pick_me(window, first)
    assert window.adapter.store.actor == first["full_name"]
    window.editor.choice_action("co").trigger()
    pick_me(window, second)
    assert window.adapter.store.actor == second["full_name"]
    window.editor.choice_action("khong").trigger()
    assert window.editor.current_row["recorded_by"] == second["full_name"]

    shown: list[HistoryDialog] = []
    monkeypatch.setattr(HistoryDialog, "exec", lambda self: shown.append(self) or 0)
    window.editor.history_action.trigger()
    model = shown[0].model
    results = [
        (model.index(r, 1).data(), model.index(r, 3).data())
        for r in range(model.rowCount())
        if model.index(r, 2).data() == "Kết quả"
    ]
    assert results == [
        (first["full_name"], "(trống) → Đạt"),
        (second["full_name"], "Đạt → Không đạt"),
    ]

    # Nobody picked: the actor is cleared (the device name is used instead).
    window.me_combo.setCurrentIndex(0)
    assert window.adapter.store.actor == ""
