"""Backups (daily, before risky changes, on demand), restore, and private data-folder modes."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from db import Store
from db.connection import write_private
from desktop.domain import Result
from desktop.services import backup, findings

ROOT = Path(__file__).resolve().parents[1]


def _note_of(store: Store) -> tuple[str, str, str]:
    inspection = store.planning.inspections()[0]
    code = store.findings.inspection_items(inspection["id"])[0]["code"]
    item_id = str(store.findings.item_id_for_code(inspection["id"], code))
    row = store.findings.finding(inspection["id"], item_id)
    return inspection["id"], code, (row or {}).get("note") or ""


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_daily_backup_once_a_day_keeping_the_last_14(demo_store: Store) -> None:
    start = dt.datetime(2021, 6, 1, 8, 0)
    first = backup.daily_backup(demo_store, now=start)
    assert first is not None and first.name == "tu-dong-20210601-080000.sqlite"
    assert backup.daily_backup(demo_store, now=start + dt.timedelta(hours=5)) is None
    for day in range(1, 20):
        assert backup.daily_backup(demo_store, now=start + dt.timedelta(days=day)) is not None
    assert demo_store.path is not None
    daily = [b for b in backup.list_backups(demo_store.path) if b["reason"] == "daily"]
    assert len(daily) == 14
    assert daily[0]["created"] == "2021-06-20T08:00:00"  # newest first
    assert daily[-1]["created"] == "2021-06-07T08:00:00"


def test_no_daily_backup_of_an_empty_new_database(store: Store) -> None:
    assert backup.daily_backup(store) is None


def test_backup_is_a_sound_copy_with_the_reason_listed(demo_store: Store) -> None:
    inspection_id, code, _ = _note_of(demo_store)
    findings.record(demo_store, inspection_id, code, result=Result.DAT, note="trước khi nhập")
    made = backup.backup_before(demo_store, "import")
    assert made.name.startswith("truoc-nhap-")
    con = sqlite3.connect(made)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        notes = {r[0] for r in con.execute("SELECT note FROM findings")}
        assert "trước khi nhập" in notes
    finally:
        con.close()
    assert not Path(str(made) + "-wal").exists()
    listed = backup.list_backups(demo_store.path)  # type: ignore[arg-type]
    assert [(b["reason"], b["path"], b["size"]) for b in listed] == [
        ("import", str(made), made.stat().st_size)
    ]
    with pytest.raises(ValueError):
        backup.backup_before(demo_store, "tùy ý")


def test_cli_backup_backups_and_restore_round_trip(
    demo_store: Store, kiemtra: Any, db_path: Path, tmp_path: Path
) -> None:
    inspection_id, code, _ = _note_of(demo_store)
    findings.record(demo_store, inspection_id, code, note="bản đã sao lưu")
    demo_store.close()
    out = tmp_path / "sao-luu.sqlite"
    result = kiemtra("backup", "-o", str(out))
    assert str(out) in result.output and out.exists()
    kiemtra("backup")
    listed = kiemtra.json("backups")
    assert {b["reason"] for b in listed} == {"manual", "daily"}
    assert set(listed[0]) >= {"path", "created", "size", "reason"}
    assert all(Path(b["path"]).parent == db_path.parent / "backups" for b in listed)

    kiemtra("finding", "set", inspection_id, code, "--note", "sửa sau khi sao lưu")
    result = kiemtra("restore", str(out))
    assert "Đã khôi phục" in result.output
    store = Store.open(db_path)
    try:
        assert _note_of(store)[2] == "bản đã sao lưu"
        assert store.core.verify_audit() is None
    finally:
        store.close()
    # The database as it was before the restore was kept.
    safety = [b for b in kiemtra.json("backups") if b["reason"] == "restore"]
    assert len(safety) == 1
    con = sqlite3.connect(safety[0]["path"])
    try:
        notes = {r[0] for r in con.execute("SELECT note FROM findings")}
    finally:
        con.close()
    assert "sửa sau khi sao lưu" in notes


@pytest.mark.parametrize(
    "content",
    [b"not a database at all" * 200, b""],
    ids=["garbage", "empty"],
)
def test_restore_refuses_a_broken_file_and_keeps_the_database(
    demo_store: Store, kiemtra: Any, db_path: Path, tmp_path: Path, content: bytes
) -> None:
    demo_store.close()
    before = _sha(db_path)
    bad = tmp_path / "hong.sqlite"
    bad.write_bytes(content)
    result = kiemtra("restore", str(bad), ok=False)
    assert result.exit_code != 0
    assert "Không khôi phục" in result.output
    assert "giữ nguyên" in result.output
    assert _sha(db_path) == before


def test_restore_refuses_a_truncated_backup(
    demo_store: Store, kiemtra: Any, db_path: Path, tmp_path: Path
) -> None:
    good = demo_store.backup(tmp_path / "tot.sqlite")
    demo_store.close()
    data = good.read_bytes()
    cut = tmp_path / "cut.sqlite"
    cut.write_bytes(data[: len(data) // 2])
    before = _sha(db_path)
    result = kiemtra("restore", str(cut), ok=False)
    assert result.exit_code != 0
    assert _sha(db_path) == before


def test_restore_refuses_a_backup_whose_text_is_not_utf8(
    demo_store: Store, kiemtra: Any, db_path: Path, tmp_path: Path
) -> None:
    """A flipped byte inside a text value passes integrity_check; restore must still refuse."""
    good = demo_store.backup(tmp_path / "tot.sqlite")
    demo_store.close()
    conn = sqlite3.connect(good)
    guard = conn.execute(
        "SELECT sql FROM sqlite_master WHERE name = 'audit_log_no_update'"
    ).fetchone()[0]
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("UPDATE audit_log SET actor = CAST(X'C3FF' AS TEXT) WHERE seq = 1")
    conn.execute(guard)  # the schema is intact again: only the bytes are wrong
    conn.commit()
    conn.close()
    before = _sha(db_path)
    result = kiemtra("restore", str(good), ok=False)
    assert result.exit_code != 0
    assert "cấu trúc" not in result.output
    assert _sha(db_path) == before


@pytest.mark.parametrize(
    "sql",
    [
        # Runs at the next edit inside the restored database and hides the loss.
        "CREATE TRIGGER lose_findings AFTER UPDATE ON findings BEGIN "
        "DELETE FROM findings WHERE id != NEW.id; END;",
        "DROP TRIGGER audit_log_no_delete;",
        "CREATE VIEW extra AS SELECT 1;",
        "CREATE INDEX extra_index ON findings(note);",
        "CREATE TABLE extra_table (x);",
    ],
)
def test_restore_refuses_a_backup_whose_schema_was_changed(
    demo_store: Store, kiemtra: Any, db_path: Path, tmp_path: Path, sql: str
) -> None:
    edited = demo_store.backup(tmp_path / "sua.sqlite")
    demo_store.close()
    conn = sqlite3.connect(edited)
    conn.executescript(sql)
    conn.close()
    before = _sha(db_path)
    result = kiemtra("restore", str(edited), ok=False)
    assert result.exit_code != 0
    assert "cấu trúc khác" in result.output
    assert _sha(db_path) == before


def test_restore_refuses_an_sqlite_file_of_another_program(
    demo_store: Store, kiemtra: Any, db_path: Path, tmp_path: Path
) -> None:
    demo_store.close()
    other = tmp_path / "khac.sqlite"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE notes (x)")
    con.commit()
    con.close()
    result = kiemtra("restore", str(other), ok=False)
    assert result.exit_code != 0
    assert "không phải là cơ sở dữ liệu của Kiểm tra CCHC" in result.output


def test_restore_waits_for_no_other_writer(
    demo_store: Store, kiemtra: Any, db_path: Path, tmp_path: Path
) -> None:
    good = demo_store.backup(tmp_path / "tot.sqlite")
    demo_store.close()
    holder = subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "crash_writer.py"), str(db_path), "hold", "GUI"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert holder.stdout is not None
        holder.stdout.readline()
        assert holder.stdout.readline().strip() == "ready"
        before = _sha(db_path)
        result = kiemtra("restore", str(good), ok=False)
        assert result.exit_code != 0
        assert "đang được mở để ghi bởi GUI" in result.output
        assert _sha(db_path) == before
    finally:
        holder.communicate("close\n", timeout=60)


def test_restore_brings_an_old_schema_up_to_date(kiemtra: Any, db_path: Path) -> None:
    v1 = Path(__file__).parent / "data" / "schemas" / "v1.sqlite"
    kiemtra("init")
    kiemtra("restore", str(v1))
    store = Store.open(db_path)
    try:
        assert [p["number"] for p in store.planning.plans()] == ["21/KH-UBND"]
    finally:
        store.close()


# -- private data folder ----------------------------------------------------------------------
def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
def test_data_folder_files_are_private(db_path: Path) -> None:
    old = os.umask(0o022)  # a typical desktop umask: others may read by default
    try:
        store = Store.open(db_path)
        from desktop.services.demo import build_demo

        build_demo(store)
        wal, shm = Path(str(db_path) + "-wal"), Path(str(db_path) + "-shm")
        assert wal.exists() and shm.exists()
        lock = Path(str(db_path) + ".lock")
        made = backup.backup_before(store, "checklist")
        key = write_private(db_path.parent / "keys" / "device.key", b"secret")
        blob = write_private(db_path.parent / "attachments" / "ab" / ("ab" * 32), b"pdf")
        for path in (db_path, wal, shm, lock, made, key, blob):
            assert _mode(path) == 0o600, path
        for folder in (db_path.parent, made.parent, key.parent, blob.parent):
            assert _mode(folder) == 0o700, folder
        store.close()
    finally:
        os.umask(old)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
def test_existing_shared_folder_is_not_locked_down(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "other.txt").write_text("x")
    os.chmod(shared, 0o755)
    Store.open(shared / "kiemtra.sqlite").close()
    assert _mode(shared) == 0o755
    assert _mode(shared / "kiemtra.sqlite") == 0o600
