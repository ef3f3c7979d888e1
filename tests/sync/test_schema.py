"""The sync bookkeeping covers every travelling table."""

from __future__ import annotations

from db import Store
from db.migrations import SYNCED_TABLES


def test_every_travelling_table_records_its_versions(store: Store) -> None:
    triggers = {
        r[0] for r in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    }
    for table in SYNCED_TABLES:
        assert f"{table}_sync_insert" in triggers, table
        assert f"{table}_sync_update" in triggers, table


def test_edits_build_a_chain(store: Store) -> None:
    row = store.core.insert_row("plans", {"number": "1/KH", "year": 2025, "issuer": "UBND"})
    second = store.core.update_row("plans", row["id"], {"number": "2/KH"})
    third = store.core.update_row("plans", row["id"], {"number": "3/KH"})
    parents = store.sync.versions.parents("plans", row["id"])
    assert store.sync.versions.ancestors(parents, third["hlc"]) == {row["hlc"], second["hlc"]}
