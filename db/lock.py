"""One writer per database: an OS advisory lock on a small file beside it.

`<db>.lock` holds JSON {pid, host, started, app} describing the writer. The lock itself is an
advisory lock on that file (fcntl.flock on POSIX, msvcrt.locking on Windows) held for the
lifetime of the writer Store, so the operating system drops it when the process dies, however it
dies. A lock file left behind by a crashed process is therefore stale as soon as its lock is
free, and the next writer simply takes it over.

Within one process the lock is re-entrant (counted per path): the test suite, and a GUI that
opens a second window on the same file, may hold several Stores on one database, which SQLite
itself keeps consistent. The lock guards against a second *program*.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import threading
from pathlib import Path
from typing import Any

from db.connection import private_dir, refuse_special_file
from db.errors import DatabaseLockedError, StorageReadOnlyError
from db.files import storage_error

APP_NAME = "Kiểm tra CCHC"

# Windows locks byte ranges: lock one byte far past the JSON so that readers can still read it.
_WINDOWS_LOCK_OFFSET = 1 << 30

_held: dict[str, list[int]] = {}  # realpath of the lock file -> [fd, count]
_guard = threading.Lock()


def lock_path(db_path: str | Path) -> Path:
    """The lock file of a database: `<db>.lock` in the same folder."""
    return Path(str(db_path) + ".lock")


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt

        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(fd: int) -> None:
    if sys.platform == "win32":  # pragma: no cover
        import msvcrt

        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_UN)


def read_holder(path: Path) -> dict[str, Any] | None:
    """What the lock file says about its writer, or None when empty or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def describe_holder(holder: dict[str, Any] | None) -> str:
    """The Vietnamese sentence telling the user who holds the database."""
    if not holder:
        return "Cơ sở dữ liệu đang được mở để ghi bởi một chương trình khác"
    try:
        since = dt.datetime.fromisoformat(str(holder.get("started"))).strftime("%d/%m/%Y %H:%M")
    except ValueError:
        since = "không rõ thời điểm"
    return (
        f"Cơ sở dữ liệu đang được mở để ghi bởi {holder.get('app') or APP_NAME} "
        f"trên máy {holder.get('host') or 'không rõ'} (tiến trình {holder.get('pid')}) "
        f"từ {since}"
    )


def host_name() -> str:
    """This computer's name. os.uname where there is one: importing socket for it would
    cost ~3 ms of every start."""
    if hasattr(os, "uname"):
        return os.uname().nodename
    import socket

    return socket.gethostname()


class WriterLock:
    """The writer lock of one database file; `acquire` raises DatabaseLockedError when taken."""

    def __init__(self, db_path: str | Path, app: str | None = None) -> None:
        self.db_path = Path(db_path)
        self.path = lock_path(db_path)
        self.app = app or APP_NAME
        self._key: str | None = None

    @property
    def held(self) -> bool:
        return self._key is not None

    def acquire(self) -> None:
        if self._key is not None:
            return
        # A device, a FIFO or a folder named as the database: no lock file beside it (in /dev).
        refuse_special_file(self.db_path)
        refuse_special_file(self.path)
        key = os.path.realpath(self.path)
        with _guard:
            if key in _held:
                _held[key][1] += 1
                self._key = key
                return
            fd = self._open_and_lock()
            _held[key] = [fd, 1]
            self._key = key

    def _open_and_lock(self) -> int:
        while True:
            try:
                private_dir(self.path.parent)
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            except OSError as exc:
                full = storage_error(exc, self.path.parent.resolve(), "tệp khóa")
                if full is not None and not isinstance(full, StorageReadOnlyError):
                    raise full from exc
                raise StorageReadOnlyError(
                    f"Không tạo được tệp khóa {self.path}: thư mục dữ liệu chỉ cho phép đọc "
                    "hoặc không có quyền ghi. Có thể mở cơ sở dữ liệu ở chế độ chỉ đọc."
                ) from exc
            if not _try_lock(fd):
                os.close(fd)
                holder = read_holder(self.path)
                raise DatabaseLockedError(describe_holder(holder), holder)
            # The previous holder may have removed the file between our open and our lock:
            # then we locked an orphan; start again on the file that is there now.
            if sys.platform != "win32":
                try:
                    same = os.stat(self.path).st_ino == os.fstat(fd).st_ino
                except FileNotFoundError:
                    same = False
                if not same:
                    _unlock(fd)
                    os.close(fd)
                    continue
            break
        # Ours now, stale content (a crashed writer's) or not: describe ourselves.
        holder = {
            "pid": os.getpid(),
            "host": host_name(),
            "started": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "app": self.app,
        }
        payload = json.dumps(holder, ensure_ascii=False).encode("utf-8")
        try:
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, payload)
        except OSError:
            # A full disk: the lock itself (held above) is what guards the database; the
            # description is a courtesy. Leave it empty rather than half written (an empty
            # file reads as "another program").
            try:
                os.ftruncate(fd, 0)
            except OSError:
                pass
        try:
            os.chmod(self.path, 0o600)
        except OSError:
            pass
        return fd

    def release(self) -> None:
        key, self._key = self._key, None
        if key is None:
            return
        with _guard:
            entry = _held.get(key)
            if entry is None:
                return
            entry[1] -= 1
            if entry[1] > 0:
                return
            del _held[key]
            fd = entry[0]
            try:
                if sys.platform == "win32":  # pragma: no cover - an open file cannot be removed
                    os.ftruncate(fd, 0)
                else:
                    # Remove while still locked, so nobody can lock this file after us.
                    try:
                        os.unlink(self.path)
                    except OSError:
                        os.ftruncate(fd, 0)
                _unlock(fd)
            finally:
                os.close(fd)
