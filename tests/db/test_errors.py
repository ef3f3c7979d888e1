"""SQLite's errors become ours by result code (as qutebrowser's SqlError does), never by text."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from db import Store
from db.connection import connect
from db.errors import (
    CORRUPT_MESSAGE,
    DISK_FULL_MESSAGE,
    DISK_IO_MESSAGE,
    LOCKED_MESSAGE,
    READ_ONLY_FOLDER_MESSAGE,
    READ_ONLY_MESSAGE,
    AppError,
    DatabaseCorruptError,
    DatabaseLockedError,
    DiskFullError,
    DiskIOError,
    StorageReadOnlyError,
    StoreError,
    primary_errorname,
    store_error,
)


def _error(name: str, message: str = "whatever SQLite says") -> sqlite3.Error:
    exc = sqlite3.OperationalError(message)
    exc.sqlite_errorname = name  # type: ignore[attr-defined]  # set by SQLite normally
    return exc


@pytest.mark.parametrize(
    ("errorname", "kind", "message"),
    [
        ("SQLITE_BUSY", DatabaseLockedError, LOCKED_MESSAGE),
        ("SQLITE_BUSY_SNAPSHOT", DatabaseLockedError, LOCKED_MESSAGE),
        ("SQLITE_LOCKED", DatabaseLockedError, LOCKED_MESSAGE),
        ("SQLITE_LOCKED_SHAREDCACHE", DatabaseLockedError, LOCKED_MESSAGE),
        ("SQLITE_FULL", DiskFullError, DISK_FULL_MESSAGE),
        ("SQLITE_READONLY", StorageReadOnlyError, READ_ONLY_FOLDER_MESSAGE),
        ("SQLITE_READONLY_DBMOVED", StorageReadOnlyError, READ_ONLY_FOLDER_MESSAGE),
        ("SQLITE_CANTOPEN", StorageReadOnlyError, READ_ONLY_FOLDER_MESSAGE),
        ("SQLITE_IOERR", DiskIOError, DISK_IO_MESSAGE),
        ("SQLITE_IOERR_WRITE", DiskIOError, DISK_IO_MESSAGE),
        ("SQLITE_CORRUPT", DatabaseCorruptError, CORRUPT_MESSAGE),
        ("SQLITE_CORRUPT_VTAB", DatabaseCorruptError, CORRUPT_MESSAGE),
        ("SQLITE_NOTADB", DatabaseCorruptError, CORRUPT_MESSAGE),
    ],
)
def test_environment_errors_are_classified_by_name(
    errorname: str, kind: type[StoreError], message: str
) -> None:
    # The text says "locked" on purpose: only the result code counts.
    mapped = store_error(_error(errorname, "database is locked"))
    assert type(mapped) is kind
    assert isinstance(mapped, StoreError) and isinstance(mapped, AppError)
    assert str(mapped) == message


@pytest.mark.parametrize(
    "errorname",
    ["SQLITE_CONSTRAINT", "SQLITE_CONSTRAINT_UNIQUE", "SQLITE_ERROR", "SQLITE_MISMATCH", ""],
)
def test_other_errors_are_not_ours(errorname: str) -> None:
    # A constraint or a mistake in our SQL is a bug to fix, not something the user can act on;
    # a made-up error with "disk is full" in its text is not a full disk.
    assert store_error(_error(errorname, "database or disk is full")) is None
    assert store_error(sqlite3.OperationalError("database is locked")) is None


def test_read_only_on_purpose_says_so() -> None:
    mapped = store_error(_error("SQLITE_READONLY"), read_only=True)
    assert isinstance(mapped, StorageReadOnlyError) and str(mapped) == READ_ONLY_MESSAGE


def test_primary_errorname() -> None:
    assert primary_errorname(_error("SQLITE_IOERR_SHORT_READ")) == "SQLITE_IOERR"
    assert primary_errorname(_error("SQLITE_FULL")) == "SQLITE_FULL"
    assert primary_errorname(ValueError("x")) == ""


# -- real errors, provoked --------------------------------------------------------------------
def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "khong-phai.sqlite"
    path.write_bytes(b"Day khong phai la co so du lieu. " * 200)
    conn = sqlite3.connect(path)
    try:
        with pytest.raises(sqlite3.DatabaseError) as caught:
            conn.execute("SELECT * FROM sqlite_master").fetchall()
    finally:
        conn.close()
    assert isinstance(store_error(caught.value), DatabaseCorruptError)
    with pytest.raises(DatabaseCorruptError):
        Store.open(path)


def test_a_write_to_a_read_only_database(db_path: Path) -> None:
    Store.open(db_path).close()
    db = connect(db_path, read_only=True)
    try:
        with pytest.raises(StorageReadOnlyError) as caught, db.transaction():
            db.execute("INSERT INTO settings (key, value) VALUES ('k', 'v')")
        assert str(caught.value) == READ_ONLY_MESSAGE
        assert primary_errorname(caught.value.__cause__ or ValueError()) == "SQLITE_READONLY"
    finally:
        db.conn.close()


def test_a_write_while_another_connection_writes(db_path: Path) -> None:
    Store.open(db_path).close()
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    db = connect(db_path)
    db.execute("PRAGMA busy_timeout = 0")  # fail at once instead of waiting 5 s
    try:
        with pytest.raises(DatabaseLockedError) as caught, db.transaction():
            db.execute("INSERT INTO settings (key, value) VALUES ('k', 'v')")
        assert str(caught.value) == LOCKED_MESSAGE
        assert not db.conn.in_transaction
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        db.conn.close()


def test_a_full_database_and_nested_blocks_translate_once(db_path: Path) -> None:
    Store.open(db_path).close()
    db = connect(db_path)
    try:
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(DiskFullError) as caught, db.transaction():
            with db.transaction():
                db.execute("INSERT INTO settings (key, value) VALUES ('k', ?)", ["x" * 100_000])
        # Translated where it happened; the outer block let our error through untouched.
        assert isinstance(caught.value.__cause__, sqlite3.Error)
        assert db.execute("SELECT count(*) FROM settings WHERE key = 'k'").fetchone()[0] == 0
    finally:
        db.conn.close()
