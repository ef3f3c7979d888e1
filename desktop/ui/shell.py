"""The seam between the main window and the features that plug into it.

The main window (desktop/ui/main_window.py) is a shell: it lays out the navigator, the
checklist and the finding editor, and offers features the `Shell` interface below. A feature
(recording, self-assessment, follow-up, exports, sync, backups) lives in its own subpackage and
installs itself with `install(shell)`, using only this interface: never the window's widgets,
never its layout, never a private field.

    from desktop.ui.shell import MenuId, Shell

    def install(shell: Shell) -> MyFeature:
        menu = shell.add_menu(MenuId.FOLLOWUP, "Th&eo dõi")
        shell.selection.inspectionChanged.connect(...)
        feature = MyFeature(shell)
        shell.register_feature("myfeature", feature)
        return feature

This module imports no feature and no window, so that features and the window both depend on
it and never on each other (no import cycle).
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, Signal, SignalInstance
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

if TYPE_CHECKING:
    from desktop.ui.store_adapter import StoreAdapter


class MenuId(StrEnum):
    """The menus of the menu bar, by id (their visible texts may change)."""

    FILE = "file"  # Tệp
    RECORD = "record"  # Ghi nhận
    FILTER = "filter"  # Lọc
    FOLLOWUP = "followup"  # Theo dõi
    CONCLUSION = "conclusion"  # Kết luận
    EXPORT = "export"  # Xuất báo cáo
    SYNC = "sync"  # Đồng bộ
    HELP = "help"  # Trợ giúp


class ActionId(StrEnum):
    """Actions of the shell a feature may place in its menus, by id."""

    QUIT = "quit"  # Tệp ▸ Thoát (the backups entry goes before it)
    HISTORY = "history"  # the finding editor's "Lịch sử thay đổi" (Ctrl+H)


class Column(StrEnum):
    """Checklist columns a feature may show or hide."""

    SELF_ASSESSMENT = "self"  # the unit's own answers (Tự đánh giá)


class Selection(QObject):
    """What the user has open: the plan, the visit (inspection) and the checklist item.

    Signals (emitted only when the value changes):
      planChanged(plan_id: str) — "" for none.
      inspectionChanged(inspection_id: str) — a visit was opened ("" for none).
      itemChanged(item: object) — the current checklist row (a dict) or None.
    """

    planChanged = Signal(str)
    inspectionChanged = Signal(str)
    itemChanged = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._plan_id: str | None = None
        self._inspection_id: str | None = None
        self._item: dict[str, Any] | None = None

    @property
    def plan_id(self) -> str | None:
        return self._plan_id

    @property
    def inspection_id(self) -> str | None:
        return self._inspection_id

    @property
    def item(self) -> dict[str, Any] | None:
        return self._item

    def set_plan(self, plan_id: str | None) -> None:
        """Make a plan current (the shell does; features only read)."""
        if plan_id != self._plan_id:
            self._plan_id = plan_id
            self.planChanged.emit(plan_id or "")

    def set_inspection(self, inspection_id: str | None, *, announce: bool = True) -> None:
        """Make a visit current; `announce=False` defers the signal to `announce_inspection`
        (the shell sets the id first, loads the checklist, then announces)."""
        self._inspection_id = inspection_id
        if announce:
            self.announce_inspection()

    def announce_inspection(self) -> None:
        """Emit inspectionChanged for the current visit (after its checklist is loaded)."""
        self.inspectionChanged.emit(self._inspection_id or "")

    def set_item(self, item: dict[str, Any] | None) -> None:
        """Make a checklist row current."""
        if item is not self._item:
            self._item = item
            self.itemChanged.emit(item)


class Shell(Protocol):
    """What the main window offers a feature. `widget` is the parent for dialogs."""

    @property
    def adapter(self) -> StoreAdapter: ...

    @property
    def selection(self) -> Selection: ...

    @property
    def widget(self) -> QWidget: ...

    @property
    def conflictRequested(self) -> SignalInstance:  # noqa: N802 — a Qt signal's name
        """(inspection_id, item_id): the user asked to see the conflict over a finding."""
        ...

    def menu(self, menu_id: MenuId) -> QMenu:
        """A menu of the menu bar by id (KeyError when it was never added)."""
        ...

    def add_menu(self, menu_id: MenuId, title: str) -> QMenu:
        """Add a menu at the end of the menu bar under `menu_id`."""
        ...

    def action(self, action_id: ActionId) -> QAction:
        """One of the shell's actions by id."""
        ...

    def add_shortcut(self, action: QAction) -> None:
        """Make an action's shortcut work anywhere in the window."""
        ...

    def add_editor_section(self, section: QWidget) -> None:
        """Add a section under the finding editor (it follows the current item itself)."""
        ...

    def add_banner(self, banner: QWidget) -> None:
        """Put a banner above the checklist, under the unit's header."""
        ...

    def set_column_visible(self, column: Column, visible: bool) -> None:
        """Show or hide a checklist column."""
        ...

    def flush(self) -> None:
        """Save what the finding editor holds (before a dialog reads the database)."""
        ...

    def show_status(self, text: str, msecs: int) -> None:
        """A passing message in the window's status bar."""
        ...

    def open_inspection(self, inspection_id: str, activate: bool = True) -> None:
        """Show a visit, switching plans when needed."""
        ...

    def open_database(self, path: Path) -> bool:
        """Reopen the window on a database file (after a restore or an import)."""
        ...

    def register_feature(self, name: str, feature: object) -> None:
        """Remember what a feature installed, for `feature(name)` (tests, other features)."""
        ...

    def feature(self, name: str) -> Any:
        """What the feature `name` registered (installing the features first if deferred)."""
        ...
