"""The schema, migrations, stamps, tombstones and the audit chain."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from db import Store
from db.connection import open_database
from db.migrations import SYNCED_TABLES, migration_set, pending_names


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
    migrations = migration_set()
    applied = [m.name for m in migrations.applied(db.utils)]
    migrations.apply(db.utils)
    assert [m.name for m in migrations.applied(db.utils)] == applied
    assert migrations.pending(db.utils) == []
    assert pending_names(db.conn) == []


def test_pending_names_agree_with_sqlite_utils(tmp_path: Path) -> None:
    # The start-up check reads _sqlite_migrations itself; it must see what sqlite-utils sees.
    import sqlite_utils

    import db.migrations as schema

    db = sqlite_utils.Database(tmp_path / "partial.sqlite")
    names = [fn.__name__ for fn in schema.STEPS]
    assert pending_names(db.conn) == names  # no _sqlite_migrations table yet
    first_two = sqlite_utils.Migrations(schema.MIGRATION_SET)
    for fn in schema.STEPS[:2]:
        first_two()(fn)
    first_two.apply(db)
    assert pending_names(db.conn) == names[2:]
    assert pending_names(db.conn) == [m.name for m in migration_set().pending(db)]
    # Steps of another migration set in the same table are not ours.
    other = sqlite_utils.Migrations("another-app")
    other()(schema.STEPS[2])
    other.apply(db)
    assert pending_names(db.conn) == names[2:]


def test_query_gives_dicts_with_unique_keys_like_sqlite_utils(store: Store) -> None:
    sql = "SELECT 1 AS id, 2 AS id, 3 AS id_2, 'a' AS name"
    assert list(store.db.query(sql)) == list(store.db.utils.query(sql))
    assert list(store.db.query(sql)) == [{"id": 1, "id_3": 2, "id_2": 3, "name": "a"}]
    with pytest.raises(ValueError):
        list(store.db.query("CREATE TABLE nothing_returned (x)"))


def test_reading_and_recording_need_no_sqlite_utils(db_path: Path) -> None:
    # Start-up (issue 8): sqlite-utils (with click, dateutil, pluggy) loads for migrations only.
    import subprocess
    import sys

    Store.open(db_path).close()
    script = (
        "import sys; from db import Store; s = Store.open(sys.argv[1]); s.planning.plans(); "
        "s.planning.inspections(); print('sqlite_utils' in sys.modules); "
        "s.settings.set_setting('k', 'v'); print('sqlite_utils' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(db_path)], capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["False", "False"]


def test_nested_transactions_are_all_or_nothing(store: Store) -> None:
    from db.database import TransactionAbortedError

    # An inner failure that goes up rolls back the whole action.
    with pytest.raises(ZeroDivisionError):
        with store.transaction():
            store.settings.set_setting("outer", "1")
            with store.transaction():
                store.settings.set_setting("inner", "1")
                _ = 1 / 0
    assert store.settings.setting("outer") is None and store.settings.setting("inner") is None
    # An inner failure swallowed by the caller never commits half an action.
    with pytest.raises(TransactionAbortedError):
        with store.transaction():
            store.settings.set_setting("outer", "2")
            try:
                with store.transaction():
                    store.settings.set_setting("inner", "2")
                    raise ValueError("inner write refused")
            except ValueError:
                pass
    assert store.settings.setting("outer") is None and store.settings.setting("inner") is None
    # Success commits everything, and the next transaction starts clean.
    with store.transaction():
        store.settings.set_setting("outer", "3")
        with store.transaction():
            store.settings.set_setting("inner", "3")
    assert (store.settings.setting("outer"), store.settings.setting("inner")) == ("3", "3")
    assert not store.db.conn.in_transaction


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
    row = store.core.insert_row("plans", {"number": "1/KH", "year": 2025, "issuer": "UBND"})
    updated = store.core.update_row("plans", row["id"], {"number": "2/KH"})
    assert updated["base_hlc"] == row["hlc"]
    assert updated["hlc"] > row["hlc"]
    store.core.delete_row("plans", row["id"])
    assert store.core.get_row("plans", row["id"])["deleted"] == 1
    assert store.core.verify_audit() is None
    assert [h["action"] for h in store.core.history("plans", row["id"])] == [
        "insert",
        "update",
        "update",
    ]


def test_audit_log_is_append_only(store: Store) -> None:
    store.core.insert_row("plans", {"number": "1/KH", "year": 2025, "issuer": "UBND"})
    with pytest.raises(sqlite3.DatabaseError):
        store.db.execute("UPDATE audit_log SET actor = 'x'")
    with pytest.raises(sqlite3.DatabaseError):
        store.db.execute("DELETE FROM audit_log")


def test_tampering_breaks_the_chain(store: Store) -> None:
    for n in range(3):
        store.core.insert_row("plans", {"number": f"{n}/KH", "year": 2025, "issuer": "UBND"})
    store.db.execute("DROP TRIGGER audit_log_no_update")
    store.db.execute('UPDATE audit_log SET new = \'{"number": "forged"}\' WHERE seq = 2')
    assert store.core.verify_audit() == 2


def test_backup_taken_before_pending_migrations(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import db.migrations as schema

    Store.open(db_path).close()

    def m999_test(db) -> None:  # type: ignore[no-untyped-def]
        db.execute("CREATE TABLE t999 (x)")

    monkeypatch.setattr(schema, "STEPS", [*schema.STEPS, m999_test])
    open_database(db_path).conn.close()
    monkeypatch.undo()
    backups = list((db_path.parent / "backups").glob("truoc-nang-cap-*.sqlite"))
    assert len(backups) == 1
    con = sqlite3.connect(backups[0])
    assert "t999" not in {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
    con.close()
