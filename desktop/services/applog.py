"""The program's log: one rotating file in the data folder, beside the database.

`<folder of the database>/logs/kiemtra.log` (next to backups/ and keys/), at most
LOG_MAX_BYTES, with LOG_BACKUPS older files beside it. Nothing is written, and not even the
folder is made, until there is something to log: starting the program costs one handler.

An unexpected error (a bug, not a refusal the user can act on) is logged here with its
traceback; the user sees one Vietnamese line (`unexpected_message`). The window installs this
through desktop.ui.app, the command line through desktop.launcher. Plain Python, no Qt.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from types import TracebackType

LOG_DIR = "logs"
LOG_NAME = "kiemtra.log"
LOG_MAX_BYTES = 1_000_000
LOG_BACKUPS = 3
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s]: %(message)s"

log = logging.getLogger("desktop")

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def log_path_for(db_path: str | Path) -> Path:
    """Where the log of the database at `db_path` is kept."""
    return Path(db_path).parent / LOG_DIR / LOG_NAME


class _FolderMakingHandler(logging.FileHandler):
    """logging.handlers.RotatingFileHandler's job, without importing logging.handlers (it
    pulls in socket, pickle and queue: about 6 ms before the window's first paint).

    The file is opened, and its folder made, only when the first record comes, so a start-up
    that logs nothing touches nothing on disk. Past LOG_MAX_BYTES the file becomes
    `kiemtra.log.1` (the older ones shift up to LOG_BACKUPS, the oldest goes).
    """

    failed = False

    def __init__(self, path: Path) -> None:
        super().__init__(path, encoding="utf-8", delay=True)

    def _open(self):  # type: ignore[no-untyped-def]  # the base's signature is untyped
        Path(self.baseFilename).parent.mkdir(parents=True, exist_ok=True)
        return super()._open()

    def emit(self, record: logging.LogRecord) -> None:
        # Called with the handler's lock held (Handler.handle): rotation is thread-safe.
        try:
            if _size(self.baseFilename) >= LOG_MAX_BYTES:
                self._rotate()
        except OSError:
            self.handleError(record)
            return
        super().emit(record)

    def _rotate(self) -> None:
        if self.stream is not None:
            self.stream.close()
            self.stream = None  # reopened by the next emit
        base = self.baseFilename
        for index in range(LOG_BACKUPS - 1, 0, -1):
            if os.path.exists(f"{base}.{index}"):
                os.replace(f"{base}.{index}", f"{base}.{index + 1}")
        os.replace(base, f"{base}.1")

    def handleError(self, record: logging.LogRecord) -> None:
        # Remember it: log_unexpected then prints the traceback itself, so it is never lost.
        self.failed = True


def setup_logging(db_path: str | Path) -> Path:
    """Send warnings and errors of the whole program to the log beside `db_path`.

    Calling it again (another database, a test) replaces the handler it added before; the
    path of the log file is returned.
    """
    path = log_path_for(db_path).absolute()
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, _FolderMakingHandler):
            if Path(handler.baseFilename) == path:
                return path
            root.removeHandler(handler)
            handler.close()
    handler = _FolderMakingHandler(path)
    handler.setLevel(logging.INFO)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root.addHandler(handler)
    if log.level == logging.NOTSET or log.level > logging.INFO:
        log.setLevel(logging.INFO)  # the program's own notes; libraries stay at WARNING
    return path


def stop_logging() -> None:
    """Close the log file and remove the handler `setup_logging` added (tests, shutdown)."""
    handler = _handler()
    if handler is not None:
        logging.getLogger().removeHandler(handler)
        handler.close()


def current_log_path() -> Path | None:
    """The file `setup_logging` writes to, or None before it was called."""
    handler = _handler()
    return Path(handler.baseFilename) if handler is not None else None


def log_unexpected(exc_info: ExcInfo, where: str) -> Path | None:
    """Write an unexpected exception and its traceback to the log; the log file's path.

    When the log cannot be written (no handler yet, a read-only disk), the traceback goes to
    stderr instead, so it is never lost; the return value is then None.
    """
    handler = _handler()
    if handler is not None:
        handler.failed = False
        log.error("Lỗi không mong muốn (%s)", where, exc_info=exc_info)
        handler.flush()
        if not handler.failed:
            return Path(handler.baseFilename)
    import traceback

    traceback.print_exception(*exc_info, file=sys.stderr)
    return None


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except FileNotFoundError:
        return 0


def _handler() -> _FolderMakingHandler | None:
    for handler in logging.getLogger().handlers:
        if isinstance(handler, _FolderMakingHandler):
            return handler
    return None


def unexpected_message(exc: BaseException, log_file: Path | None) -> str:
    """The one Vietnamese line the user sees for an unexpected error."""
    where = f" Chi tiết đã được ghi vào nhật ký: {log_file}" if log_file else ""
    kind = type(exc).__name__
    return f"Đã xảy ra lỗi không mong muốn ({kind}).{where}"
