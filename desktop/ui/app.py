"""Start the window: `kiemtra` (no command), `kiemtra gui`, `python -m desktop`."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

from PySide6.QtCore import QLocale, QTimer
from PySide6.QtWidgets import QApplication

from db import Store
from desktop.ui.main_window import MainWindow
from desktop.ui.opening import make_daily_backup, open_store
from desktop.ui.store_adapter import StoreAdapter

APP_NAME = "Kiểm tra CCHC"
# What follows the start (the day's backup, the collector back on) waits for the window's first
# paint, or this long at most.
BACKUP_AT_LATEST_MS = 2000


def use_vietnamese_locale() -> None:
    """Numbers and dates in Vietnamese for every widget made from now on: spin boxes show
    "0,50" as the tables do, the calendar pop-up names the days in Vietnamese."""
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))


def collect_garbage_again() -> None:
    """Turn the cyclic garbage collector back on after start-up (desktop.launcher turns it
    off). What start-up built lives as long as the program: it is frozen out of the
    collector's reach, so that later full collections do not walk it again."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def create_window(
    db_path: Path, store: Store | None = None, *, defer_extras: bool = False
) -> MainWindow:
    """Build the main window on `store`, or on the database at `db_path` opened for writing
    (the caller shows it). The window's adapter owns the store: close it with
    `window.adapter.close()`. `defer_extras`: see MainWindow.
    """
    use_vietnamese_locale()
    adapter = StoreAdapter(store if store is not None else Store.open(db_path))
    return MainWindow(adapter, defer_extras=defer_extras)


def run(db_path: Path) -> int:
    """Open the main window on `db_path` and run the event loop; the exit code."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    use_vietnamese_locale()
    # Locked by another program or on read-only storage: offer to open it read-only.
    store = open_store(Path(db_path), backup=False)
    if store is None:
        return 1
    # What is not needed to show the checklist is added just after the first paint.
    window = create_window(Path(db_path), store, defer_extras=True)
    backed_up = False

    def backup_once() -> None:
        # Copying the whole file takes a while on a big database: the window shows first.
        # Not after another database was opened in the meantime (that one made its own).
        nonlocal backed_up
        if not backed_up and window.adapter.store is store:
            backed_up = True
            make_daily_backup(store)

    def after_start() -> None:
        collect_garbage_again()
        backup_once()

    window.firstPainted.connect(after_start)
    QTimer.singleShot(BACKUP_AT_LATEST_MS, after_start)
    window.show()
    try:
        return int(app.exec())
    finally:
        after_start()
        window.adapter.close()
