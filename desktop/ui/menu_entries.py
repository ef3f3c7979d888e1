"""Menu entries the main window installs at start, light to import: the window they open is
built, and its module imported, only when the entry is first used (issue 8, start-up time).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

# Strings the user sees.
T_BACKUPS = "Sao lưu và khôi phục…"
T_EXPORT_MENU = "&Xuất báo cáo"
EXPORT_LABELS = {
    "bien-ban": "Biên bản kiểm tra",
    "ket-luan": "Thông báo kết luận",
    "bao-cao": "Báo cáo kết quả kiểm tra",
    "tong-hop": "Bảng tổng hợp",
}
T_SYNC_MENU = "Đồ&ng bộ"
T_SYNC_EXPORT = "Xuất tệp đồng bộ…"
T_SYNC_IMPORT = "Nhập tệp đồng bộ…"
T_SYNC_CONFLICTS = "Xung đột…"
T_SYNC_DEVICE = "Mã vân tay của máy này…"


def export_controller(window: Any) -> Any:
    """The window's ExportController (desktop/ui/export_dialog.py), made on first use."""
    controller = window.__dict__.get("export_controller")
    if controller is None:
        from desktop.ui.export_dialog import ExportController

        controller = ExportController(
            window.adapter,
            window,
            current_plan=lambda: getattr(window, "_plan_id", None),
            current_inspection=lambda: getattr(window, "_inspection_id", None),
        )
        window.export_controller = controller
    return controller


def sync_controller(window: Any) -> Any:
    """The window's SyncController (desktop/ui/sync_dialogs.py), made on first use."""
    controller = window.__dict__.get("sync_controller")
    if controller is None:
        from desktop.ui.sync_dialogs import SyncController

        controller = SyncController(
            window.adapter,
            window,
            current_plan=lambda: getattr(window, "_plan_id", None),
            reopen=window.open_database,
            flush=window.editor.flush,
        )
        window.sync_controller = controller
    return controller


def _add(menu: QMenu, text: str, slot: Callable[[], Any]) -> QAction:
    action = QAction(text, menu)
    action.triggered.connect(lambda _checked=False: slot())
    menu.addAction(action)
    return action


def install_export_menu(window: Any) -> QMenu:
    """Add "Xuất báo cáo" to the window's menu bar (`window.export_menu`); the inspection
    entries are enabled only when a visit is open, the plan entries when a plan is."""
    menu = QMenu(T_EXPORT_MENU, window)
    inspection_actions: list[QAction] = []
    plan_actions: list[QAction] = []

    def export(method: str, *args: str) -> Callable[[], Any]:
        return lambda: getattr(export_controller(window), method)(*args)

    for kind in ("bien-ban", "ket-luan"):
        for fmt in ("pdf", "docx"):
            text = f"{EXPORT_LABELS[kind]} ({fmt.upper()})…"
            inspection_actions.append(_add(menu, text, export("export_inspection", kind, fmt)))
    menu.addSeparator()
    for fmt in ("pdf", "docx"):
        text = f"{EXPORT_LABELS['bao-cao']} ({fmt.upper()})…"
        plan_actions.append(_add(menu, text, export("export_plan_report", fmt)))
    text = f"{EXPORT_LABELS['tong-hop']} (XLSX)…"
    plan_actions.append(_add(menu, text, export("export_summary")))

    def refresh() -> None:
        has_inspection = bool(getattr(window, "_inspection_id", None))
        has_plan = bool(getattr(window, "_plan_id", None))
        for action in inspection_actions:
            action.setEnabled(has_inspection)
        for action in plan_actions:
            action.setEnabled(has_plan)

    menu.aboutToShow.connect(refresh)
    window.export_menu = menu
    window.menuBar().addMenu(menu)
    return menu


def install_sync_menu(window: Any) -> QMenu:
    """Add "Đồng bộ" to the window's menu bar (`window.sync_menu`)."""
    menu = QMenu(T_SYNC_MENU, window)
    for text, method in (
        (T_SYNC_EXPORT, "export_package"),
        (T_SYNC_IMPORT, "import_package"),
        (T_SYNC_CONFLICTS, "show_conflicts"),
        (T_SYNC_DEVICE, "show_device"),
    ):
        _add(menu, text, lambda method=method: getattr(sync_controller(window), method)())
        if text == T_SYNC_IMPORT:
            menu.addSeparator()
    window.sync_menu = menu
    window.menuBar().addMenu(menu)
    return menu


def install_backups_action(window: Any) -> QAction:
    """Add "Sao lưu và khôi phục…" to the window's Tệp menu (before Thoát)."""
    action = QAction(T_BACKUPS, window)

    def open_dialog() -> None:
        from desktop.ui.backups_dialog import BackupsDialog

        dialog = BackupsDialog(
            window.adapter,
            reopen=window.open_database,
            prepare=window.editor.flush,
            parent=window,
        )
        window.backups_dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    action.triggered.connect(lambda _checked=False: open_dialog())
    quit_action = getattr(window, "quit_action", None)
    file_menu = next(
        (m for m in window.menuBar().findChildren(QMenu) if quit_action in m.actions()),
        None,
    )
    if file_menu is None:
        file_menu = window.menuBar().addMenu("&Tệp")
        file_menu.addAction(action)
    else:
        file_menu.insertAction(quit_action, action)
        file_menu.insertSeparator(quit_action)
    window.backups_action = action
    return action
