"""Start the window: `kiemtra` (no command), `kiemtra gui`, `python -m desktop`."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from db import Store
from db.connection import StoreError
from desktop.ui.main_window import MainWindow
from desktop.ui.store_adapter import StoreAdapter

APP_NAME = "Kiểm tra CCHC"


def create_window(db_path: Path) -> MainWindow:
    """Open the database and build the main window on it (the caller shows it).

    The window's adapter owns the store: close it with `window.adapter.close()`.
    """
    store = Store.open(db_path)
    return MainWindow(StoreAdapter(store))


def run(db_path: Path) -> int:
    """Open the main window on `db_path` and run the event loop; the exit code."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    try:
        window = create_window(Path(db_path))
    except (StoreError, OSError) as exc:
        QMessageBox.critical(None, APP_NAME, f"Không mở được cơ sở dữ liệu {db_path}:\n{exc}")
        return 1
    window.show()
    try:
        return int(app.exec())
    finally:
        window.adapter.close()
