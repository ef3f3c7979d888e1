"""The house rules of desktop/ui: features plug in through the Shell only, no import cycle,
no module too big to live in."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import grimp
import pytest

from desktop.ui.shell import ActionId, Column, MenuId

UI = Path(__file__).resolve().parents[2] / "desktop" / "ui"
FEATURES = ("followup", "recording", "selfassessment", "exports", "sync", "backups")

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("does not support propagateSizeHints", "does not support raise"),
]


def test_no_import_cycle_inside_desktop_ui() -> None:
    graph = grimp.build_graph("desktop")
    ui = sorted(m for m in graph.modules if m.startswith("desktop.ui"))
    cycles = {
        tuple(sorted((a, b)))
        for a in ui
        for b in graph.find_modules_directly_imported_by(a)
        if b.startswith("desktop.ui") and graph.chain_exists(importer=b, imported=a)
    }
    assert cycles == set()


def test_features_never_import_the_window() -> None:
    graph = grimp.build_graph("desktop")
    for feature in FEATURES:
        for module in graph.find_descendants(f"desktop.ui.{feature}") | {f"desktop.ui.{feature}"}:
            assert not graph.chain_exists(importer=module, imported="desktop.ui.main_window"), (
                module
            )


def test_module_sizes() -> None:
    sizes = {p: len(p.read_text(encoding="utf-8").splitlines()) for p in UI.rglob("*.py")}
    assert [str(p) for p, n in sizes.items() if n > 500] == []
    assert sizes[UI / "main_window.py"] < 400


def test_no_surgery() -> None:
    """No __getattr__ on widgets, no walking a layout, no menu found by its text."""
    problems: list[str] = []
    for path in UI.rglob("*.py"):
        if path.name == "read_only_store.py":  # a proxy object, not a widget
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name == "__getattr__":
                problems.append(f"{path.name}: __getattr__")
            if isinstance(node, ast.Attribute) and node.attr == "layout":
                if isinstance(node.value, ast.Call) and "parentWidget" in ast.unparse(node.value):
                    problems.append(f"{path.name}:{node.lineno} layout walking")
            if isinstance(node, ast.Call) and ast.unparse(node.func).endswith("menuBar().actions"):
                problems.append(f"{path.name}:{node.lineno} menus by text")
    assert problems == []


def test_features_are_reached_by_the_shell(window: Any) -> None:
    for name in ("followup", "recording", "selfassessment", "exports", "sync", "backups"):
        assert window.feature(name) is not None
    record = window.menu(MenuId.RECORD)
    assert window.action(ActionId.HISTORY) in record.actions()
    assert window.feature("selfassessment").export_action in record.actions()
    file_menu = window.menu(MenuId.FILE)
    actions = file_menu.actions()
    assert actions.index(window.feature("backups").action) < actions.index(
        window.action(ActionId.QUIT)
    )
    # Texts are the user's business; ids stay.
    titles = [window.menu(m).title() for m in MenuId]
    assert titles == [
        "&Tệp",
        "&Ghi nhận",
        "&Lọc",
        "&Theo dõi",
        "&Kết luận",
        "&Xuất báo cáo",
        "Đồ&ng bộ",
    ]
    assert [a.menu().title() for a in window.menuBar().actions()] == titles


def test_selection_follows_the_window(window: Any, qtbot: Any) -> None:
    plan = window.selection.plan_id
    assert plan
    visits = window.adapter.inspections(plan)
    target = next(v["id"] for v in visits if v["id"] != window.selection.inspection_id)
    with qtbot.waitSignal(window.selection.inspectionChanged) as blocker:
        window.select_inspection(target)
    assert blocker.args == [target]
    assert window.selection.inspection_id == target
    assert window.selection.item is window.editor.current_row
    item = window.selection.item
    with qtbot.waitSignal(window.selection.itemChanged) as changed:
        window.editor.choose(window.editor.choice_keys()[0])
    assert changed.args[0]["item_id"] == item["item_id"]
    assert changed.args[0]["result"]


def test_column_visibility_through_the_shell(window: Any) -> None:
    from desktop.ui.checklist_model import ChecklistTableModel

    window.set_column_visible(Column.SELF_ASSESSMENT, True)
    assert not window.table.isColumnHidden(ChecklistTableModel.COL_SELF)
    window.set_column_visible(Column.SELF_ASSESSMENT, False)
    assert window.table.isColumnHidden(ChecklistTableModel.COL_SELF)
