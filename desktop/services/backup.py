"""Backups: one automatic copy a day, a copy before every risky change, and restore.

Every copy is made with SQLite's online backup API (never a file copy of a live database) into
the `backups/` folder beside the database, named `<reason prefix>-<yyyymmdd-HHMMSS>.sqlite` so
that the folder explains itself to a user who opens it.

A copy is written under a temporary name, checked (PRAGMA quick_check), flushed, and only then
renamed to its final name (db.connection._checked_copy): a killed run leaves a hidden
temporary file, which the next start removes (`clean_partial`) and which is never listed. A
file under a backup's name that is not a whole database (an older version's killed copy) is
neither listed nor counted as the day's automatic backup.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Any

from db import Store
from db.connection import (
    backups_dir,
    check_database_file,
    migration_backup_name,
    referenced_attachments,
    replace_database,
    safety_copy,
)
from db.files import check_target, is_temporary
from db.lock import WriterLock
from desktop.services.errors import UserError

KEEP = 14

# reason code -> (file name prefix, what the user sees)
REASONS: dict[str, tuple[str, str]] = {
    "daily": ("tu-dong", "Tự động hằng ngày"),
    "manual": ("thu-cong", "Sao lưu thủ công"),
    "migration": ("truoc-nang-cap", "Trước khi nâng cấp cơ sở dữ liệu"),
    "import": ("truoc-nhap", "Trước khi nhập dữ liệu"),
    "checklist": ("truoc-doi-tieu-chi", "Trước khi thay đổi bộ tiêu chí"),
    "restore": ("truoc-khoi-phuc", "Trước khi khôi phục"),
}
_BY_PREFIX = {prefix: code for code, (prefix, _) in REASONS.items()}
_NAME = re.compile(r"^(?P<prefix>[a-z-]+?)-(?P<stamp>\d{8}-\d{6})(?:-(?P<n>\d+))?\.sqlite$")
_STAMP = "%Y%m%d-%H%M%S"

assert migration_backup_name("x") == "truoc-nang-cap-x.sqlite"  # the name db/ writes


def _target(db_path: Path, reason: str, now: dt.datetime) -> Path:
    prefix = REASONS[reason][0]
    folder = backups_dir(db_path)
    stamp = now.strftime(_STAMP)
    target = folder / f"{prefix}-{stamp}.sqlite"
    n = 1
    while target.exists():
        n += 1
        target = folder / f"{prefix}-{stamp}-{n}.sqlite"
    return target


def _db_path(store: Store) -> Path:
    if store.path is None:
        raise UserError("Cơ sở dữ liệu trong bộ nhớ không có bản sao lưu")
    return Path(store.path)


def backup_before(store: Store, reason: str) -> Path:
    """Back up the database before a risky change; call it right before the transaction.

    `reason` is one of REASONS: "import", "checklist", "migration", "restore", "manual".
    Keeps the last KEEP automatic copies of that reason.
    """
    if reason not in REASONS:
        raise ValueError(f"unknown backup reason {reason!r}")
    db_path = _db_path(store)
    target = store.backup(_target(db_path, reason, dt.datetime.now()))
    if reason != "manual":
        prune(db_path, reason, KEEP)
    collect_attachments(store)
    return target


def collect_attachments(store: Store) -> dict[str, int] | None:
    """Remove the attachment files no row refers to — neither in the database nor in any of
    its listed backups, which a restore would bring back (attachments.collect_garbage). Run
    at backup and by `kiemtra attachments gc`; only by the writer (a read-only reader beside
    the open window may not know of a row the window is adding). None when not done."""
    if store.path is None or store.read_only:
        return None
    from desktop.services.attachments import collect_garbage
    from desktop.services.paths import data_dir_for

    db_path = Path(store.path)
    kept: set[str] = set()
    for entry in _scan(db_path):
        kept |= referenced_attachments(entry["path"])
    return collect_garbage(store, data_dir_for(db_path), also_referenced=kept)


def backup_now(store: Store, target: str | Path | None = None) -> Path:
    """A backup the user asked for: into `target`, or the backups folder when None."""
    if target is None:
        return backup_before(store, "manual")
    target = Path(target)
    if target.resolve() == _db_path(store).resolve():
        raise UserError("Không thể sao lưu đè lên chính cơ sở dữ liệu đang dùng")
    # Its -wal, lock, a device, a managed folder of the data folder: refused in one line.
    check_target(target)
    if target.exists():
        raise UserError(f"Tệp {target} đã có; hãy chọn tên khác")
    made = store.backup(target)
    collect_attachments(store)
    return made


def daily_backup(store: Store, keep: int = KEEP, now: dt.datetime | None = None) -> Path | None:
    """At most one automatic backup a day, keeping the last `keep`; call it when the app
    opens a database for writing. Returns the new file, or None when there was nothing to do."""
    if store.path is None or store.read_only or not store.has_records():
        return None
    now = now or dt.datetime.now()
    db_path = Path(store.path)
    clean_partial(db_path)
    today = now.date()
    if any(b["reason"] == "daily" and b["created_at"].date() == today for b in _scan(db_path)):
        return None
    target = store.backup(_target(db_path, "daily", now))
    prune(db_path, "daily", keep)
    collect_attachments(store)
    return target


def _alive(pid: int) -> bool:
    """Whether process `pid` still runs (POSIX); on Windows, True: an open file there cannot
    be removed anyway, so a running copy is safe and a dead one's file goes."""
    if pid == os.getpid():
        return True
    if os.name == "nt":  # pragma: no cover - os.kill(pid, 0) would end the process there
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process: alive
    return True


