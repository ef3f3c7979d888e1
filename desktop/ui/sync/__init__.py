"""Sync by files: the "Đồng bộ" menu (export, import, conflicts, this laptop's key).

`install(shell)` adds the menu, light to import: the dialogs (sync/dialogs.py) and the
`SyncController` (sync/controller.py) load when an entry is first used (start-up time).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction

from desktop.ui.shell import MenuId
from desktop.ui.sync.labels import (
    T_SYNC_CONFLICTS,
    T_SYNC_DEVICE,
    T_SYNC_EXPORT,
    T_SYNC_IMPORT,
    T_SYNC_MENU,
)

if TYPE_CHECKING:
    from desktop.ui.shell import Shell
    from desktop.ui.sync.controller import SyncController


class Sync(QObject):
    """The sync menu and, once used, its controller."""

    def __init__(self, shell: Shell) -> None:
        super().__init__(shell.widget)
        self.shell = shell
        self._controller: SyncController | None = None
        self.menu = shell.add_menu(MenuId.SYNC, T_SYNC_MENU)
        for text, method in (
            (T_SYNC_EXPORT, "export_package"),
            (T_SYNC_IMPORT, "import_package"),
            (T_SYNC_CONFLICTS, "show_conflicts"),
            (T_SYNC_DEVICE, "show_device"),
        ):
            action = QAction(text, self.menu)
            action.triggered.connect(
                lambda _checked=False, method=method: getattr(self.controller, method)()
            )
            self.menu.addAction(action)
            if text == T_SYNC_IMPORT:
                self.menu.addSeparator()
        shell.conflictRequested.connect(self.show_conflict)

    @property
    def controller(self) -> SyncController:
        """The SyncController (sync/controller.py), made on first use."""
        if self._controller is None:
            from desktop.ui.sync.controller import SyncController

            selection = self.shell.selection
            self._controller = SyncController(
                self.shell.adapter,
                self.shell.widget,
                current_plan=lambda: selection.plan_id,
                reopen=self.shell.open_database,
                flush=self.shell.flush,
            )
        return self._controller

    @Slot(str, str)
    def show_conflict(self, inspection_id: str, item_id: str) -> None:
        """Open Đồng bộ ▸ Xung đột on the conflict over this item's finding."""
        dialog = self.controller.show_conflicts()
        finding = self.shell.adapter.finding(inspection_id, item_id)
        if finding is not None:
            dialog.view.select_row_id(finding["id"])


def install(shell: Shell) -> Sync:
    """Add "Đồng bộ" to the menu bar (`shell.feature("sync")`)."""
    sync = Sync(shell)
    shell.register_feature("sync", sync)
    return sync
