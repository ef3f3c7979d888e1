"""Opening a database file from the window: locked or read-only storage, daily backup.

When another program writes the database (DatabaseLockedError) or its folder cannot be
written (StorageReadOnlyError), the user is told why and offered to open it read-only. After
a writable open the day's automatic backup is made (a failed backup never stops the work).
`ask_read_only` and `show_error` are module functions so that tests can patch them.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget

from db import DatabaseLockedError, StorageReadOnlyError, Store
from db.errors import StoreError
from desktop.ui import strings

# Strings the user sees.
T_OPEN_FAILED = "Không mở được cơ sở dữ liệu"
T_OFFER = "{message}\n\nMở ở chế độ chỉ đọc (xem, không sửa được)?"
T_READ_ONLY_SUFFIX = strings.READ_ONLY


def ask_read_only(parent: QWidget | None, message: str) -> bool:
    """Tell why the database cannot be written and ask whether to open it read-only."""
    from desktop.ui.common import dialogs_vi

    return dialogs_vi.ask_warning(
        parent, T_OPEN_FAILED, T_OFFER.format(message=message), accept=dialogs_vi.T_OPEN
    )


def show_error(parent: QWidget | None, message: str) -> None:
    from desktop.ui.common import dialogs_vi

    dialogs_vi.error(parent, T_OPEN_FAILED, message)


def open_store(path: Path, parent: QWidget | None = None, *, backup: bool = True) -> Store | None:
    """Open `path` for writing, or read-only when the user accepts; None when not opened.

    `backup=False` leaves the day's automatic backup to the caller (`make_daily_backup`): the
    program's start makes it once its window is on screen, since it copies the whole file.
    """
    try:
        store: Store = Store.open(path)
    except (DatabaseLockedError, StorageReadOnlyError) as exc:
        if not ask_read_only(parent, str(exc)):
            return None
        try:
            read_only: Store = Store.open(path, read_only=True)
            return read_only
        except (StoreError, OSError) as again:
            show_error(parent, f"{path}\n{again}")
            return None
    except (StoreError, OSError) as exc:
        show_error(parent, f"{path}\n{exc}")
        return None
    if backup:
        make_daily_backup(store)
    return store


def make_daily_backup(store: Store) -> None:
    """The day's automatic backup of a writable store (nothing when made already today)."""
    try:
        from desktop.services import backup  # after the first paint, not before

        backup.daily_backup(store)
    except (OSError, StoreError):
        pass  # a backup that cannot be made must not keep the inspector from working
