"""Start the window: `kiemtra` (no command), `kiemtra gui`, `python -m desktop`."""

from __future__ import annotations

import gc
import sys
import threading
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QLocale, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from db import Store
from desktop.services import applog
from desktop.ui.common.file_dialogs import install_vietnamese_qt
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


T_UNEXPECTED_TITLE = "Lỗi không mong muốn"


class ErrorReporter(QObject):
    """The program's last word on an exception nobody caught (sys.excepthook, and
    threading.excepthook for worker threads): the traceback goes to the log in the data
    folder, the user gets one Vietnamese message box. Shown from the GUI thread (a queued
    signal), one at a time: errors raised while a message is open are only logged."""

    report = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._showing = False
        self._previous = (sys.excepthook, threading.excepthook)
        self.report.connect(self._show)

    def install(self) -> None:
        """Become sys.excepthook and threading.excepthook (until `uninstall`)."""
        self._previous = (sys.excepthook, threading.excepthook)
        sys.excepthook = self.excepthook
        threading.excepthook = self.thread_excepthook

    def uninstall(self) -> None:
        """Give the hooks back to what was there before `install`."""
        sys.excepthook, threading.excepthook = self._previous

    def excepthook(
        self, kind: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        self._handle((kind, exc, tb), "giao diện")

    def thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None or issubclass(args.exc_type, SystemExit):
            return
        name = args.thread.name if args.thread is not None else "?"
        self._handle((args.exc_type, args.exc_value, args.exc_traceback), f"luồng {name}")

    def _handle(self, exc_info: applog.ExcInfo, where: str) -> None:
        log_file = applog.log_unexpected(exc_info, where)
        # Queued when raised on another thread; direct (shown now) on the GUI thread.
        self.report.emit(applog.unexpected_message(exc_info[1], log_file))

    def _show(self, message: str) -> None:
        if self._showing:
            return
        self._showing = True
        try:
            from desktop.ui.common import dialogs_vi

            app = QApplication.instance()
            parent = app.activeWindow() if isinstance(app, QApplication) else None
            dialogs_vi.error(parent, T_UNEXPECTED_TITLE, message)
        except Exception:  # the last resort must not raise in turn: one line on stderr
            print(f"Lỗi: {message}", file=sys.stderr)
        finally:
            self._showing = False


def install_error_reporter(app: QObject, db_path: Path) -> ErrorReporter:
    """Log to the data folder of `db_path` and report uncaught exceptions (see ErrorReporter);
    the reporter lives as long as `app`."""
    applog.setup_logging(db_path)
    reporter = ErrorReporter(app)
    reporter.install()
    return reporter


def create_window(
    db_path: Path, store: Store | None = None, *, defer_extras: bool = False
) -> MainWindow:
    """Build the main window on `store`, or on the database at `db_path` opened for writing
    (the caller shows it). The window's adapter owns the store: close it with
    `window.adapter.close()`. `defer_extras`: see MainWindow.
    """
    use_vietnamese_locale()
    from desktop.sync.audit_head import attach, install

    # The window's store (and every store opened after it, a worker's) signs its audit head
    # as it moves (issue 15, finding 8).
    install()
    store = attach(store) if store is not None else Store.open(db_path)
    adapter = StoreAdapter(store)
    return MainWindow(adapter, defer_extras=defer_extras)


def run(db_path: Path) -> int:
    """Open the main window on `db_path` and run the event loop; the exit code."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    use_vietnamese_locale()
    install_vietnamese_qt(app)  # Qt's own strings (file dialogs, menus of text fields)
    reporter = install_error_reporter(app, Path(db_path))
    # Locked by another program or on read-only storage: offer to open it read-only.
    store = open_store(Path(db_path), backup=False)
    if store is None:
        reporter.uninstall()
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
        reporter.uninstall()
