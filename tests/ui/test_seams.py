"""The house rules of desktop/ui: features plug in through the Shell only, no module too big
to live in (import cycles: tests/test_architecture.py)."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import grimp
import pytest
from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu, QWidget

from desktop.ui.shell import ActionId, Column, MenuId, Selection, Shell
from desktop.ui.store_adapter import StoreAdapter

UI = Path(__file__).resolve().parents[2] / "desktop" / "ui"
FEATURES = (
    "followup",
    "recording",
    "selfassessment",
    "exports",
    "sync",
    "backups",
    "plans",
    "help",
)

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("does not support propagateSizeHints", "does not support raise"),
]


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
    for name in FEATURES:
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
        "Th&eo dõi",
        "&Kết luận",
        "&Xuất báo cáo",
        "Đồ&ng bộ",
        "Trợ giú&p",
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


class FakeShell(QMainWindow):
    """The least a feature needs: what the Shell protocol lists, and nothing of the window."""

    conflictRequested = Signal(str, str)

    def __init__(self, adapter: StoreAdapter) -> None:
        super().__init__()
        self._adapter, self._selection = adapter, Selection(self)
        self.menus: dict[MenuId, QMenu] = {}
        self.features: dict[str, object] = {}
        self.banners: list[QWidget] = []
        self.sections: list[QWidget] = []
        self.columns: dict[Column, bool] = {}
        self.quit_action, self.history_action = QAction("Thoát", self), QAction("Lịch sử", self)
        self.add_menu(MenuId.FILE, "&Tệp").addAction(self.quit_action)
        self.add_menu(MenuId.RECORD, "&Ghi nhận")

    @property
    def adapter(self) -> StoreAdapter:
        return self._adapter

    @property
    def selection(self) -> Selection:
        return self._selection

    @property
    def widget(self) -> QWidget:
        return self

    def menu(self, menu_id: MenuId) -> QMenu:
        return self.menus[menu_id]

    def add_menu(self, menu_id: MenuId, title: str) -> QMenu:
        self.menus[menu_id] = menu = self.menuBar().addMenu(title)
        return menu

    def action(self, action_id: ActionId) -> QAction:
        return self.quit_action if action_id == ActionId.QUIT else self.history_action

    def add_shortcut(self, action: QAction) -> None:
        self.addAction(action)

    def add_editor_section(self, section: QWidget) -> None:
        self.sections.append(section)

    def add_banner(self, banner: QWidget) -> None:
        self.banners.append(banner)

    def set_column_visible(self, column: Column, visible: bool) -> None:
        self.columns[column] = visible

    def flush(self) -> None:
        pass

    def show_status(self, text: str, msecs: int) -> None:
        pass

    def open_inspection(self, inspection_id: str, activate: bool = True) -> None:
        self._selection.set_inspection(inspection_id)

    def open_database(self, path: Path) -> bool:
        return False

    def register_feature(self, name: str, feature: object) -> None:
        self.features[name] = feature

    def feature(self, name: str) -> Any:
        return self.features[name]


def test_features_install_on_any_shell(qtbot: Any, adapter: StoreAdapter) -> None:
    """Each feature can be built alone, on a shell that is not the main window."""
    import importlib

    shell = FakeShell(adapter)
    qtbot.addWidget(shell)
    typed: Shell = shell  # mypy: the fake is a Shell
    for name in FEATURES:
        importlib.import_module(f"desktop.ui.{name}").install(typed)
    assert set(shell.features) == set(FEATURES)
    assert len(shell.sections) == 3 and len(shell.banners) == 2  # follow-up, plans
    titles = [a.text() for a in shell.menuBar().actions()]
    assert titles == [
        "&Tệp",
        "&Ghi nhận",
        "Th&eo dõi",
        "&Kết luận",
        "&Xuất báo cáo",
        "Đồ&ng bộ",
        "Trợ giú&p",
    ]
    # The banner follows the selection, not the window.
    plan = adapter.plans()[0]["id"]
    first = adapter.inspections(plan)[0]["id"]
    shell.selection.set_plan(plan)
    shell.selection.set_inspection(first)
    exports = shell.feature("exports")
    exports.refresh()
    assert all(a.isEnabled() for a in exports.inspection_actions + exports.plan_actions)
