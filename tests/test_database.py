"""The schema, migrations, stamps, tombstones and the audit chain."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from db import Store
from db.connection import open_database
from db.migrations import SYNCED_TABLES, migrations


def test_fresh_database_has_every_table_and_pragmas(store: Store) -> None:
    tables = set(store.db.table_names())
    for table in SYNCED_TABLES + ("audit_log", "devices", "sync_imports", "sync_conflicts"):
        assert table in tables
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_every_travelling_table_has_uuid_key_and_stamps(store: Store) -> None:
    for table in SYNCED_TABLES:
        columns = {c.name: c for c in store.db[table].columns}
        assert {"id", "hlc", "origin", "base_hlc", "deleted"} <= set(columns), table
        assert columns["id"].type == "TEXT", table


def test_migrations_apply_twice_is_a_noop(db_path: Path) -> None:
    db = open_database(db_path)
    applied = [m.name for m in migrations.applied(db)]
    migrations.apply(db)
    assert [m.name for m in migrations.applied(db)] == applied
    assert migrations.pending(db) == []


def test_device_identity_created_once(db_path: Path) -> None:
    first = Store.open(db_path)
    device = first.device_id
    first.close()
    second = Store.open(db_path)
    assert second.device_id == device
    assert second.db.execute("SELECT count(*) FROM devices WHERE is_self = 1").fetchone()[0] == 1


def test_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    bogus = tmp_path / "x.sqlite"
    bogus.write_bytes(b"this is not sqlite" * 100)
    from db import StoreError

    with pytest.raises(StoreError):
        Store.open(bogus)


def test_update_records_base_and_audit_chain_verifies(store: Store) -> None:
    row = store.insert_row("plans", {"number": "1/KH", "year": 2025, "issuer": "UBND"})
    updated = store.update_row("plans", row["id"], {"number": "2/KH"})
    assert updated["base_hlc"] == row["hlc"]
    assert updated["hlc"] > row["hlc"]
    store.delete_row("plans", row["id"])
    assert store.get_row("plans", row["id"])["deleted"] == 1
    assert store.verify_audit() is None
    assert [h["action"] for h in store.history("plans", row["id"])] == [
        "insert",
        "update",
        "update",
    ]


def test_audit_log_is_append_only(store: Store) -> None:
    store.insert_row("plans", {"number": "1/KH", "year": 2025, "issuer": "UBND"})
    with pytest.raises(sqlite3.DatabaseError):
        store.db.execute("UPDATE audit_log SET actor = 'x'")
    with pytest.raises(sqlite3.DatabaseError):
        store.db.execute("DELETE FROM audit_log")


def test_tampering_breaks_the_chain(store: Store) -> None:
    for n in range(3):
        store.insert_row("plans", {"number": f"{n}/KH", "year": 2025, "issuer": "UBND"})
    store.db.execute("DROP TRIGGER audit_log_no_update")
    store.db.execute('UPDATE audit_log SET new = \'{"number": "forged"}\' WHERE seq = 2')
    assert store.verify_audit() == 2


def test_backup_taken_before_pending_migrations(db_path: Path) -> None:
    from sqlite_utils import Migrations

    Store.open(db_path).close()
    extra = Migrations("kiemtra")
    extra._migrations = list(migrations._migrations)

    @extra()
    def m999_test(db) -> None:  # type: ignore[no-untyped-def]
        db.execute("CREATE TABLE t999 (x)")

    import db.connection as connection

    original = connection.migrations
    connection.migrations = extra
    try:
        open_database(db_path).conn.close()
    finally:
        connection.migrations = original
    backups = list((db_path.parent / "backups").glob("truoc-nang-cap-*.sqlite"))
    assert len(backups) == 1
    con = sqlite3.connect(backups[0])
    assert "t999" not in {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
    con.close()
