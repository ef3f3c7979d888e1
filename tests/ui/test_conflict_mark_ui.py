"""A finding with an unresolved sync conflict is marked in the table and in the editor."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from db import Store
from desktop.ui.checklist_model import ChecklistTableModel
from desktop.ui.main_window import MainWindow
from desktop.ui.models import CONFLICT
from tests.ui.conftest import inspection_id, open_item

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("does not support propagateSizeHints", "does not support raise"),
]

SO_KHCN = "Sở Khoa học và Công nghệ"


def make_conflict(store: Store, insp: str, item_id: str) -> None:
    """Another laptop edited the same first version of the finding."""
    first = store.findings.set_finding(insp, item_id, {"note": "Bản đầu"})
    store.findings.set_finding(insp, item_id, {"note": "Máy này sửa"})
    wall = int(first["hlc"].split(".")[0]) + 1
    theirs = {
        **store.core.get_row("findings", first["id"]),
        "note": "Máy kia sửa",
        "hlc": f"{wall:013d}.00000.may-kia",
        "origin": "may-kia",
        "base_hlc": first["hlc"],
    }
    with store.transaction():
        assert store.sync.merge.merge_version("findings", theirs) == "conflict"


def test_conflict_marked_in_table_and_editor(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = window.adapter.store
    insp = inspection_id(store, SO_KHCN)
    item = store.findings.item_id_for_code(insp, "A1.1.2")
    other = store.findings.item_id_for_code(insp, "A1.1.3")
    assert item and other
    make_conflict(store, insp, item)
    window.select_inspection(None)
    row = open_item(window, SO_KHCN, "A1.1.2")
    model = window.table_model
    cell = model.index(model.row_for_item(row["item_id"]), ChecklistTableModel.COL_CODE)
    assert cell.data(Qt.ItemDataRole.DecorationRole) is not None
    assert cell.data(Qt.ItemDataRole.ToolTipRole) == CONFLICT
    assert model.conflicted() == [item]
    editor = window.editor
    assert editor.conflict_banner.isVisibleTo(editor)

    # The banner's button opens the conflicts view on this finding.
    shown: list[Any] = []
    controller = window.feature("sync").controller
    real = controller.show_conflicts

    def show_conflicts() -> Any:
        dialog = real()
        shown.append(dialog)
        return dialog

    monkeypatch.setattr(controller, "show_conflicts", show_conflicts)
    editor.conflict_button.click()
    assert shown
    view = shown[0].view
    current = view.current_conflict()
    assert current is not None and current["row_id"] == store.findings.finding(insp, item)["id"]

    # Resolved: the mark goes away.
    assert view.resolve_current("mine")
    assert model.conflicted() == []
    assert cell.data(Qt.ItemDataRole.DecorationRole) is None
    assert not editor.conflict_banner.isVisibleTo(editor)
    shown[0].close()

    # An item without a conflict shows no banner.
    open_item(window, SO_KHCN, "A1.1.3")
    assert not editor.conflict_banner.isVisibleTo(editor)
