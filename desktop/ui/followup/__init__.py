"""Follow-up: install(shell) adds the "Theo dõi" menu (register Ctrl+R, dashboard) and the
earlier-years banner; the dashboard (QtCharts) is imported only when it is opened."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction, QKeySequence

from desktop.ui.followup.banner import EarlierBanner
from desktop.ui.followup.register import T_DASHBOARD, T_MENU, T_REGISTER
from desktop.ui.followup.window import FollowupWindow
from desktop.ui.shell import MenuId

if TYPE_CHECKING:
    from desktop.ui.shell import Shell


class FollowupMenu(QObject):
    """The "Theo dõi" menu of the shell and the windows it opens (built on demand)."""

    def __init__(self, shell: Shell) -> None:
        super().__init__(shell.widget)
        self.shell = shell
        parent = shell.widget
        self.register_window: FollowupWindow | None = None
        self.dashboard: Any = None
        self.register_action = QAction(T_REGISTER, parent)
        self.register_action.setShortcut(QKeySequence("Ctrl+R"))
        self.register_action.setToolTip(f"{T_REGISTER} (Ctrl+R)")
        self.register_action.triggered.connect(self.show_register)
        self.dashboard_action = QAction(T_DASHBOARD, parent)
        self.dashboard_action.triggered.connect(self.show_dashboard)
        menu = shell.add_menu(MenuId.FOLLOWUP, T_MENU)
        menu.addAction(self.register_action)
        menu.addAction(self.dashboard_action)
        shell.add_shortcut(self.register_action)
        # Under the unit header above the checklist; it follows the opened visit.
        self.banner = EarlierBanner(shell.adapter, parent)
        shell.add_banner(self.banner)
        shell.selection.inspectionChanged.connect(self.banner.set_inspection)
        self.banner.set_inspection(shell.selection.inspection_id or "")

    @Slot()
    def show_register(self) -> FollowupWindow:
        if self.register_window is None:
            self.register_window = FollowupWindow(self.shell.adapter, self.shell.widget)
            self.register_window.inspectionRequested.connect(self.shell.open_inspection)
        self.register_window.set_plan(self.shell.selection.plan_id)
        self.register_window.show()
        self.register_window.raise_()
        self.register_window.activateWindow()
        return self.register_window

    @Slot(str, list)
    def _units_picked(self, _title: str, units: list[dict[str, Any]]) -> None:
        if units:
            self.shell.open_inspection(units[0]["id"], activate=False)

    @Slot()
    def show_dashboard(self) -> Any:
        from desktop.ui.followup.dashboard import DashboardWindow  # QtCharts: only when asked for

        if self.dashboard is None:
            self.dashboard = DashboardWindow(self.shell.adapter, self.shell.widget)
            self.dashboard.inspectionRequested.connect(self.shell.open_inspection)
            # Units picked on a chart: the first is selected in the navigator behind.
            self.dashboard.unitsPicked.connect(self._units_picked)
        self.dashboard.set_plan(self.shell.selection.plan_id)
        self.dashboard.show()
        self.dashboard.raise_()
        self.dashboard.activateWindow()
        return self.dashboard


def install(shell: Shell) -> FollowupMenu:
    """Add follow-up to the shell: the "Theo dõi" menu and the earlier-years banner."""
    feature = FollowupMenu(shell)
    shell.register_feature("followup", feature)
    return feature