def clean_partial(db_path: str | Path) -> list[Path]:
    """Remove the temporary files a killed backup left in the backups folder (those of a
    process still running are kept: it may be copying right now); returns what went."""
    folder = backups_dir(Path(db_path))
    gone: list[Path] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return gone
    for path in entries:
        if not is_temporary(path):
            continue
        # The writer's pid is in the name: ".<stem>.<pid>-<random>.tmp<suffix>".
        match = re.search(r"\.(\d+)-[0-9a-f]{8}\.tmp", path.name)
        if match and _alive(int(match[1])):
            continue
        try:
            path.unlink()
            gone.append(path)
        except OSError:
            pass  # still open (Windows) or not ours to remove
    return gone


def is_whole_database(path: Path) -> bool:
    """A cheap check that `path` is a complete SQLite file: its header, the size the header
    announces, no hot journal beside it. An older version's killed copy fails it."""
    try:
        if Path(f"{path}-journal").exists():
            return False
        size = path.stat().st_size
        with open(path, "rb") as handle:
            header = handle.read(100)
    except OSError:
        return False
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        return False
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    # The page count is valid only when "version-valid-for" matches the change counter.
    if header[92:96] != header[24:28] or pages == 0:
        return size > 0 and size % page_size == 0
    return size == pages * page_size


def _scan(db_path: Path) -> list[dict[str, Any]]:
    folder = backups_dir(db_path)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        match = _NAME.match(path.name)
        if not match or match["prefix"] not in _BY_PREFIX or not path.is_file():
            continue
        if not is_whole_database(path):
            continue  # a partial copy: never listed, never "today's backup"
        created = dt.datetime.strptime(match["stamp"], _STAMP)
        found.append(
            {
                "path": path,
                "created_at": created,
                "order": (created, int(match["n"] or 1)),
                "reason": _BY_PREFIX[match["prefix"]],
            }
        )
    return sorted(found, key=lambda b: b["order"])


def prune(db_path: Path, reason: str, keep: int) -> list[Path]:
    """Delete the oldest backups of one reason beyond the last `keep`; returns what went."""
    mine = [b for b in _scan(db_path) if b["reason"] == reason]
    gone = [b["path"] for b in mine[: max(0, len(mine) - keep)]]
    for path in gone:
        path.unlink(missing_ok=True)
    return gone


def list_backups(db_path: str | Path) -> list[dict[str, Any]]:
    """The backups of a database, newest first: path, created (ISO), size, reason, label.
    A killed run's temporary files are removed first (never listed in any case)."""
    clean_partial(db_path)
    return [
        {
            "path": str(b["path"]),
            "created": b["created_at"].isoformat(timespec="seconds"),
            "size": b["path"].stat().st_size,
            "reason": b["reason"],
            "label": REASONS[b["reason"]][1],
        }
        for b in reversed(_scan(Path(db_path)))
    ]


def restore(db_path: str | Path, source: str | Path, app: str | None = None) -> Path | None:
    """Put a backup in place of the database at `db_path`; returns the safety copy (None when
    there was no database yet).

    Checks `source` first (readable, `PRAGMA integrity_check` ok, every row readable, a
    kiemtra database whose tables, indexes, triggers and views are exactly those our
    migrations make) and refuses it otherwise, leaving the database untouched. Then, holding
    the writer lock (so no other program is writing), backs up the current database and swaps
    the file atomically.
    Every Store on this database in this process must be closed first.
    """
    db_path, source = Path(db_path), Path(source)
    if not source.is_file():
        raise UserError(f"Không có tệp sao lưu {source}")
    if source.resolve() == db_path.resolve():
        raise UserError("Tệp cần khôi phục chính là cơ sở dữ liệu đang dùng")
    try:
        check_database_file(source)
    except Exception as exc:
        raise UserError(f"Không khôi phục: {exc}. Cơ sở dữ liệu hiện tại được giữ nguyên.") from exc
    lock = WriterLock(db_path, app)
    lock.acquire()
    try:
        safety = None
        if db_path.exists() and db_path.stat().st_size > 0:
            safety = safety_copy(db_path, _target(db_path, "restore", dt.datetime.now()))
            prune(db_path, "restore", KEEP)
        replace_database(db_path, source)
    finally:
        lock.release()
    # Bring an older backup's schema up to date now, with its own pre-upgrade backup.
    Store.open(db_path, app=app).close()
    return safety
