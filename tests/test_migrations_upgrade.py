"""Upgrades: a database made by every released schema opens in this version with nothing lost,
and a migration that fails leaves the database exactly as it was (with its backup)."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import db.migrations as schema
from db import Store, StoreError
from db.migrations import SYNCED_TABLES, migration_set, pending_names
from desktop.domain import Result
from desktop.services import findings

SCHEMAS = Path(__file__).parent / "data" / "schemas"
RELEASED = sorted(SCHEMAS.glob("v*.sqlite"))
KEPT_TABLES = (*SYNCED_TABLES, "audit_log", "devices", "settings", "_sqlite_migrations")


def _rows(path: Path, table: str) -> list[tuple[Any, ...]]:
    con = sqlite3.connect(path)
    try:
        columns = [c[1] for c in con.execute(f"PRAGMA table_info({table})")]
        if not columns:  # a table a later migration adds
            return []
        return sorted(con.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall(), key=repr)
    finally:
        con.close()


def _columns(path: Path, table: str) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return [c[1] for c in con.execute(f"PRAGMA table_info({table})")]
    finally:
        con.close()


def _dump(path: Path) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return list(con.iterdump())
    finally:
        con.close()


@pytest.fixture
def copy_of(tmp_path: Path) -> Iterator[Any]:
    def make(release: Path) -> Path:
        target = tmp_path / "data" / "kiemtra.sqlite"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(release, target)
        return target

    yield make


def test_every_released_schema_is_kept_here() -> None:
    assert [p.name for p in RELEASED][:1] == ["v1.sqlite"]
    con = sqlite3.connect(f"file:{RELEASED[0]}?mode=ro", uri=True)
    try:
        assert [r[0] for r in con.execute("SELECT name FROM _sqlite_migrations")] == [
            "m001_initial"
        ]
    finally:
        con.close()


@pytest.mark.parametrize("release", RELEASED, ids=lambda p: p.stem)
def test_old_database_upgrades_with_nothing_lost(release: Path, copy_of: Any) -> None:
    path = copy_of(release)
    before = {t: _rows(path, t) for t in KEPT_TABLES}
    assert before["findings"] and before["evidence_docs"] and before["recommendations"]
    old_columns = {t: _columns(path, t) for t in KEPT_TABLES}

    store = Store.open(path)
    try:
        assert pending_names(store.db.conn) == []
        assert migration_set().pending(store.db.utils) == []
        assert store.verify_audit() is None
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        for table in KEPT_TABLES:
            count = store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            if table == "_sqlite_migrations":
                assert count == len(schema.STEPS)
                continue
            assert count == len(before[table]), table
            if not old_columns[table]:
                continue  # added by a later migration: empty, as counted above
            # Every old column of every row still holds its value.
            cols = ", ".join(old_columns[table])
            after = sorted(store.db.execute(f"SELECT {cols} FROM {table}").fetchall(), key=repr)
            assert after == before[table], table
        # A few values a user would recognise.
        plan = store.plans()[0]
        assert (plan["number"], plan["year"]) == ("21/KH-UBND", 2021)
        recs = store.db.execute(
            "SELECT text, responsible FROM recommendations ORDER BY number"
        ).fetchall()
        assert recs[0] == (
            f"Khẩn trương khắc phục hạn chế tại nội dung {_first_code(store)}",
            "Giám đốc Sở Y tế",
        )
        evidence = store.db.execute("SELECT number FROM evidence_docs ORDER BY position").fetchall()
        assert [e[0] for e in evidence][:2] == ["1/KH-SYT", "2/KH-SYT"]
        # And the upgraded database takes new work.
        inspection = store.inspections()[0]
        code = store.inspection_items(inspection["id"])[0]["code"]
        findings.record(store, inspection["id"], code, result=Result.DAT, note="sau nâng cấp")
        assert store.verify_audit() is None
    finally:
        store.close()
    backups = list((path.parent / "backups").glob("truoc-nang-cap-*.sqlite"))
    assert len(backups) == 1
    assert _rows(backups[0], "findings") == before["findings"]


def _first_code(store: Store) -> str:
    return str(
        store.db.execute("SELECT item_code FROM recommendations WHERE number = 1").fetchone()[0]
    )


def _with_extra(*steps: Any) -> list[Any]:
    """Today's migration steps followed by `steps` (to patch db.migrations.STEPS with)."""
    return [*schema.STEPS, *steps]


def test_failing_migration_leaves_the_database_as_it_was(
    copy_of: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = copy_of(RELEASED[0])
    before = _dump(path)

    def m900_adds_a_column(db: Any) -> None:
        db.execute("ALTER TABLE plans ADD COLUMN m900 TEXT")
        db.execute("UPDATE plans SET m900 = 'x'")

    def m901_breaks(db: Any) -> None:
        db.execute("UPDATE findings SET note = 'hỏng'")
        db.execute("DELETE FROM devices")
        raise RuntimeError("migration bug")

    # Every pending step of the run (today's real ones and m900) committed before m901 fails.
    monkeypatch.setattr(schema, "STEPS", _with_extra(m900_adds_a_column, m901_breaks))
    with pytest.raises(StoreError) as caught:
        Store.open(path)
    assert "không thành công" in str(caught.value)
    assert "dữ liệu được giữ nguyên" in str(caught.value)
    assert _dump(path) == before
    backups = list((path.parent / "backups").glob("truoc-nang-cap-*.sqlite"))
    assert len(backups) == 1
    assert _dump(backups[0]) == [line for line in before]
    # Still a sound database that opens (and upgrades) normally afterwards.
    monkeypatch.undo()
    store = Store.open(path)
    try:
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert store.verify_audit() is None
    finally:
        store.close()


def test_single_failing_migration_rolls_back(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.services.demo import build_demo

    store = Store.open(db_path)
    build_demo(store)
    store.close()
    before = _dump(db_path)

    def m902_breaks(db: Any) -> None:
        db.execute("CREATE TABLE t902 (x)")
        db.execute("UPDATE plans SET number = 'hỏng'")
        raise sqlite3.OperationalError("no such column: nowhere")

    monkeypatch.setattr(schema, "STEPS", _with_extra(m902_breaks))
    with pytest.raises(StoreError):
        Store.open(db_path)
    assert _dump(db_path) == before
    assert len(list((db_path.parent / "backups").glob("truoc-nang-cap-*.sqlite"))) == 1
    # The lock was released: the database opens again.
    monkeypatch.undo()
    Store.open(db_path).close()
