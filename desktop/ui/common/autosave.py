"""Saving while the user types: after a pause, at least every few seconds, and on focus-out.

A debounce alone never fires while someone types without stopping (each key restarts it), so
an Autosaver also saves `max_wait_ms` after the first unsaved key. Nothing typed is lost when
the laptop's battery dies in the middle of a long observation.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Slot
from PySide6.QtWidgets import QWidget

DEBOUNCE_MS = 800
MAX_WAIT_MS = 5000


class Autosaver(QObject):
    """Calls `save()` `debounce_ms` after the last `touch()`, or `max_wait_ms` after the first
    unsaved one, whichever comes first; `flush()` saves now when something is pending.

    `watch(widget)` also flushes when the widget loses the keyboard focus.
    """

    def __init__(
        self,
        save: Callable[[], object],
        parent: QObject | None = None,
        *,
        debounce_ms: int = DEBOUNCE_MS,
        max_wait_ms: int = MAX_WAIT_MS,
    ) -> None:
        super().__init__(parent)
        self._save = save
        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(debounce_ms)
        self.debounce.timeout.connect(self.flush)
        self.max_wait = QTimer(self)
        self.max_wait.setSingleShot(True)
        self.max_wait.setInterval(max_wait_ms)
        self.max_wait.timeout.connect(self.flush)

    @property
    def pending(self) -> bool:
        """Something was typed and not saved yet."""
        return self.debounce.isActive() or self.max_wait.isActive()

    def touch(self) -> None:
        """The user changed something: (re)start the pause timer; start the deadline."""
        self.debounce.start()
        if not self.max_wait.isActive():
            self.max_wait.start()

    def cancel(self) -> None:
        """Forget what is pending (it was saved another way, or thrown away)."""
        self.debounce.stop()
        self.max_wait.stop()

    @Slot()
    def flush(self) -> None:
        """Save now if something is pending."""
        if self.pending:
            self.cancel()
            self._save()

    def watch(self, *widgets: QWidget) -> None:
        """Flush when one of `widgets` loses the focus."""
        for widget in widgets:
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut:
            self.flush()
        return super().eventFilter(watched, event)
