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
        assert store.core.verify_audit() is None
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
        plan = store.planning.plans()[0]
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
        inspection = store.planning.inspections()[0]
        code = store.findings.inspection_items(inspection["id"])[0]["code"]
        findings.record(store, inspection["id"], code, result=Result.DAT, note="sau nâng cấp")
        assert store.core.verify_audit() is None
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
        assert store.core.verify_audit() is None
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


# -- step names ------------------------------------------------------------------------------
# The names versions up to 0.1.1 recorded, in the order they applied the steps.
OLD_NAMES = [
    "m001_initial",
    "m003_recording",
    "m002_sync",
    "m008_indexes",
    "m010_remediation_attachments",
    "m011_start_up_indexes",
    "m012_drop_duplicate_indexes",
    "m013_search_stale",
]
# Steps added since those names were last changed keep their names (recorded as they are).
LATER = [fn.__name__ for fn in schema.STEPS[len(OLD_NAMES) :]]


def test_step_names_are_numbered_by_their_place() -> None:
    names = [fn.__name__ for fn in schema.STEPS]
    old = len(OLD_NAMES)
    assert [name[:5] for name in names[:old]] == [f"m{n:03d}_" for n in range(1, old + 1)]
    # Later steps are numbered when assigned (branches made at once get distinct numbers,
    # merged in any order): increasing and never reused.
    numbers = [int(name[1:4]) for name in names]
    assert numbers == sorted(set(numbers))
    assert len(set(names)) == len(names)


def test_every_old_name_maps_to_the_step_at_the_same_place() -> None:
    names = [fn.__name__ for fn in schema.STEPS]
    assert [schema.current_name(name) for name in OLD_NAMES] == names[: len(OLD_NAMES)]
    # No old name is a different step's name today (a rename can never be applied twice).
    assert not set(schema.RENAMED) & set(names)


def _record_old_names(path: Path) -> None:
    """Write into the file what an earlier version recorded: the old names, in its order."""
    con = sqlite3.connect(path)
    try:
        for new, old in zip([fn.__name__ for fn in schema.STEPS], OLD_NAMES, strict=False):
            con.execute("UPDATE _sqlite_migrations SET name = ? WHERE name = ?", [old, new])
        con.commit()
    finally:
        con.close()


def _applied(path: Path) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return [r[0] for r in con.execute("SELECT name FROM _sqlite_migrations ORDER BY rowid")]
    finally:
        con.close()


def test_database_with_old_names_opens_and_is_not_migrated_again(db_path: Path) -> None:
    from desktop.services.demo import build_demo

    store = Store.open(db_path)
    build_demo(store)
    store.close()
    _record_old_names(db_path)
    assert _applied(db_path) == [*OLD_NAMES, *LATER]
    data = [line for line in _dump(db_path) if "_sqlite_migrations" not in line]

    # Read-only: nothing pending, nothing written (the old names stay).
    reader = Store.open(db_path, read_only=True)
    try:
        assert pending_names(reader.db.conn) == []
    finally:
        reader.close()
    assert _applied(db_path) == [*OLD_NAMES, *LATER]

    store = Store.open(db_path)
    try:
        assert pending_names(store.db.conn) == []
        assert migration_set().pending(store.db.utils) == []
        assert store.core.verify_audit() is None
    finally:
        store.close()
    assert _applied(db_path) == [fn.__name__ for fn in schema.STEPS]
    # Not migrated again: no pre-upgrade backup, every row and schema object as it was.
    assert not list((db_path.parent / "backups").glob("truoc-nang-cap-*.sqlite"))
    assert [line for line in _dump(db_path) if "_sqlite_migrations" not in line] == data


def test_half_upgraded_old_database_runs_only_the_missing_steps(db_path: Path) -> None:
    # Made by a version that knew m001_initial, m003_recording and m002_sync only.
    import sqlite_utils

    first = [fn.__name__ for fn in schema.STEPS[:3]]
    db_path.parent.mkdir(parents=True, exist_ok=True)
    made = sqlite_utils.Database(db_path)
    migration_set(first).apply(made)
    made.conn.close()
    _record_old_names(db_path)
    assert _applied(db_path) == OLD_NAMES[:3]
    con = sqlite3.connect(db_path)
    try:
        assert pending_names(con) == [fn.__name__ for fn in schema.STEPS[3:]]
    finally:
        con.close()

    Store.open(db_path).close()
    assert _applied(db_path) == [fn.__name__ for fn in schema.STEPS]
    con = sqlite3.connect(db_path)
    try:  # what m005_remediation_attachments (was m010_…) makes
        assert con.execute(
            "SELECT 1 FROM sqlite_master WHERE name = 'remediation_attachments'"
        ).fetchone()
    finally:
        con.close()


def test_restore_accepts_a_backup_with_old_names(db_path: Path, tmp_path: Path) -> None:
    from db.connection import check_database_file, expected_schema

    Store.open(db_path).close()
    _record_old_names(db_path)
    check_database_file(db_path)  # raises StoreError when refused
    assert expected_schema([*OLD_NAMES, *LATER]) == expected_schema(
        [fn.__name__ for fn in schema.STEPS]
    )
    with pytest.raises(StoreError, match="phiên bản mới hơn"):
        expected_schema([*OLD_NAMES, *LATER, "m999_from_the_future"])
