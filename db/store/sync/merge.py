"""Sync: merging incoming versions (an import is a union of version sets, idempotent and
order-independent)."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Any

from db.migrations import SYNCED_TABLES
from db.store.core import Core, new_id, now_iso
from db.store.search import Search
from db.store.sync.conflicts import Conflicts
from db.store.sync.versions import Versions


def _column_names(version: dict[str, Any]) -> tuple[str, ...]:
    return tuple(version)


def _plain_stamps(version: dict[str, Any]) -> bool:
    """Stamps stored as given, so the insert trigger's edge is the one merge_version adds."""
    base = version.get("base_hlc")
    return type(version.get("hlc")) is str and (base is None or type(base) is str)


class Merge:
    """Applies the versions a package carries."""

    def __init__(
        self, core: Core, versions: Versions, conflicts: Conflicts, search: Search
    ) -> None:
        self.core = core
        self.versions = versions
        self.conflicts = conflicts
        self.search = search
        self.db = core.db

    def merge_version(self, table: str, version: dict[str, Any]) -> str:
        """Apply one incoming version; returns inserted, updated, unchanged or conflict.

        Call inside the import's transaction, after add_sync_edges for the package.
        """
        assert table in SYNCED_TABLES, table
        row_id = version["id"]
        self.versions.add_sync_edges(
            table, [(row_id, version["hlc"], version.get("base_hlc") or "")]
        )
        local = self.core.get_row(table, row_id)
        if local is None:
            self._write_version(table, version, insert=True)
            return "inserted"
        heads = self.conflicts.row_heads(table, row_id)
        parents = self.versions.parents(table, row_id)
        for head in heads:
            if head["hlc"] == version["hlc"] or version["hlc"] in self.versions.ancestors(
                parents, head["hlc"]
            ):
                return "unchanged"
        behind = self.versions.ancestors(parents, version["hlc"])
        remaining = [h for h in heads if h["hlc"] not in behind] + [version]
        winner = max(remaining, key=lambda v: v["hlc"])
        if winner["hlc"] != local["hlc"]:
            self._write_version(table, winner, insert=False)
        self.conflicts.settle(table, row_id, remaining)
        return "conflict" if len(remaining) > 1 else "updated"

    def merge_versions(self, table: str, versions: Iterable[dict[str, Any]]) -> list[str]:
        """Apply incoming versions in this order; the outcome of each, as merge_version gives.

        The same as merge_version for each in turn (the same rows and rowids, sync_versions
        and its sequence, conflicts, search index), but the versions of rows this laptop does
        not have yet — all of an import into an empty laptop — are written a run at a time:
        one executemany per run instead of a lookup, an insert and a reindex per row. A row the
        laptop has (or that an earlier version in `versions` created) takes the general path.
        """
        assert table in SYNCED_TABLES, table
        versions = list(versions)
        present = self.versions.existing_ids(table, (v["id"] for v in versions))
        outcomes: list[str] = []
        run: list[dict[str, Any]] = []
        for version in versions:
            row_id = version["id"]
            if row_id not in present and _plain_stamps(version):
                present.add(row_id)
                run.append(version)
                outcomes.append("inserted")  # what merge_version says of a row absent here
                continue
            if run:
                self._insert_new_versions(table, run)
                run = []
            outcomes.append(self.merge_version(table, version))
            present.add(row_id)
        if run:
            self._insert_new_versions(table, run)
        return outcomes

    def _insert_new_versions(self, table: str, versions: list[dict[str, Any]]) -> None:
        """merge_version's "inserted" path, in bulk, for versions of distinct absent rows."""
        conn = self.db.conn
        # merge_version records each version's edge, then its insert's trigger tries the same
        # edge again. Every attempt, ignored or not, advances sync_versions' AUTOINCREMENT
        # sequence, so an edge new here would get another seq in bulk: those runs (never seen
        # from our own packages, which carry every edge) go row by row.
        conn.execute("SAVEPOINT merge_new_rows")
        before = conn.total_changes
        self.versions.add_sync_edges(
            table, [(v["id"], v["hlc"], v.get("base_hlc") or "") for v in versions]
        )
        if conn.total_changes != before:
            conn.execute("ROLLBACK TO merge_new_rows")
            conn.execute("RELEASE merge_new_rows")
            for version in versions:
                self.merge_version(table, version)
            return
        conn.execute("RELEASE merge_new_rows")
        for columns, group in itertools.groupby(versions, key=_column_names):
            conn.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) "
                f"VALUES ({', '.join('?' for _ in columns)})",
                (tuple(v.values()) for v in group),
            )
        if table == "findings":
            self.search.index_new_findings(versions)
        elif table in ("evidence_docs", "checklist_items"):
            for version in versions:
                self.search.reindex_row(table, version["id"])

    def _write_version(self, table: str, version: dict[str, Any], *, insert: bool) -> None:
        if insert:
            columns = ", ".join(version)
            marks = ", ".join("?" for _ in version)
            self.db.execute(
                f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(version.values())
            )
        else:
            values = {k: v for k, v in version.items() if k != "id"}
            sql_set = ", ".join(f"{k} = ?" for k in values)
            self.db.execute(
                f"UPDATE {table} SET {sql_set} WHERE id = ?", [*values.values(), version["id"]]
            )
        self.search.reindex_row(table, version["id"])

    def record_import(self, package_id: str, source_device: str, counts: dict[str, int]) -> None:
        self.db.execute(
            "INSERT INTO sync_imports (id, package_id, source_device, imported_at, inserted, "
            "updated, unchanged, conflicts) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                new_id(),
                package_id,
                source_device,
                now_iso(),
                counts["inserted"],
                counts["updated"],
                counts["unchanged"],
                counts["conflicts"],
            ],
        )
