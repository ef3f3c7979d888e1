"""Nothing lost: a writer killed at random moments, a full disk, a read-only folder.

The crash test runs real processes (tests/crash_writer.py) that record findings through the
app's own code and print each edit once it is committed; each is killed with SIGKILL after a
random 20–200 ms of work. Every acknowledged edit must then be in the database, which must pass
`PRAGMA integrity_check` and the audit-chain check.
"""

from __future__ import annotations

import json
import os
import random
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from db import Store, StoreError
from db.errors import DISK_FULL_MESSAGE, READ_ONLY_FOLDER_MESSAGE, READ_ONLY_MESSAGE
from desktop.domain import Result
from desktop.services import findings

ROOT = Path(__file__).resolve().parents[1]
WRITER = ROOT / "tests" / "crash_writer.py"
KILLS = 50
START_TIMEOUT = 60.0  # seconds for a writer to start on a loaded machine


def _run_and_kill(db_path: Path, tag: str, work_ms: float) -> list[tuple[str, str, str]]:
    """Start a writer, let it work `work_ms` after it is ready, SIGKILL it; return its acks."""
    proc = subprocess.Popen(
        [sys.executable, str(WRITER), str(db_path), "write", tag],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    buffer = b""
    deadline: float | None = None
    start = time.monotonic()
    try:
        while True:
            now = time.monotonic()
            if deadline is not None and now >= deadline:
                break
            if deadline is None and now - start > START_TIMEOUT:
                pytest.fail(f"writer did not start: {proc.stderr.read() if proc.stderr else ''}")
            wait = (deadline - now) if deadline is not None else 1.0
            ready, _, _ = select.select([fd], [], [], wait)
            if not ready:
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                err = proc.stderr.read().decode() if proc.stderr else ""
                pytest.fail(f"writer exited early: {err}")
            buffer += chunk
            if deadline is None and b"ready\n" in buffer:
                deadline = time.monotonic() + work_ms / 1000
    finally:
        proc.send_signal(signal.SIGKILL)
        rest, err = proc.communicate(timeout=60)
    buffer += rest
    assert proc.returncode == -signal.SIGKILL, err.decode()
    lines = buffer.split(b"\n")
    # The last piece has no newline: the print the kill interrupted, not acknowledged.
    complete = [line for line in lines[:-1] if line and line != b"ready"]
    return [tuple(json.loads(line)) for line in complete]  # type: ignore[misc]


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_killed_writers_lose_no_acknowledged_edit(db_path: Path) -> None:
    from desktop.services.demo import build_demo

    store = Store.open(db_path)
    build_demo(store)
    store.close()

    rng = random.Random(20210602)
    acked: list[tuple[int, int, tuple[str, str, str]]] = []  # (process, n, edit)
    started = time.monotonic()
    for proc_no in range(KILLS):
        edits = _run_and_kill(db_path, f"p{proc_no}", rng.uniform(20, 200))
        for edit in edits:
            acked.append((proc_no, int(edit[2].split(":")[1]), edit))
    elapsed = time.monotonic() - started
    assert len(acked) > KILLS, "the writers should have committed something"

    store = Store.open(db_path)
    try:
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert store.core.verify_audit() is None
        # Every acknowledged edit is in the audit trail of its finding ...
        notes_logged: set[str] = set()
        for (new,) in store.db.execute(
            "SELECT new FROM audit_log WHERE table_name = 'findings' AND new IS NOT NULL"
        ):
            note = json.loads(new).get("note")
            if note:
                notes_logged.add(note)
        missing = [e for _, _, e in acked if e[2] not in notes_logged]
        assert not missing, missing[:5]
        # ... and each finding holds its last acknowledged note, or a later (unacknowledged) one.
        last: dict[tuple[str, str], tuple[int, int]] = {}
        for proc_no, n, (inspection_id, code, _) in acked:
            last[(inspection_id, code)] = max(
                last.get((inspection_id, code), (-1, -1)), (proc_no, n)
            )
        for (inspection_id, code), order in last.items():
            item_id = store.findings.item_id_for_code(inspection_id, code)
            row = store.findings.finding(inspection_id, str(item_id))
            assert row is not None
            tag, n = row["note"].split(":")
            assert (int(tag[1:]), int(n)) >= order, (code, row["note"], order)
    finally:
        store.close()
    assert elapsed < 120, f"crash test took {elapsed:.0f}s"


# -- a full disk ------------------------------------------------------------------------------
def test_full_disk_gives_a_clear_message_and_loses_nothing(demo_store: Store) -> None:
    store = demo_store
    inspection = store.planning.inspections()[0]
    code = store.findings.inspection_items(inspection["id"])[0]["code"]
    findings.record(store, inspection["id"], code, result=Result.DAT, note="đã lưu trước")
    before = store.db.execute("SELECT count(*), max(hlc) FROM findings").fetchone()
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    # No room left: the next page SQLite asks for fails with SQLITE_FULL, as on a full disk.
    store.db.execute(f"PRAGMA max_page_count = {pages}")
    long_note = "Ghi chú rất dài " * 20_000
    with pytest.raises(StoreError) as caught:
        findings.record(store, inspection["id"], code, note=long_note)
    assert str(caught.value) == DISK_FULL_MESSAGE
    assert "ổ đĩa đã đầy" in str(caught.value)
    # What was saved is still there, the failed edit left no trace, and reading still works.
    assert store.db.execute("SELECT count(*), max(hlc) FROM findings").fetchone() == before
    row = store.findings.finding(
        inspection["id"], str(store.findings.item_id_for_code(inspection["id"], code))
    )
    assert row is not None and row["note"] == "đã lưu trước"
    assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert store.core.verify_audit() is None
    assert store.planning.inspections()
    # Once there is room again, the same edit goes through.
    store.db.execute("PRAGMA max_page_count = 1073741823")
    findings.record(store, inspection["id"], code, note="sau khi giải phóng")


# -- a read-only database ---------------------------------------------------------------------
def test_read_only_open_reads_and_refuses_writes_clearly(demo_store: Store, db_path: Path) -> None:
    inspection = demo_store.planning.inspections()[0]
    code = demo_store.findings.inspection_items(inspection["id"])[0]["code"]
    findings.record(demo_store, inspection["id"], code, note="đã lưu")
    plans = demo_store.planning.plans()
    reader = Store.open(db_path, read_only=True)
    try:
        assert reader.read_only
        assert reader.planning.plans() == plans
        with pytest.raises(StoreError) as caught:
            findings.record(reader, inspection["id"], code, note="không được ghi")
        assert str(caught.value) == READ_ONLY_MESSAGE
        assert reader.core.verify_audit() is None
    finally:
        reader.close()
    row = demo_store.findings.finding(
        inspection["id"], str(demo_store.findings.item_id_for_code(inspection["id"], code))
    )
    assert row is not None and row["note"] == "đã lưu"


def test_read_only_open_of_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="Không có tệp"):
        Store.open(tmp_path / "khong-co.sqlite", read_only=True)
    assert not (tmp_path / "khong-co.sqlite").exists()


