"""Opening and closing the Store: one writer (lock file), read-only mode, backups.

What the disk does to a write (full, read-only, I/O error) is told by db.errors.store_error.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from db.connection import backup_to, open_database
from db.errors import StoreError, store_error
from db.lock import WriterLock


class LifecycleMixin:
    """`Store.open(path, read_only=...)`, `close()`, `backup()`, error mapping."""

    db: Any
    actor: str
    path: Path | None = None
    read_only: bool = False
    writer_lock: WriterLock | None = None

    @classmethod
    def open(
        cls,
        path: str | Path,
        actor: str = "",
        *,
        read_only: bool = False,
        app: str | None = None,
    ) -> Any:
        """Open (creating and migrating as needed) the database file at `path`.

        For writing, first takes the writer lock: when another program holds it, raises
        DatabaseLockedError saying who (app, host, pid, since when). `read_only=True` takes no
        lock, never migrates, and every write raises StoreError.
        """
        path = Path(path)
        lock: WriterLock | None = None
        if not read_only and str(path) != ":memory:":
            lock = WriterLock(path, app)
            lock.acquire()
        try:
            store = cls(open_database(path, read_only=read_only), actor=actor)  # type: ignore[call-arg]
        except sqlite3.OperationalError as exc:
            if lock:
                lock.release()
            if read_only:
                raise StoreError(f"Không đọc được cơ sở dữ liệu {path}: {exc}") from exc
            mapped = store_error(exc)
            if mapped is None:
                raise
            raise mapped from exc
        except BaseException:
            if lock:
                lock.release()
            raise
        store.path = path
        store.read_only = read_only
        store.writer_lock = lock
        return store

    def close(self) -> None:
        """Close the connection and let another program write (releases the writer lock).

        The observations saved since the last search are indexed first, so that the file
        left behind searches completely (a backup, another program opening it read-only).
        """
        try:
            self.refresh_search_index()  # type: ignore[attr-defined]
        except (StoreError, sqlite3.Error):
            pass  # a full disk must not keep the database open; the next open catches up
        self.db.conn.close()
        if self.writer_lock is not None:
            self.writer_lock.release()
            self.writer_lock = None

    def backup(self, target: str | Path) -> Path:
        """Copy the live database to `target` with SQLite's online backup API."""
        return backup_to(self.db.conn, Path(target))

    def has_records(self) -> bool:
        """Whether anything was ever recorded (an empty new database needs no backup)."""
        return self.db.execute("SELECT 1 FROM audit_log LIMIT 1").fetchone() is not None
