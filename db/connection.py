"""Opening the SQLite file: pragmas, private permissions, backup, then migrations."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import stat
from collections.abc import Callable
from pathlib import Path

from db.database import Database
from db.errors import (
    DatabaseCorruptError,
    DatabaseLockedError,
    StorageReadOnlyError,
    StoreError,
    store_error,
)
from db.files import (
    check_target,
    not_regular_file,
    protect_database,
    sqlite_storage_error,
    storage_error,
    temp_name,
)
from db.migrations import (
    M001_SYNCED_TABLES,
    MIGRATION_SET,
    MIGRATIONS_TABLE,
    current_name,
    migration_set,
    pending_names,
    rename_applied,
)


# -- private files ----------------------------------------------------------------------------
def _private(path: Path) -> None:
    # Findings are official records: keep them readable by this user only. Only group and
    # other bits are removed: a file the user made read-only (0400) stays read-only.
    # Never a device, a FIFO or a folder: their modes are the system's, not ours.
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return
        mode = stat.S_IMODE(info.st_mode)
        if mode & 0o077:
            os.chmod(path, mode & 0o700)
    except OSError:
        pass


def private_dir(path: str | Path) -> Path:
    """Create a folder (and its missing parents) readable by this user only (0700).

    An existing folder that already holds other things is left as it is: `--db /tmp/x.sqlite`
    must not lock everyone else out of /tmp.
    """
    path = Path(path)
    created = not path.exists()
    path.mkdir(parents=True, exist_ok=True)
    if created or not any(path.iterdir()):
        try:
            os.chmod(path, 0o700)
        except OSError:
            pass
    return path


def write_private(path: str | Path, data: bytes) -> Path:
    """Write a file (key, attachment) atomically, readable by this user only (0600)."""
    path = Path(path)
    private_dir(path.parent)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        _private(temp)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return path


def _create_private_file(path: Path) -> None:
    # An empty file is a valid empty database; creating it ourselves means it is never, even
    # for a moment, readable by others. SQLite gives -wal and -shm the database file's mode.
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


# -- backups ----------------------------------------------------------------------------------
def _sync_folder(folder: Path) -> None:
    # The rename is durable only once the folder is flushed (POSIX; Windows has no such call).
    if os.name == "nt":  # pragma: no cover - exercised on Windows only
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _fsync_file(path: Path) -> None:
    # Opened for writing: Windows' FlushFileBuffers refuses a handle opened read-only.
    fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _checked_copy(write: Callable[[Path], None], target: Path, *, check: bool = True) -> Path:
    """Write a database copy under a temporary name beside `target` (`write(temp)`), check it
    (PRAGMA quick_check), flush it, then rename it to `target`: a copy is visible under its
    final name only when complete. A killed run leaves only a temporary name (cleaned at the
    next start, never listed); a full disk or a read-only folder raises one StoreError naming
    the folder and leaves nothing behind."""
    target = Path(target)
    check_target(target, managed_ok=True)
    folder = target.parent
    temp = temp_name(target)
    try:
        private_dir(folder)
        _create_private_file(temp)
        write(temp)
        if check:
            _quick_check(temp)
        _fsync_file(temp)
        os.replace(temp, target)
    except OSError as exc:
        raise (storage_error(exc, folder.resolve(), "bản sao lưu") or exc) from exc
    except sqlite3.Error as exc:
        mapped = sqlite_storage_error(exc, folder.resolve(), "bản sao lưu")
        if mapped is None:
            raise  # the source itself (a damaged database): the caller decides
        raise mapped from exc
    finally:
        for leftover in (temp, Path(f"{temp}-journal")):
            leftover.unlink(missing_ok=True)
    _sync_folder(folder)
    _private(target)
    return target


def _quick_check(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        rows = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
    finally:
        conn.close()
    if rows != ["ok"]:
        raise StoreError(f"Bản sao lưu {path} không đạt kiểm tra toàn vẹn: {rows[:3]}")


def backup_to(conn: sqlite3.Connection, target: Path) -> Path:
    """Copy a live database with SQLite's online backup API (never a file copy), through a
    checked temporary file (`_checked_copy`)."""

    return _checked_copy(lambda temp: _backup_into(conn, temp), Path(target))


def _backup_into(source: sqlite3.Connection, temp: Path) -> None:
    """Copy `source` into the file `temp` with the online backup API (never a file copy)."""
    dest = sqlite3.connect(temp)
    try:
        source.backup(dest)
        # A copy is one self-contained file: no -wal beside it.
        dest.execute("PRAGMA journal_mode = DELETE")
    finally:
        dest.close()


def backups_dir(db_path: Path) -> Path:
    """Where backups of a database file are kept: a folder next to it."""
    return Path(db_path).parent / "backups"


def migration_backup_name(stamp: str) -> str:
    return f"truoc-nang-cap-{stamp}.sqlite"


def check_database_file(path: str | Path) -> None:
    """Refuse a file that is not a sound kiemtra database (for restore): raises StoreError."""
    path = Path(path)
    if not path.is_file():
        raise StoreError(f"Không có tệp {path}")
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise StoreError(f"Không mở được tệp {path}: {exc}") from exc
    try:
        result = conn.execute("PRAGMA integrity_check").fetchall()
        if [r[0] for r in result] != ["ok"]:
            raise StoreError(f"Tệp {path} bị hỏng (kiểm tra toàn vẹn không đạt)")
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        if MIGRATIONS_TABLE not in names or "audit_log" not in names:
            raise StoreError(f"Tệp {path} không phải là cơ sở dữ liệu của Kiểm tra CCHC")
        # Every version of the schema has these (m001): a file without one would be swapped
        # in and then fail on every screen.
        missing = sorted(set(M001_SYNCED_TABLES) - names)
        if missing:
            raise StoreError(f"Tệp {path} thiếu bảng dữ liệu ({', '.join(missing)})")
        applied = [
            r[0]
            for r in conn.execute(
                f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = ?", [MIGRATION_SET]
            )
        ]
        if not applied:
            raise StoreError(f"Tệp {path} không phải là cơ sở dữ liệu của Kiểm tra CCHC")
        # Exactly the tables, indexes, triggers and views our migrations make, nothing more:
        # a trigger slipped into a file (deleting findings, rewriting the audit log) would run
        # inside the restored database at the next edit.
        unexpected = _schema(conn) ^ expected_schema(applied, path)
        if unexpected:
            listed = ", ".join(sorted({f"{kind} {name}" for kind, name, _ in unexpected})[:5])
            raise StoreError(
                f"Tệp {path} có cấu trúc khác với cơ sở dữ liệu của Kiểm tra CCHC ({listed})"
            )
        # integrity_check vouches for the pages, not for what they hold: a flipped byte inside
        # a text value passes it and then breaks every read of that row. Read every row once.
        for (table,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'"
        ).fetchall():
            for _ in conn.execute(f'SELECT * FROM "{table}"'):
                pass
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"Tệp {path} không phải là cơ sở dữ liệu hợp lệ: {exc}") from exc
    finally:
        conn.close()


def _schema(conn: sqlite3.Connection) -> set[tuple[str, str, str]]:
    """(type, name, SQL with whitespace collapsed) of every schema object of a database."""
    return {
        (kind, name, " ".join((sql or "").split()))
        for kind, name, sql in conn.execute("SELECT type, name, sql FROM sqlite_master")
    }


def expected_schema(applied: list[str], path: str | Path = "") -> set[tuple[str, str, str]]:
    """The schema our migrations make when the steps named in `applied` have run (in an
    in-memory database). A name this version does not know means a newer program made the
    file: StoreError."""
    import db.migrations as schema

    known = [fn.__name__ for fn in schema.STEPS]
    unknown = [name for name in applied if current_name(name) not in known]
    if unknown:
        raise StoreError(
            f"Tệp {path} được tạo bởi phiên bản mới hơn của chương trình "
            f"({', '.join(unknown)}); hãy cập nhật chương trình trước"
        )
    memory = connect(":memory:")
    try:
        migration_set(applied).apply(memory.utils)
        return _schema(memory.conn)
    finally:
        memory.conn.close()


def replace_database(path: str | Path, source: str | Path) -> None:
    """Swap the (closed) database file at `path` for a copy of `source`, atomically.

    The copy is written beside the target with the online backup API, synced, then renamed over
    it with os.replace: at every moment the file at `path` is either the old or the new database.
    The caller must hold the writer lock and have closed its connections.
    """
    path = Path(path)
    temp = path.with_name(f".{path.name}.restore.tmp")
    temp.unlink(missing_ok=True)
    _create_private_file(temp)
    src = sqlite3.connect(Path(source).resolve().as_uri() + "?mode=ro", uri=True)
    try:
        _backup_into(src, temp)
    finally:
        src.close()
    _fsync_file(temp)
    # Fold the old database's write-ahead log into it (nothing committed is dropped), then
    # remove the log: it must never be replayed onto the new file.
    if path.exists():
        try:
            old = sqlite3.connect(path)
            try:
                old.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                old.close()
        except sqlite3.DatabaseError:
            pass  # a damaged file: its safety copy was taken byte for byte
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    os.replace(temp, path)
    _private(path)


def safety_copy(db_path: str | Path, target: Path) -> Path:
    """Back up a database that no one is writing (the caller holds the writer lock).

    Through the online backup API when SQLite can read it; a damaged file is copied byte for
    byte instead, so that even a broken database is kept before it is replaced.
    """
    db_path = Path(db_path)
    try:
        conn = _read_only_connection(db_path)
        try:
            return backup_to(conn, target)
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        # Storage errors arrive as StoreError (they pass); this is a damaged source.
        def copy(temp: Path) -> None:
            with open(db_path, "rb") as src, open(temp, "wb") as dest:
                shutil.copyfileobj(src, dest)

        return _checked_copy(copy, target, check=False)


# -- opening ----------------------------------------------------------------------------------
def refuse_special_file(path: str | Path) -> None:
    """StoreError when `path` exists and is not a regular file (a device such as /dev/null, a
    FIFO, a folder): never opened, locked or chmod-ed."""
    kind = not_regular_file(path)
    if kind is not None:
        raise StoreError(
            f"Không mở được cơ sở dữ liệu {path}: đây là {kind}, không phải tệp cơ sở dữ liệu; "
            "hãy chọn một tệp khác (--db)"
        )


def _read_only_connection(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        raise StoreError(f"Không có tệp cơ sở dữ liệu {path}")
    uri = path.resolve().as_uri()
    try:
        conn = sqlite3.connect(
            uri + "?mode=ro", uri=True, isolation_level=None, check_same_thread=False
        )
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError:
        # A WAL database in a folder we cannot write, closed cleanly (no -shm to share):
        # nobody can be writing it, so read it as an immutable file.
        conn = sqlite3.connect(
            uri + "?mode=ro&immutable=1", uri=True, isolation_level=None, check_same_thread=False
        )
    return conn


def connect(path: str | Path, *, read_only: bool = False) -> Database:
    """Open (creating if needed) the file with WAL, foreign keys and durable commits.

    `read_only` opens an existing file through a `mode=ro` URI: every write fails.
    """
    path = Path(path)
    memory = str(path) == ":memory:"
    if not memory:
        refuse_special_file(path)
        protect_database(path)
    try:
        if read_only and not memory:
            conn = _read_only_connection(path)
            conn.execute("PRAGMA query_only = ON")
        else:
            if not memory:
                try:
                    private_dir(path.parent)
                    _create_private_file(path)
                except OSError as exc:
                    raise StorageReadOnlyError(
                        f"Không tạo được cơ sở dữ liệu {path}: thư mục dữ liệu chỉ cho phép đọc "
                        "hoặc không có quyền ghi"
                    ) from exc
            conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA busy_timeout = 5000")
            # WAL: a commit appends to the -wal file and readers never block the writer; a
            # crash at any moment leaves either the whole transaction or none of it.
            # synchronous = FULL: the WAL is fsync'ed at every commit, so a committed (and
            # acknowledged) edit survives a power cut too, not only a killed process. NORMAL
            # would be faster but may lose the last commits on power loss.
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        # What sqlite-utils sets on every connection it wraps; the triggers were written with it.
        conn.execute("PRAGMA recursive_triggers = ON")
    except sqlite3.DatabaseError as exc:
        mapped = store_error(exc, read_only=read_only)
        kind = type(mapped) if mapped is not None else StoreError
        raise kind(f"Không mở được cơ sở dữ liệu {path}: {exc}") from exc
    if not memory and not read_only:
        for suffix in ("", "-wal", "-shm"):
            p = Path(str(path) + suffix)
            if p.exists():
                _private(p)
    return Database(conn, read_only=read_only)


def _restore_in_place(db: Database, backup: Path) -> None:
    """Copy a backup back into the open database (online backup API, page by page)."""
    src = sqlite3.connect(backup)
    try:
        src.backup(db.conn)
    finally:
        src.close()


def open_database(path: str | Path, *, read_only: bool = False) -> Database:
    """Open the database and bring its schema up to date, backing it up first if needed.

    A migration that fails leaves the database as it was: each migration runs in a transaction
    and, if an earlier one of the same run had already been committed, the backup taken just
    before is copied back in.
    """
    db = connect(path, read_only=read_only)
    try:
        if not read_only:
            # An earlier version's step names (db.migrations.RENAMED): today's, not re-run.
            rename_applied(db.conn)
        pending = pending_names(db.conn)
    except sqlite3.DatabaseError as exc:
        db.conn.close()
        mapped = store_error(exc, read_only=read_only)
        if mapped is not None and not isinstance(mapped, DatabaseCorruptError):
            raise mapped from exc  # busy, full, read-only: the file itself may be sound
        raise DatabaseCorruptError(f"Tệp {path} không phải là cơ sở dữ liệu hợp lệ: {exc}") from exc
    if read_only:
        if pending:
            db.conn.close()
            raise StoreError(
                f"Cơ sở dữ liệu {path} cần được nâng cấp trước; không thể nâng cấp khi mở chỉ đọc"
            )
        return db
    if not pending:
        return db
    backup: Path | None = None
    if str(path) != ":memory:" and db.table_names():
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        target = backups_dir(Path(path)) / migration_backup_name(stamp)
        n = 1
        while target.exists():
            n += 1
            target = backups_dir(Path(path)) / migration_backup_name(f"{stamp}-{n}")
        backup = backup_to(db.conn, target)
    migrations = migration_set()  # sqlite-utils, only when there is work to do
    before = len(migrations.applied(db.utils))
    try:
        migrations.apply(db.utils)
    except sqlite3.OperationalError as exc:
        if isinstance(store_error(exc), DatabaseLockedError):
            db.conn.close()
            raise DatabaseLockedError(
                f"Cơ sở dữ liệu {path} đang bị chương trình khác khóa"
            ) from exc
        _fail_migration(db, path, backup, before, exc)
    except Exception as exc:
        _fail_migration(db, path, backup, before, exc)
    return db


def _fail_migration(
    db: Database, path: str | Path, backup: Path | None, before: int, exc: Exception
) -> None:
    if backup is not None and len(migration_set().applied(db.utils)) != before:
        _restore_in_place(db, backup)
    db.conn.close()
    where = f"; bản sao lưu: {backup}" if backup else ""
    raise StoreError(
        f"Nâng cấp cơ sở dữ liệu {path} không thành công ({exc}); dữ liệu được giữ nguyên{where}"
    ) from exc


def referenced_attachments(path: str | Path) -> set[str]:
    """The attachment hashes a database file (a backup) refers to, in every attachment
    table it has; empty when it cannot be read (a damaged copy cannot be restored either)."""
    from db.migrations import ATTACHMENT_TABLES

    found: set[str] = set()
    try:
        conn = _read_only_connection(Path(path))
    except (StoreError, sqlite3.Error):
        return found
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        for table in ATTACHMENT_TABLES:
            if table in tables:
                found.update(r[0] for r in conn.execute(f"SELECT DISTINCT sha256 FROM {table}"))
    except sqlite3.Error:
        return set()
    finally:
        conn.close()
    return found
