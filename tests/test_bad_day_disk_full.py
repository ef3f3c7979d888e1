"""Issue 16 item 3: a full disk, a read-only medium or a refused permission gives one
Vietnamese line naming the folder and what to do — at the daily backup, a manual backup, the
lock file and key creation — and leaves nothing half written. Key creation is atomic; an empty
key file from an older version is made again, a damaged one is named (no traceback)."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from db import Store, files
from db.errors import DiskFullError, StoreError
from db.lock import WriterLock
from desktop.services import backup
from desktop.sync import keys
from tests.conftest import run_kiemtra

_run = run_kiemtra


def _one_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in text, text
    return lines[0]


def _backups(db_path: Path) -> list[str]:
    folder = db_path.parent / "backups"
    return sorted(os.listdir(folder)) if folder.is_dir() else []


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    from desktop.services.demo import build_demo

    db_path = tmp_path / "data" / "kiemtra.sqlite"
    store = Store.open(db_path)
    try:
        build_demo(store, recommendations=False)
    finally:
        store.close()
    return db_path


# -- simulated without root: RLIMIT_FSIZE in a child, or a failing os call in process ---------
@pytest.mark.skipif(os.name == "nt", reason="RLIMIT_FSIZE is POSIX")
def test_a_daily_backup_that_cannot_be_written_warns_and_the_command_runs(
    demo_db: Path,
) -> None:
    size = demo_db.stat().st_size
    done = _run(demo_db, "plans", "--json", fsize=size // 2)
    assert done.returncode == 0, done.stderr
    line = _one_line(done.stderr)
    assert line.startswith("Cảnh báo: không tạo được bản sao lưu tự động")
    assert str((demo_db.parent / "backups").resolve()) in line
    assert "hãy" in line  # what to do
    assert _backups(demo_db) == []  # no 0-byte (or partial) backup listed, no temporary
    assert backup.list_backups(demo_db) == []


@pytest.mark.skipif(os.name == "nt", reason="RLIMIT_FSIZE is POSIX")
def test_a_manual_backup_on_a_full_disk_is_one_line_and_leaves_nothing(demo_db: Path) -> None:
    _run(demo_db, "plans")  # today's automatic backup made first
    before = _backups(demo_db)
    done = _run(demo_db, "backup", fsize=demo_db.stat().st_size // 2)
    assert done.returncode != 0
    line = _one_line(done.stderr)
    assert line.startswith("Lỗi: Không ghi được bản sao lưu vào thư mục")
    assert _backups(demo_db) == before


def test_disk_full_while_copying_raises_disk_full_naming_the_folder(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(demo_db)
    try:

        def full(*_args: object) -> None:
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(os, "replace", full)
        with pytest.raises(DiskFullError, match="ổ đĩa đã đầy") as caught:
            backup.backup_before(store, "manual")
        assert str((demo_db.parent / "backups").resolve()) in str(caught.value)
    finally:
        monkeypatch.undo()
        store.close()
    assert _backups(demo_db) == []


def test_a_lock_file_that_cannot_be_written_still_locks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db_path = tmp_path / "kiemtra.sqlite"
    real_write = os.write

    def full(fd: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    lock = WriterLock(db_path)
    lock.acquire()  # the JSON describing us could not be written: the lock holds anyway
    monkeypatch.setattr(os, "write", real_write)
    try:
        assert lock.held and Path(f"{db_path}.lock").read_bytes() == b""
    finally:
        lock.release()


def test_a_lock_file_that_cannot_be_created_names_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = os.open

    def full(path: object, flags: int, *args: object, **kwargs: object) -> int:
        if str(path).endswith(".lock"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", full)
    with pytest.raises(DiskFullError, match="tệp khóa vào thư mục .*ổ đĩa đã đầy"):
        WriterLock(tmp_path / "kiemtra.sqlite").acquire()


def test_key_creation_on_a_full_disk_leaves_no_key_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_fsync = os.fsync

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(DiskFullError, match="khóa thiết bị vào thư mục .*keys"):
        keys.load_or_create_keys(tmp_path)
    monkeypatch.setattr(os, "fsync", real_fsync)
    folder = tmp_path / keys.KEYS_DIR
    assert os.listdir(folder) == []  # neither an empty key nor a temporary
    made = keys.load_or_create_keys(tmp_path)  # space is back
    assert keys.load_keys(tmp_path) is not None and made.fingerprint


def test_an_empty_key_file_of_an_older_version_is_made_again(db_path: Path) -> None:
    folder = db_path.parent / keys.KEYS_DIR
    folder.mkdir(parents=True)
    (folder / keys.SIGNING_FILE).write_bytes(b"")
    Store.open(db_path).close()
    from click.testing import CliRunner

    from desktop.cli import cli

    result = CliRunner().invoke(cli, ["--db", str(db_path), "device", "show"])
    assert result.exit_code == 0, result.output
    # The database's own keys (one folder per device id, issue 15) are made whole; the old
    # empty file, never published, is not used.
    conn = sqlite3.connect(db_path)
    device_id = conn.execute("SELECT id FROM devices WHERE is_self = 1").fetchone()[0]
    conn.close()
    assert (folder / device_id / keys.SIGNING_FILE).stat().st_size > 0


def test_a_damaged_key_file_is_one_line(db_path: Path) -> None:
    keys.load_or_create_keys(db_path.parent)
    (db_path.parent / keys.KEYS_DIR / keys.EXCHANGE_FILE).write_bytes(b"-----BEGIN garbage")
    Store.open(db_path).close()
    from click.testing import CliRunner

    from desktop.cli import cli

    for args in (["device", "show"], ["sync", "export", "-o", str(db_path.parent / "g.kiemtra")]):
        result = CliRunner().invoke(cli, ["--db", str(db_path), *args])
        assert result.exit_code == 1, result.output
        line = _one_line(result.output)
        assert line.startswith("Lỗi: Tệp khóa thiết bị") and "bị hỏng" in line


# -- a real full disk: a tiny tmpfs, as root only ------------------------------------------------
@contextlib.contextmanager
def _tmpfs(where: Path, size: str) -> Iterator[Path]:
    where.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True, check=False)


def _fill(folder: Path, leave: int) -> None:
    """Fill the file system of `folder` until `leave` bytes are free (or fewer)."""
    with open(folder / "filler", "ab") as handle:
        while True:
            free = shutil.disk_usage(folder).free
            if free <= leave:
                return
            try:
                handle.write(b"\0" * min(free - leave, 1 << 20))
                handle.flush()
            except OSError:
                return


@pytest.mark.skipif(
    os.name == "nt" or not hasattr(os, "geteuid") or os.geteuid() != 0 or not shutil.which("mount"),
    reason="mounting a tmpfs needs root",
)
def test_a_real_full_disk(demo_db: Path, tmp_path: Path) -> None:
    with _tmpfs(tmp_path / "mnt", "3m") as mnt:
        db_path = mnt / "kiemtra.sqlite"
        shutil.copy(demo_db, db_path)
        _fill(mnt, leave=64 * 1024)
        # The first command of the day: its automatic backup does not fit.
        done = _run(db_path, "plans", "--json")
        assert done.returncode == 0, done.stderr
        line = _one_line(done.stderr)
        assert "ổ đĩa đã đầy" in line and str(mnt / "backups") in line
        assert backup.list_backups(db_path) == [] and _backups(db_path) == []
        done = _run(db_path, "backup")
        # The day's automatic copy is tried first (one warning line), then the manual one.
        assert done.returncode == 1 and "Traceback" not in done.stderr
        assert done.stderr.splitlines()[-1].startswith("Lỗi: Không ghi được bản sao lưu")
        assert "ổ đĩa đã đầy" in done.stderr.splitlines()[-1]
        assert _backups(db_path) == []
        # Keys at 100 %: one line, no empty key file; made once there is room.
        _fill(mnt, leave=0)
        done = _run(db_path, "device", "show")
        assert done.returncode == 1, done.stdout
        assert "Traceback" not in done.stderr and done.stderr.startswith("Lỗi: ")
        # (One folder of keys per database, named by its device id: issue 15.)
        assert not [p for p in (mnt / keys.KEYS_DIR).rglob("*.pem") if p.stat().st_size == 0]
        (mnt / "filler").unlink()
        done = _run(db_path, "device", "show", "--json")
        assert done.returncode == 0, done.stderr
        device_id = json.loads(done.stdout)["id"]
        assert (mnt / keys.KEYS_DIR / device_id / keys.SIGNING_FILE).stat().st_size > 0
        assert not [p for p in mnt.rglob("*") if files.is_temporary(p)]


def test_storage_error_words(tmp_path: Path) -> None:
    full = files.storage_error(OSError(errno.ENOSPC, "full"), tmp_path)
    assert isinstance(full, DiskFullError) and str(tmp_path) in str(full)
    read_only = files.storage_error(OSError(errno.EROFS, "ro"), tmp_path)
    assert isinstance(read_only, StoreError) and "chỉ cho phép đọc" in str(read_only)
    assert files.storage_error(OSError(errno.ENOENT, "gone"), tmp_path) is None