@pytest.mark.skipif(
    sys.platform == "win32" or os.geteuid() == 0, reason="root ignores file permissions"
)
def test_read_only_folder_gives_clear_message_and_keeps_data(db_path: Path) -> None:
    from desktop.services.demo import build_demo

    store = Store.open(db_path)
    build_demo(store)
    plans = store.planning.plans()
    store.close()
    folder = db_path.parent
    os.chmod(db_path, 0o400)
    os.chmod(folder, 0o500)
    try:
        with pytest.raises(StoreError) as caught:
            Store.open(db_path)
        assert "chỉ cho phép đọc" in str(caught.value)
        # The app keeps working read-only with everything saved.
        reader = Store.open(db_path, read_only=True)
        try:
            assert reader.planning.plans() == plans
            inspection = reader.planning.inspections()[0]
            code = reader.findings.inspection_items(inspection["id"])[0]["code"]
            with pytest.raises(StoreError):
                findings.record(reader, inspection["id"], code, note="x")
        finally:
            reader.close()
    finally:
        os.chmod(folder, 0o700)
        os.chmod(db_path, 0o600)


@pytest.mark.skipif(
    sys.platform == "win32" or os.geteuid() == 0, reason="root ignores file permissions"
)
def test_read_only_file_in_writable_folder_refuses_writes_clearly(demo_store: Store) -> None:
    path = demo_store.path
    assert path is not None
    demo_store.close()
    os.chmod(path, 0o400)
    try:
        store = Store.open(path)
        try:
            inspection = store.planning.inspections()[0]
            code = store.findings.inspection_items(inspection["id"])[0]["code"]
            with pytest.raises(StoreError) as caught:
                findings.record(store, inspection["id"], code, note="x")
            assert str(caught.value) == READ_ONLY_FOLDER_MESSAGE
        finally:
            store.close()
    finally:
        os.chmod(path, 0o600)
