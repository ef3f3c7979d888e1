"""The "Đồng bộ" menu's texts, shared by the menu (sync/__init__.py) and the dialogs."""

from __future__ import annotations

T_SYNC_MENU = "Đồ&ng bộ"
T_SYNC_EXPORT = "Xuất tệp đồng bộ…"
T_SYNC_IMPORT = "Nhập tệp đồng bộ…"
T_SYNC_CONFLICTS = "Xung đột…"
T_SYNC_DEVICE = "Mã vân tay của máy này…"
