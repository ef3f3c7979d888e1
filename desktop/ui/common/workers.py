"""Long work off the GUI thread: a QRunnable on the global QThreadPool, a cancellable progress
dialog, and the outcome back as signals.

    task = Task(parent, "Xuất báo cáo", "Đang lập biên bản…", work)
    task.succeeded.connect(...); task.failed.connect(...)
    task.start()

`work(progress)` runs in a pool thread. It receives the services' callback
`progress(done, total) -> bool`: each call moves the dialog's bar, and returns False once the
user pressed "Hủy" (the services then raise scoring.Cancelled and leave nothing behind).

Databases and threads (the design choice): a task never uses the GUI's Store. It opens its own
Store on the same file inside the pool thread (`own_store`) and closes it there:
- reports, previews and backups read through a read-only Store (no writer lock, `query_only`);
- sync export and import write, through a second writable Store in this process — the writer
  lock (db/lock.py) is re-entrant within one process, and SQLite's WAL serialises the two
  connections. While such a task runs, the progress dialog is window-modal and not cancellable
  (an import is one transaction, all or nothing), the editor has been flushed before, so the
  GUI does not write at the same time; should a stray GUI write still meet the import's write
  transaction, SQLite's busy timeout makes it wait. Afterwards the window reopens the file
  (MainWindow.open_database) so the GUI's Store gets a fresh clock that has seen every
  imported stamp and the navigator reloads.

Errors: UserError and StoreError (what the user can act on) arrive as `failed(message)`; any
other exception is our bug: its traceback goes to the log and `failed` carries a short message
saying so.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QProgressDialog, QWidget

from db import Store
from db.errors import StoreError
from desktop.services.errors import UserError
from desktop.services.scoring import Cancelled
from desktop.ui import strings
from desktop.ui.common import dialogs_vi

log = logging.getLogger(__name__)

# Strings the user sees.
T_CANCEL = strings.CANCEL
T_CANCELLING = "Đang hủy…"
T_BUG = (
    "Đã xảy ra lỗi ngoài dự kiến: {error}\n"
    "Chi tiết kỹ thuật đã được ghi vào nhật ký của chương trình."
)

Progress = Callable[[int, int], bool]
Work = Callable[[Progress], Any]


@contextlib.contextmanager
def own_store(path: Path, *, read_only: bool) -> Iterator[Store]:
    """A Store of the task's own on `path`, opened and closed in the calling thread."""
    store = Store.open(path, read_only=read_only)
    try:
        yield store
    finally:
        store.close()


class _Signals(QObject):
    """Carrier of a runnable's signals (a QRunnable is not a QObject)."""

    progress = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    finished = Signal()


class _Runnable(QRunnable):
    def __init__(self, work: Work, signals: _Signals, cancel: threading.Event) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self._work = work
        self._signals = signals
        self._cancel = cancel

    def _progress(self, done: int, total: int) -> bool:
        if self._cancel.is_set():
            return False
        self._signals.progress.emit(int(done), int(total))
        return not self._cancel.is_set()

    def run(self) -> None:
        signals = self._signals
        try:
            result = self._work(self._progress)
        except Cancelled:
            signals.cancelled.emit()
        except (UserError, StoreError) as exc:
            signals.failed.emit(str(exc))
        except Exception as exc:  # our bug: the user gets a message, the log the traceback
            log.error("Background task failed:\n%s", traceback.format_exc())
            signals.failed.emit(T_BUG.format(error=exc))
        else:
            signals.succeeded.emit(result)
        finally:
            signals.finished.emit()


class _ProgressDialog(QProgressDialog):
    """A progress dialog that cannot be dismissed unless the work may be cancelled."""

    def __init__(self, label: str, cancellable: bool, parent: QWidget | None) -> None:
        super().__init__(label, T_CANCEL if cancellable else "", 0, 0, parent)
        self.cancellable = cancellable
        if not cancellable:
            self.setCancelButton(None)
        self.finished_work = False

    def reject(self) -> None:
        if self.cancellable:
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.cancellable or self.finished_work:
            super().closeEvent(event)
        else:
            event.ignore()


class Task(QObject):
    """One piece of long work with its progress dialog.

    Signals (in the GUI thread, after the dialog closed):
      progress(done: int, total: int) — the work reported progress (also while running).
      succeeded(result: object) — `work` returned `result`.
      failed(message: str) — the message for the user (UserError/StoreError text, or a bug).
      cancelled() — the user pressed "Hủy" and the work stopped.
      finished() — always last, whatever the outcome.

    `progress_direct` is the carrier's signal itself: connect to it with
    Qt.DirectConnection to act in the worker thread at the moment progress is reported
    (tests cancel half-way that way).
    """

    progress = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    finished = Signal()

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        label: str,
        work: Work,
        *,
        cancellable: bool = True,
        show_after_ms: int = 300,
    ) -> None:
        super().__init__(parent)
        self._cancel = threading.Event()
        self._signals = _Signals()
        self._runnable = _Runnable(work, self._signals, self._cancel)
        self.running = False
        self.outcome: str | None = None  # "succeeded" | "failed" | "cancelled"
        self.result: Any = None
        self.message = ""
        self.dialog = _ProgressDialog(label, cancellable, parent)
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(show_after_ms)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.setMinimumWidth(420)
        self.dialog.canceled.connect(self._user_cancelled)
        self.progress_direct = self._signals.progress
        self._signals.progress.connect(self._on_progress)
        self._signals.succeeded.connect(self._on_succeeded)
        self._signals.failed.connect(self._on_failed)
        self._signals.cancelled.connect(self._on_cancelled)
        self._signals.finished.connect(self._on_finished)

    def start(self) -> Task:
        """Start the work in the pool; the dialog appears if it lasts more than a moment."""
        self.running = True
        self.dialog.setValue(0)
        QThreadPool.globalInstance().start(self._runnable)
        return self

    def cancel(self) -> None:
        """Ask the work to stop (thread-safe): its next progress callback returns False."""
        self._cancel.set()

    @Slot()
    def _user_cancelled(self) -> None:
        if self.dialog.finished_work:
            return
        self.cancel()
        self.dialog.setLabelText(T_CANCELLING)

    @property
    def cancel_requested(self) -> bool:
        return self._cancel.is_set()

    @Slot(int, int)
    def _on_progress(self, done: int, total: int) -> None:
        if self.dialog.finished_work:
            return
        self.dialog.setMaximum(max(total, 0))
        self.dialog.setValue(min(done, total) if total > 0 else 0)
        self.progress.emit(done, total)

    @Slot(object)
    def _on_succeeded(self, result: Any) -> None:
        self.outcome, self.result = "succeeded", result

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self.outcome, self.message = "failed", message

    @Slot()
    def _on_cancelled(self) -> None:
        self.outcome = "cancelled"

    @Slot()
    def _on_finished(self) -> None:
        self.running = False
        self.dialog.finished_work = True
        self.dialog.canceled.disconnect(self._user_cancelled)
        self.dialog.reset()
        self.dialog.hide()
        self.dialog.deleteLater()
        if self.outcome == "succeeded":
            self.succeeded.emit(self.result)
        elif self.outcome == "failed":
            self.failed.emit(self.message)
        elif self.outcome == "cancelled":
            self.cancelled.emit()
        self.finished.emit()


def show_error(parent: QWidget | None, title: str, message: str) -> None:
    """A failure the user should read (tests patch dialogs_vi.warn)."""
    dialogs_vi.warn(parent, title, message)
