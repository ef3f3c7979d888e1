"""The one atomic file writer, with the one file-mode policy of the application.

Every file the application writes goes through `atomic_path` (or `write_bytes`): the content
is written to a temporary file in the target's folder, flushed to disk, given its mode, then
renamed over the target with os.replace. A file whose name is known only once written (an
attachment, named by the hash of its bytes) goes through `staged_file` the same way. At every
moment the target is either the old file or the whole new one; a failure (or a cancelled
export) leaves no temporary file behind.

File modes (one policy, decided by what the file is, not by who writes it):

- PRIVATE (0600, folders 0700): the application's own records in its data folder — the
  database and its backups, device keys, attachments (official records: readable by this
  user only). README: keys "mode 0600".
- DOCUMENT (0666 less the umask, as any program's "Save as"): what the user saves where they
  choose to hand it on — reports, letters, workbooks, encrypted sync packages. A colleague on
  the same machine or a shared folder must be able to open them; the folder was the user's
  choice. An unencrypted package holds every row in clear: PRIVATE, wherever it is saved.

Refused targets (`check_target`): the writer never replaces a file it must not touch — a
database this process uses (`protect_database`) or any database with a live `-wal`/`.lock`
beside it, their `-wal`, `-shm`, `-journal` and `.lock` files, a document written into the
data folder's managed parts (backups/, keys/, attachments/, logs/), and anything that is not
a regular file (a device such as /dev/null, a FIFO, a folder). It never changes the mode of a
file it did not create: the target is replaced by a new file, never chmod-ed.

Disk full, read-only media and refused permissions become one Vietnamese line naming the
folder and what to do (`storage_error`), and leave no temporary file behind.

Lives in db/ (the lowest layer) so the database code and desktop/ share it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from db.errors import DiskFullError, StorageReadOnlyError, StoreError

PRIVATE = 0o600
PRIVATE_DIR = 0o700


def _umask() -> int:
    # os.umask can only be read by setting it: do it once, at import, before any thread runs.
    current = os.umask(0o022)
    os.umask(current)
    return current


DOCUMENT = 0o666 & ~_umask()


# -- what must never be written over -----------------------------------------------------------
DATABASE_SIDE_FILES = ("-wal", "-shm", "-journal", ".lock")
MANAGED_FOLDERS = ("backups", "keys", "attachments", "logs")
# Every temporary name this module makes contains this: a killed run's leftovers are found by it.
TEMP_MARK = ".tmp"

_protected: set[str] = set()  # realpaths of the databases this process uses
_protected_guard = threading.Lock()


class TargetRefusedError(StoreError):
    """A file the application must not write over (the database, its companions, a managed
    folder's contents, a device or a folder)."""


def _real(path: str | Path) -> str:
    return os.path.normcase(os.path.realpath(os.path.abspath(path)))


def protect_database(db_path: str | Path) -> None:
    """Never let a writer replace `db_path`, its side files, or put a document into its data
    folder's managed parts. Called for every database this process opens or is told about
    (`--db`); ":memory:" is ignored."""
    if str(db_path) in ("", ":memory:"):
        return
    with _protected_guard:
        _protected.add(_real(db_path))


def not_regular_file(path: str | Path) -> str | None:
    """What an existing `path` is when it is not a regular file ("thư mục", "thiết bị"...),
    else None (a regular file, a link to one, or nothing there)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "một thư mục"
    if stat.S_ISFIFO(mode):
        return "một đường ống (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "một thiết bị"
    if stat.S_ISSOCK(mode):
        return "một socket"
    return "không phải tệp thông thường"


def check_target(target: str | Path, *, managed_ok: bool = False) -> None:
    """Raise TargetRefusedError when `target` must not be written over (see the module's
    docstring); `managed_ok` allows the data folder's managed parts (the app's own records)."""
    target = Path(target)
    kind = not_regular_file(target)
    if kind is not None:
        raise TargetRefusedError(
            f"Không ghi được vào {target}: đây là {kind}, không phải tệp thông thường; "
            "hãy chọn một tên tệp khác"
        )
    real = _real(target)
    with _protected_guard:
        databases = set(_protected)
    for db in databases:
        if real == db or any(real == db + os.path.normcase(s) for s in DATABASE_SIDE_FILES):
            raise TargetRefusedError(
                f"Không ghi được vào {target}: đây là cơ sở dữ liệu đang dùng (hoặc tệp đi kèm "
                "của nó); hãy chọn một tên tệp khác"
            )
        if not managed_ok:
            folder = os.path.dirname(db)
            for part in MANAGED_FOLDERS:
                managed = os.path.join(folder, os.path.normcase(part))
                if real.startswith(managed + os.sep):
                    raise TargetRefusedError(
                        f"Không ghi được vào {target}: thư mục {part} là phần do chương trình "
                        "quản lý trong thư mục dữ liệu; hãy lưu tệp ở thư mục khác"
                    )
    # Another program's live database: its write-ahead log or writer lock is beside it.
    name = os.path.abspath(target)
    for side in DATABASE_SIDE_FILES:
        if name.endswith(side) and os.path.isfile(name[: -len(side)]):
            raise TargetRefusedError(
                f"Không ghi được vào {target}: đây là tệp đi kèm của cơ sở dữ liệu "
                f"{name[: -len(side)]}; hãy chọn một tên tệp khác"
            )
    if os.path.isfile(name) and any(os.path.exists(name + s) for s in ("-wal", ".lock")):
        raise TargetRefusedError(
            f"Không ghi được vào {target}: đây là một cơ sở dữ liệu đang được dùng; "
            "hãy chọn một tên tệp khác"
        )


# -- storage errors -----------------------------------------------------------------------------
_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG}
_READ_ONLY = {errno.EROFS, errno.EACCES, errno.EPERM}


def storage_error(exc: OSError, folder: str | Path, what: str = "tệp") -> StoreError | None:
    """One Vietnamese line naming `folder` and what to do, for a full disk, a read-only
    medium or a refused permission; None for any other OSError."""
    if exc.errno in _FULL:
        return DiskFullError(
            f"Không ghi được {what} vào thư mục {folder}: ổ đĩa đã đầy. Không có gì bị ghi dở; "
            "hãy giải phóng dung lượng (hoặc chọn ổ khác) rồi thử lại."
        )
    if exc.errno in _READ_ONLY:
        return StorageReadOnlyError(
            f"Không ghi được {what} vào thư mục {folder}: thư mục chỉ cho phép đọc hoặc không có "
            "quyền ghi. Hãy chọn thư mục khác hoặc cấp quyền ghi rồi thử lại."
        )
    return None


def sqlite_storage_error(
    exc: BaseException, folder: str | Path, what: str = "tệp"
) -> StoreError | None:
    """storage_error for what SQLite raised while writing a file in `folder` (disk full,
    read-only, cannot open); None for anything else."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    if name.startswith("SQLITE_FULL"):
        return storage_error(OSError(errno.ENOSPC, "full"), folder, what)
    if name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM")):
        return storage_error(OSError(errno.EROFS, "read-only"), folder, what)
    if name.startswith("SQLITE_IOERR"):
        return StoreError(
            f"Không ghi được {what} vào thư mục {folder}: lỗi đọc/ghi ổ đĩa (có thể ổ đĩa đã "
            "đầy hoặc bị rút ra). Không có gì bị ghi dở; hãy kiểm tra ổ đĩa rồi thử lại."
        )
    return None


