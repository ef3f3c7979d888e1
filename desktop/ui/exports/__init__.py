"""Exports: the "Xuất báo cáo" menu (minutes, notice, plan report, summary workbook).

`install(shell)` adds the menu, light to import: the export dialogs (exports/dialog.py) are
imported and the `ExportController` made only when an entry is first used (start-up time).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from desktop.ui.exports.labels import EXPORT_LABELS, T_EXPORT_MENU
from desktop.ui.shell import MenuId

if TYPE_CHECKING:
    from desktop.ui.exports.dialog import ExportController
    from desktop.ui.shell import Shell


class Exports(QObject):
    """The export menu and, once used, its controller."""

    def __init__(self, shell: Shell) -> None:
        super().__init__(shell.widget)
        self.shell = shell
        self._controller: ExportController | None = None
        self.menu = shell.add_menu(MenuId.EXPORT, T_EXPORT_MENU)
        self.inspection_actions: list[QAction] = []
        self.plan_actions: list[QAction] = []
        for kind in ("bien-ban", "ket-luan"):
            for fmt in ("pdf", "docx"):
                text = f"{EXPORT_LABELS[kind]} ({fmt.upper()})…"
                action = self._add(text, "export_inspection", kind, fmt)
                self.inspection_actions.append(action)
        self.menu.addSeparator()
        for fmt in ("pdf", "docx"):
            text = f"{EXPORT_LABELS['bao-cao']} ({fmt.upper()})…"
            self.plan_actions.append(self._add(text, "export_plan_report", fmt))
        text = f"{EXPORT_LABELS['tong-hop']} (XLSX)…"
        self.plan_actions.append(self._add(text, "export_summary"))
        self.menu.aboutToShow.connect(self.refresh)

    def _add(self, text: str, method: str, *args: str) -> QAction:
        action = QAction(text, self.menu)
        run: Callable[[], Any] = lambda: getattr(self.controller, method)(*args)  # noqa: E731
        action.triggered.connect(lambda _checked=False: run())
        self.menu.addAction(action)
        return action

    @property
    def controller(self) -> ExportController:
        """The ExportController (exports/dialog.py), made on first use."""
        if self._controller is None:
            from desktop.ui.exports.dialog import ExportController

            selection = self.shell.selection
            self._controller = ExportController(
                self.shell.adapter,
                self.shell.widget,
                current_plan=lambda: selection.plan_id,
                current_inspection=lambda: selection.inspection_id,
            )
        return self._controller

    def refresh(self) -> None:
        """Inspection entries only with a visit open, plan entries only with a plan."""
        selection = self.shell.selection
        for action in self.inspection_actions:
            action.setEnabled(bool(selection.inspection_id))
        for action in self.plan_actions:
            action.setEnabled(bool(selection.plan_id))


def install(shell: Shell) -> Exports:
    """Add "Xuất báo cáo" to the menu bar (`shell.feature("exports")`)."""
    exports = Exports(shell)
    shell.register_feature("exports", exports)
    return exports


__all__ = ["EXPORT_LABELS", "Exports", "QMenu", "install"]
