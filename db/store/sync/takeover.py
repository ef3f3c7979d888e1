"""Sync: a device's own head versions, and taking over those of a device whose key is gone.

A laptop that takes a new identity (desktop/sync/identity.py) keeps the old device's versions
as the old device's when their author can still prove them (an attestation by the old key,
made at an export or just before the switch). A version no attestation covers and whose key
is gone — edited, backed up, never exported before the laptop died — could never be proven
again: every receiver would refuse the package carrying it. Such a version is *re-issued*:
the same columns, a new stamp of this device, descending from the old stamp (an edge, and
`base_hlc`), so a laptop that somehow has the old version sees a plain successor.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from db.migrations import SYNCED_TABLES
from db.store.core import Core
from db.store.search import Search
from db.store.sync.conflicts import Conflicts
from db.store.sync.versions import Versions


class TakeOver:
    """Head versions by author; re-issuing versions under this device's stamp."""

    def __init__(
        self, core: Core, versions: Versions, conflicts: Conflicts, search: Search
    ) -> None:
        self.core = core
        self.versions = versions
        self.conflicts = conflicts
        self.search = search
        self.db = core.db

    def heads_of_origin(self, table: str, device_id: str) -> list[dict[str, Any]]:
        """Every head version (what an export carries) of `table` this device wrote: the rows
        it shows, and the versions of its own a conflicted row holds beside another."""
        assert table in SYNCED_TABLES, table
        conflicted = self.conflicts.conflicted_rows(table)
        heads = [
            row
            for row in self.versions.rows_of_origin(table, device_id)
            if row["id"] not in conflicted
        ]
        for row_id in sorted(conflicted):
            heads.extend(
                h for h in self.conflicts.row_heads(table, row_id) if h["origin"] == device_id
            )
        return heads

    def reissue(self, table: str, stamps: dict[str, set[str]]) -> int:
        """Re-issue these head versions (row id → stamps) as versions of this device; returns
        how many were. Each keeps every column; its stamp is new (this device's clock), its
        `origin` this device, its `base_hlc` and history edge the old stamp. Versions no longer
        a head are left alone. Call inside the caller's transaction."""
        assert table in SYNCED_TABLES, table
        conflicted = self.conflicts.conflicted_rows(table)
        plain = sorted(row_id for row_id in stamps if row_id not in conflicted)
        done = 0
        with self.core.transaction():
            # A row no conflict holds has one head, the row itself: one UPDATE each (its
            # trigger records the edge new stamp → old stamp).
            current = self.versions.rows_by_id(table, plain)
            updates = []
            for row_id in plain:
                row = current.get(row_id)
                if row is not None and row["hlc"] in stamps[row_id]:
                    updates.append((self.core.clock.now(), self.core.device_id, row["hlc"], row_id))
            self.db.conn.executemany(
                f"UPDATE {table} SET hlc = ?, origin = ?, base_hlc = ? WHERE id = ?", updates
            )
            done += len(updates)
            for row_id in sorted(set(stamps) & conflicted):
                done += self._reissue_heads(table, row_id, stamps[row_id])
        return done

    def _reissue_heads(self, table: str, row_id: str, stamps: Iterable[str]) -> int:
        """Re-issue heads of a conflicted row; the row shows the newest head, as an import
        would have it, and the conflict is recorded between the heads as they now are."""
        wanted = set(stamps)
        current = self.core.get_row(table, row_id)
        heads = self.conflicts.row_heads(table, row_id)
        if current is None or not heads:
            return 0
        new_heads: list[dict[str, Any]] = []
        done = 0
        for head in heads:
            if head["hlc"] in wanted:
                stamp = self.core.clock.now()
                self.versions.add_sync_edges(table, [(row_id, stamp, head["hlc"])])
                head = {
                    **head,
                    "hlc": stamp,
                    "origin": self.core.device_id,
                    "base_hlc": head["hlc"],
                }
                done += 1
            new_heads.append(head)
        winner = max(new_heads, key=lambda v: v["hlc"])
        if winner["hlc"] != current["hlc"]:
            values = {k: v for k, v in winner.items() if k != "id"}
            sql_set = ", ".join(f"{k} = ?" for k in values)
            self.db.execute(
                f"UPDATE {table} SET {sql_set} WHERE id = ?", [*values.values(), row_id]
            )
            self.search.reindex_row(table, row_id)
        self.conflicts.settle(table, row_id, new_heads)
        return done
