"""The one root of every error a user may see, and the database's own errors.

`AppError` is the root: the command line prints its message on one line and exits non-zero,
the window shows it in one dialog. Anything that is not an `AppError` is our bug and leaves a
traceback in the log. It lives in `db/` because that is the lowest layer: the services'
`UserError` derives from it too.
"""

from __future__ import annotations

import sqlite3
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


class DiskFullError(StoreError):
    """The disk (or the database's size limit) is full: the write was rolled back."""


class DiskIOError(StoreError):
    """The operating system failed to read or write the file (a failing disk, a removed stick)."""


class DatabaseCorruptError(StoreError):
    """The file is damaged or is not a database at all: restore it from a backup."""


LOCKED_MESSAGE = "Cơ sở dữ liệu đang bị chương trình khác khóa, hãy thử lại"
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


def primary_errorname(exc: BaseException) -> str:
    """SQLite's primary result code name of an error ("SQLITE_IOERR" for SQLITE_IOERR_WRITE);
    "" for an error SQLite did not raise (one Python or a test made up)."""
    name = getattr(exc, "sqlite_errorname", None)
    if not isinstance(name, str) or not name.startswith("SQLITE_"):
        return ""
    return "_".join(name.split("_")[:2])


def store_error(exc: sqlite3.Error, *, read_only: bool = False) -> StoreError | None:
    """Our error, with a Vietnamese message, for what the environment did to SQLite; None for
    anything else (a constraint, a bug in our SQL), which the caller lets through as it is.

    Classified by `exc.sqlite_errorname`, never by the message text (which SQLite may word
    differently from one version to the next). `read_only`: the store was opened read-only on
    purpose, so a refused write is not the folder's fault.
    """
    name = primary_errorname(exc)
    if name in ("SQLITE_BUSY", "SQLITE_LOCKED"):
        return DatabaseLockedError(LOCKED_MESSAGE)
    if name == "SQLITE_FULL":
        return DiskFullError(DISK_FULL_MESSAGE)
    if name == "SQLITE_READONLY":
        return StorageReadOnlyError(READ_ONLY_MESSAGE if read_only else READ_ONLY_FOLDER_MESSAGE)
    if name == "SQLITE_CANTOPEN":  # the journal or the file cannot be created there
        return StorageReadOnlyError(READ_ONLY_FOLDER_MESSAGE)
    if name == "SQLITE_IOERR":
        return DiskIOError(DISK_IO_MESSAGE)
    if name in ("SQLITE_CORRUPT", "SQLITE_NOTADB"):
        return DatabaseCorruptError(CORRUPT_MESSAGE)
    return None