def _writer_error(exc: OSError, target: Path) -> StoreError | None:
    # A full disk or a read-only medium: one line naming the folder. A refused permission is
    # left to the callers, which already word it for their document.
    if exc.errno in _FULL or exc.errno == errno.EROFS:
        return storage_error(exc, target.parent.resolve())
    return None


def _fsync(path: Path) -> None:
    """Flush a file written by someone else (a library given the path) to the disk."""
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


@contextlib.contextmanager
def atomic_path(
    target: str | Path, *, private: bool = False, managed_ok: bool | None = None
) -> Iterator[Path]:
    """Yield a temporary path beside `target` to write to; on success it becomes `target`
    (mode PRIVATE when `private`, else DOCUMENT). On any exception the temporary file is
    removed and the target is left as it was. The target's folder must exist. `managed_ok`
    (default: `private`) lets the target be in the data folder's managed parts."""
    target = Path(target)
    # The app's own records (private) may go into the managed folders; documents may not —
    # nor a private file the user saves where they choose (an unencrypted package).
    check_target(target, managed_ok=private if managed_ok is None else managed_ok)
    temp = temp_name(target)
    try:
        # Created 0600 (O_EXCL): never readable by others, even for a moment.
        os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE))
    except OSError as exc:
        raise (_writer_error(exc, target) or exc) from exc
    try:
        yield temp
        _fsync(temp)
        os.chmod(temp, PRIVATE if private else DOCUMENT)
        os.replace(temp, target)
    except OSError as exc:
        raise (_writer_error(exc, target) or exc) from exc
    finally:
        temp.unlink(missing_ok=True)


