"""Start the window: `kiemtra` (no command), `kiemtra gui`, `python -m desktop`."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication

from db import Store
from desktop.ui.main_window import MainWindow
from desktop.ui.opening import open_store
from desktop.ui.store_adapter import StoreAdapter

APP_NAME = "Kiểm tra CCHC"


def use_vietnamese_locale() -> None:
    """Numbers and dates in Vietnamese for every widget made from now on: spin boxes show
    "0,50" as the tables do, the calendar pop-up names the days in Vietnamese."""
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))


def create_window(db_path: Path, store: Store | None = None) -> MainWindow:
    """Build the main window on `store`, or on the database at `db_path` opened for writing
    (the caller shows it). The window's adapter owns the store: close it with
    `window.adapter.close()`.
    """
    use_vietnamese_locale()
    return MainWindow(StoreAdapter(store if store is not None else Store.open(db_path)))


def run(db_path: Path) -> int:
    """Open the main window on `db_path` and run the event loop; the exit code."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    use_vietnamese_locale()
    # Locked by another program or on read-only storage: offer to open it read-only.
    store = open_store(Path(db_path))
    if store is None:
        return 1
    window = create_window(Path(db_path), store)
    window.show()
    try:
        return int(app.exec())
    finally:
        window.adapter.close()
