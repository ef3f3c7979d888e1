"""Backups: "Tệp ▸ Sao lưu và khôi phục…" (the dialog in backups/dialog.py, loaded when used)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QAction

from desktop.ui.shell import ActionId, MenuId

if TYPE_CHECKING:
    from desktop.ui.backups.dialog import BackupsDialog
    from desktop.ui.shell import Shell

T_BACKUPS = "Sao lưu và khôi phục…"


class Backups(QObject):
    """The backups entry of the Tệp menu (before Thoát) and its dialog once opened."""

    def __init__(self, shell: Shell) -> None:
        super().__init__(shell.widget)
        self.shell = shell
        self.dialog: BackupsDialog | None = None
        self.action = QAction(T_BACKUPS, shell.widget)
        self.action.triggered.connect(self.open_dialog)
        quit_action = shell.action(ActionId.QUIT)
        file_menu = shell.menu(MenuId.FILE)
        file_menu.insertAction(quit_action, self.action)
        file_menu.insertSeparator(quit_action)

    @Slot()
    def open_dialog(self) -> BackupsDialog:
        from desktop.ui.backups.dialog import BackupsDialog

        dialog = BackupsDialog(
            self.shell.adapter,
            reopen=self.shell.open_database,
            prepare=self.shell.flush,
            parent=self.shell.widget,
        )
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog


def install(shell: Shell) -> Backups:
    """Add "Sao lưu và khôi phục…" to the Tệp menu (`shell.feature("backups")`)."""
    backups = Backups(shell)
    shell.register_feature("backups", backups)
    return backups
