"""Opening and closing the Store: one writer (lock file), read-only mode, restore, and
friendly messages for what the disk does to a write (full, read-only, I/O error)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from db.connection import StoreError, backup_to, open_database
from db.lock import WriterLock

READ_ONLY_MESSAGE = (
    "Cơ sở dữ liệu đang được mở ở chế độ chỉ đọc: không ghi được thay đổi. "
    "Đóng chương trình đang ghi rồi mở lại để sửa dữ liệu."
)
READ_ONLY_FOLDER_MESSAGE = (
    "Không ghi được: thư mục dữ liệu hoặc tệp cơ sở dữ liệu chỉ cho phép đọc. "
    "Dữ liệu đã lưu vẫn còn nguyên; chương trình tiếp tục ở chế độ chỉ đọc."
)
DISK_FULL_MESSAGE = (
    "Không ghi được: ổ đĩa đã đầy. Thay đổi vừa rồi chưa được lưu, dữ liệu đã lưu vẫn còn "
    "nguyên; hãy giải phóng dung lượng rồi thử lại."
)
DISK_IO_MESSAGE = (
    "Không ghi được: lỗi đọc/ghi ổ đĩa. Thay đổi vừa rồi chưa được lưu; hãy kiểm tra ổ đĩa "
    "hoặc thiết bị lưu trữ rồi thử lại."
)
CORRUPT_MESSAGE = "Tệp cơ sở dữ liệu bị hỏng; hãy khôi phục từ bản sao lưu (kiemtra restore)."


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
            message = str(exc).lower()
            if "readonly" in message or "unable to open" in message:
                raise StoreError(READ_ONLY_FOLDER_MESSAGE) from exc
            raise
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

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One user action = one transaction; environment failures become a clear StoreError."""
        try:
            with super().transaction():  # type: ignore[misc]
                yield
        except sqlite3.OperationalError as exc:
            mapped = self._store_error(exc)
            if mapped is None:
                raise
            raise mapped from exc
        except sqlite3.DatabaseError as exc:
            if "malformed" in str(exc) or "not a database" in str(exc):
                raise StoreError(CORRUPT_MESSAGE) from exc
            raise
        except StoreError as exc:
            cause = exc.__cause__
            mapped = (
                self._store_error(cause) if isinstance(cause, sqlite3.OperationalError) else None
            )
            if mapped is None:
                raise
            raise mapped from cause

    def _store_error(self, exc: sqlite3.OperationalError) -> StoreError | None:
        message = str(exc).lower()
        if "readonly" in message or "read-only" in message:
            return StoreError(READ_ONLY_MESSAGE if self.read_only else READ_ONLY_FOLDER_MESSAGE)
        if "full" in message:
            return StoreError(DISK_FULL_MESSAGE)
        if "disk i/o" in message:
            return StoreError(DISK_IO_MESSAGE)
        if "locked" in message or "busy" in message:
            return StoreError("Cơ sở dữ liệu đang bị chương trình khác khóa, hãy thử lại")
        return None
