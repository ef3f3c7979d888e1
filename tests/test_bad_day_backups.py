"""Issue 16 item 2: a killed backup is never listed as good. A copy is written under a
temporary name, checked, and renamed only when whole; a killed run's temporary file is
removed at the next start and never listed; a partial file under a backup's name (an older
version's) neither is listed nor stops the day's automatic backup."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from db import Store
from desktop.services import backup
from tests.conftest import KIEMTRA_COMMAND, run_kiemtra

KIEMTRA = KIEMTRA_COMMAND
_kiemtra = run_kiemtra


def _integrity(path: Path) -> str:
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def _entries(folder: Path) -> set[str]:
    try:
        return {entry.name for entry in os.scandir(folder)}
    except OSError:
        return set()


@pytest.mark.skipif(os.name == "nt", reason="Popen.kill is SIGKILL on POSIX")
def test_killed_backups_are_never_listed(tmp_path: Path) -> None:
    db_path = tmp_path / "data" / "kiemtra.sqlite"
    done = _kiemtra(db_path, "demo", "--units", "50", "--years", "1")
    assert done.returncode == 0, done.stderr
    folder = db_path.parent / "backups"
    rng = random.Random(16)
    kills = 0
    for attempt in range(30):  # the "Done when": 30 kills
        before = _entries(folder)
        process = subprocess.Popen(
            [*KIEMTRA, "--db", str(db_path), "backup"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if attempt % 2 == 0:
            # The moment a new file shows in the folder: the copy is under way.
            deadline = time.monotonic() + 10
            while _entries(folder) == before and time.monotonic() < deadline:
                if process.poll() is not None:
                    break
        else:
            time.sleep(rng.uniform(0.05, 0.6))
        if process.poll() is None:
            process.kill()
            kills += 1
        process.wait(timeout=30)
        assert process.returncode in (0, -signal.SIGKILL)
    assert kills >= 10, "the backups ended before they could be killed"
    # Nothing listed is partial, even before the next start cleans up.
    listed = json.loads(_kiemtra(db_path, "backups", "--json").stdout)
    for row in listed:
        assert not Path(f"{row['path']}-journal").exists(), row  # a copy cut short
        assert _integrity(Path(row["path"])) == "ok", row
    # The next start: today's automatic backup exists and is whole, no temporary file is left.
    done = _kiemtra(db_path, "backup")
    assert done.returncode == 0, done.stderr
    listed = json.loads(_kiemtra(db_path, "backups", "--json").stdout)
    assert any(row["reason"] == "daily" for row in listed)
    for row in listed:
        assert _integrity(Path(row["path"])) == "ok", row
    names = _entries(folder)
    assert not [name for name in names if name.startswith(".")], names
    assert not [name for name in names if name.endswith("-journal")], names
    assert {Path(row["path"]).name for row in listed} == names


def test_a_partial_daily_file_does_not_stop_the_days_backup(demo_store: Store) -> None:
    assert demo_store.path is not None
    db_path = Path(demo_store.path)
    folder = db_path.parent / "backups"
    folder.mkdir(exist_ok=True)
    now = dt.datetime.now()
    stamp = now.strftime("%Y%m%d-%H%M%S")
    empty = folder / f"tu-dong-{stamp}.sqlite"
    empty.write_bytes(b"")
    good = backup.backup_now(demo_store, db_path.parent / "whole.sqlite").read_bytes()
    cut = folder / f"tu-dong-{stamp}-2.sqlite"
    cut.write_bytes(good[: len(good) // 2])
    hot = folder / f"thu-cong-{stamp}.sqlite"
    hot.write_bytes(good)
    Path(f"{hot}-journal").write_bytes(b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7")
    assert backup.list_backups(db_path) == []
    made = backup.daily_backup(demo_store, now=now)
    assert made is not None and _integrity(made) == "ok"
    assert [row["path"] for row in backup.list_backups(db_path)] == [str(made)]


def test_a_dead_runs_temporary_is_removed_and_a_live_ones_kept(demo_store: Store) -> None:
    assert demo_store.path is not None
    db_path = Path(demo_store.path)
    folder = db_path.parent / "backups"
    folder.mkdir(exist_ok=True)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    left = folder / f".tu-dong-20260101-000000.{dead.pid}-0123abcd.tmp.sqlite"
    left.write_bytes(b"SQLite format 3\x00partial")
    journal = Path(f"{left}-journal")
    journal.write_bytes(b"x")
    mine = folder / f".thu-cong-20260101-000000.{os.getpid()}-0123abcd.tmp.sqlite"
    mine.write_bytes(b"being written")
    assert backup.list_backups(db_path) == []
    backup.daily_backup(demo_store)
    assert not left.exists() and not journal.exists()
    assert mine.exists()  # a process still running may be copying right now


def test_the_restore_safety_copy_goes_through_a_checked_temporary(
    demo_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert demo_store.path is not None
    db_path = Path(demo_store.path)
    source = backup.backup_now(demo_store, tmp_path / "nguon.sqlite")
    demo_store.close()
    seen: list[str] = []
    real_replace = os.replace

    def watching(src: object, dst: object) -> None:
        seen.append(f"{Path(str(src)).name} -> {Path(str(dst)).name}")
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", watching)
    safety = backup.restore(db_path, source)
    assert safety is not None and _integrity(safety) == "ok"
    # Visible under its name only by a rename of a hidden temporary.
    assert any(line.startswith(".") and line.endswith(f" -> {safety.name}") for line in seen)
