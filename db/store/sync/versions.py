"""Sync: the version history of travelling rows (`sync_versions`, filled by triggers, see
m003_sync) and the schema of the travelling tables."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from db.migrations import SYNCED_TABLES
from db.store.core import Core


class Versions:
    """Which version of a row descends from which; the columns and references of a table."""

    def __init__(self, core: Core) -> None:
        self.core = core
        self.db = core.db

    # -- schema ---------------------------------------------------------------------------
    def sync_columns(self, table: str) -> list[dict[str, Any]]:
        """Columns of a travelling table: name, type, notnull, default, pk."""
        assert table in SYNCED_TABLES, table
        return [
            {"name": r[1], "type": (r[2] or "").upper(), "notnull": bool(r[3]), "default": r[4]}
            for r in self.db.execute(f"PRAGMA table_info({table})").fetchall()
        ]

    def sync_foreign_keys(self, table: str) -> list[tuple[str, str]]:
        """(column, parent table) for every reference a row of `table` makes."""
        assert table in SYNCED_TABLES, table
        return [(r[3], r[2]) for r in self.db.execute(f"PRAGMA foreign_key_list({table})")]

    def existing_ids(self, table: str, ids: Iterable[str]) -> set[str]:
        assert table in SYNCED_TABLES, table
        wanted = list(set(ids))
        found: set[str] = set()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            found.update(
                r[0]
                for r in self.db.execute(f"SELECT id FROM {table} WHERE id IN ({marks})", chunk)
            )
        return found

    def rows_by_id(self, table: str, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The current rows of these ids (those present), by id."""
        assert table in SYNCED_TABLES, table
        wanted = list(set(ids))
        found: dict[str, dict[str, Any]] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            found.update(
                (r["id"], dict(r))
                for r in self.db.query(f"SELECT * FROM {table} WHERE id IN ({marks})", chunk)
            )
        return found

    def rows_of_origin(self, table: str, device_id: str) -> list[dict[str, Any]]:
        """Current rows (versions shown) written by this device."""
        assert table in SYNCED_TABLES, table
        return [
            dict(r) for r in self.db.query(f"SELECT * FROM {table} WHERE origin = ?", [device_id])
        ]

    def item_max_scores(self, item_ids: Iterable[str]) -> dict[str, float]:
        """max_score of these checklist items (those present here), by id."""
        wanted = list(set(item_ids))
        found: dict[str, float] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            found.update(
                (r[0], float(r[1] or 0))
                for r in self.db.execute(
                    f"SELECT id, max_score FROM checklist_items WHERE id IN ({marks})", chunk
                )
            )
        return found

    # -- export ---------------------------------------------------------------------------
    def sync_max_seq(self) -> int:
        return int(self.db.execute("SELECT coalesce(max(seq), 0) FROM sync_versions").fetchone()[0])

    def sync_row_edges(self, table: str, row_ids: Iterable[str]) -> list[tuple[str, str, str]]:
        """(row_id, hlc, parent) of every known version of these rows."""
        wanted = sorted(set(row_ids))
        edges: list[tuple[str, str, str]] = []
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            edges.extend(
                (r[0], r[1], r[2])
                for r in self.db.execute(
                    "SELECT row_id, hlc, parent FROM sync_versions "
                    f"WHERE table_name = ? AND row_id IN ({marks}) ORDER BY seq",
                    [table, *chunk],
                )
            )
        return edges

    # -- import ---------------------------------------------------------------------------
    def add_sync_edges(self, table: str, edges: Iterable[tuple[str, str, str]]) -> None:
        self.db.conn.executemany(
            "INSERT OR IGNORE INTO sync_versions (table_name, row_id, hlc, parent) "
            "VALUES (?, ?, ?, ?)",
            ((table, row_id, hlc, parent) for row_id, hlc, parent in edges),
        )

    # -- versions and heads ---------------------------------------------------------------
    def parents(self, table: str, row_id: str) -> dict[str, set[str]]:
        parents: dict[str, set[str]] = {}
        for hlc, parent in self.db.execute(
            "SELECT hlc, parent FROM sync_versions WHERE table_name = ? AND row_id = ?",
            [table, row_id],
        ):
            parents.setdefault(hlc, set())
            if parent:
                parents[hlc].add(parent)
        return parents

    @staticmethod
    def ancestors(parents: dict[str, set[str]], hlc: str) -> set[str]:
        seen: set[str] = set()
        todo = list(parents.get(hlc, ()))
        while todo:
            stamp = todo.pop()
            if stamp not in seen:
                seen.add(stamp)
                todo.extend(parents.get(stamp, ()))
        return seen