def create_new(target: str | Path, data: bytes) -> bool:
    """Create `target` (PRIVATE) holding `data` only if it does not exist yet, atomically: the
    bytes are written and flushed under a temporary name, then hard-linked to `target` — a
    crash or a full disk never leaves an empty or half file, and a file another process made
    first is never replaced (returns False then). OSError on a full disk or a refused folder
    (the caller words it)."""
    target = Path(target)
    check_target(target, managed_ok=True)
    temp = temp_name(target)
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), PRIVATE)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temp, target)
        except FileExistsError:
            return False
        except OSError:
            # A file system without hard links (FAT on a USB stick): rename, if still missing.
            if target.exists():
                return False
            os.replace(temp, target)
        return True
    finally:
        temp.unlink(missing_ok=True)


def temp_name(target: str | Path) -> Path:
    """A fresh temporary name beside `target`: hidden, marked TEMP_MARK, with the target's
    suffix last (some writers choose the format by the file name)."""
    target = Path(target)
    unique = f"{os.getpid()}-{os.urandom(4).hex()}"
    return target.parent / f".{target.stem}.{unique}{TEMP_MARK}{target.suffix}"


def is_temporary(path: str | Path) -> bool:
    """Whether `path` is a temporary name made by temp_name (a leftover of a killed run when
    the process that made it is gone)."""
    name = Path(path).name
    return name.startswith(".") and TEMP_MARK in name


@contextlib.contextmanager
def atomic_open(target: str | Path, *, private: bool = False) -> Iterator[IO[bytes]]:
    """Like atomic_path, yielding the temporary file open for binary writing."""
    with atomic_path(target, private=private) as temp, open(temp, "wb") as handle:
        yield handle
        handle.flush()


def write_bytes(target: str | Path, data: bytes, *, private: bool = False) -> Path:
    """Write `data` to `target` atomically (see atomic_path)."""
    with atomic_open(target, private=private) as handle:
        handle.write(data)
    return Path(target)


def private_folder(folder: str | Path) -> Path:
    """Create `folder` (and missing parents) and make it PRIVATE_DIR (0700)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):  # a folder on a file system without modes
        os.chmod(folder, PRIVATE_DIR)
    return folder


class Staged:
    """A file being written whose final name is known only at the end (content-addressed
    attachments): write to `handle`, then set `target` (None: keep nothing)."""

    def __init__(self, temp: Path, handle: IO[bytes]) -> None:
        self.temp = temp
        self.handle = handle
        self.target: Path | None = None


@contextlib.contextmanager
def staged_file(folder: str | Path) -> Iterator[Staged]:
    """A PRIVATE file written under a temporary name in `folder` (which must exist); when the
    block ends with `target` set, it is flushed and renamed to `target` (whose folder the
    caller made). On any exception, or with no target, nothing is left."""
    folder = Path(folder)
    temp = temp_name(folder / "staged")
    try:
        fd = os.open(
            temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), PRIVATE
        )
    except OSError as exc:
        raise (_writer_error(exc, temp) or exc) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            staged = Staged(temp, handle)
            yield staged
            handle.flush()
            os.fsync(handle.fileno())
        if staged.target is not None:
            check_target(staged.target, managed_ok=True)
            os.replace(temp, staged.target)
    except OSError as exc:
        raise (_writer_error(exc, temp) or exc) from exc
    finally:
        temp.unlink(missing_ok=True)
