"""The one root of every error a user may see, and the database's own errors.

`AppError` is the root: the command line prints its message on one line and exits non-zero,
the window shows it in one dialog. Anything that is not an `AppError` is our bug and leaves a
traceback in the log. It lives in `db/` because that is the lowest layer: the services'
`UserError` derives from it too.
"""

from __future__ import annotations

from typing import Any


class AppError(Exception):
    """An error with a message in Vietnamese that the user can act on."""


class StoreError(AppError):
    """Something the environment did to the database (locked, disk full, unreadable file)."""


class DatabaseLockedError(StoreError):
    """Another program holds the database for writing; `holder` is what its lock file says."""

    def __init__(self, message: str, holder: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.holder = holder


class StorageReadOnlyError(StoreError):
    """The data folder or file cannot be written; the database can still be opened read-only."""
