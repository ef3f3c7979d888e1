"""Opening the SQLite file: pragmas, private permissions, backup, then migrations."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path

import sqlite_utils

from db.migrations import migrations


class StoreError(Exception):
    """Something the environment did to the database (locked, disk full, unreadable file)."""


class DatabaseLockedError(StoreError):
    """Another program holds the database for writing."""


def _private(path: Path) -> None:
    # Findings are official records: keep them readable by this user only.
    try:
        os.chmod(path, 0o600)
    except OSError:
        pass


def backup_to(conn: sqlite3.Connection, target: Path) -> Path:
    """Copy a live database with SQLite's online backup API (never a file copy)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    dest = sqlite3.connect(target)
    try:
        conn.backup(dest)
    finally:
        dest.close()
    _private(target)
    return target


def backups_dir(db_path: Path) -> Path:
    """Where backups of a database file are kept: a folder next to it."""
    return db_path.parent / "backups"


def connect(path: str | Path) -> sqlite_utils.Database:
    """Open (creating if needed) the file with WAL, foreign keys and durable commits."""
    path = Path(path)
    if str(path) != ":memory:":
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.chmod(path.parent, 0o700) if not any(path.parent.iterdir()) else None
        except OSError:
            pass
    try:
        conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA busy_timeout = 5000")
        conn.execute("PRAGMA journal_mode = WAL")
        # FULL: a committed transaction survives power loss, not only an app crash.
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"Không mở được cơ sở dữ liệu {path}: {exc}") from exc
    if str(path) != ":memory:":
        for suffix in ("", "-wal", "-shm"):
            p = Path(str(path) + suffix)
            if p.exists():
                _private(p)
    return sqlite_utils.Database(conn)


def open_database(path: str | Path) -> sqlite_utils.Database:
    """Open the database and bring its schema up to date, backing it up first if needed."""
    db = connect(path)
    try:
        pending = migrations.pending(db)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"Tệp {path} không phải là cơ sở dữ liệu hợp lệ: {exc}") from exc
    if pending and str(path) != ":memory:" and db.table_names():
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        backup_to(db.conn, backups_dir(Path(path)) / f"truoc-nang-cap-{stamp}.sqlite")
    try:
        migrations.apply(db)
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc):
            raise DatabaseLockedError(
                f"Cơ sở dữ liệu {path} đang bị chương trình khác khóa"
            ) from exc
        raise
    return db
