"""Sync: two heads of one row are a conflict, kept with both full rows until resolved.

Reads (`sync_conflicts`, `sync_conflict`) never write; `normalize_all_conflicts` settles
the conflicts whose versions were superseded (the caller decides when)."""

from __future__ import annotations

import itertools
import json
from typing import Any

from db.store.core import Core, now_iso, stable_id
from db.store.search import Search
from db.store.sync.versions import Versions

SYNC_FIELDS = ("hlc", "origin", "base_hlc")


def conflict_id(table: str, row_id: str, hlc_a: str, hlc_b: str) -> str:
    """The same id on every laptop for the same two versions, whatever the order seen."""
    first, second = sorted((hlc_a, hlc_b))
    return stable_id("conflict", table, row_id, first, second)


def _decoded(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "local": json.loads(row["local"]), "remote": json.loads(row["remote"])}


def _canonical(row: dict[str, Any]) -> str:
    return json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class Conflicts:
    """Conflicts: recorded, settled, listed and resolved."""

    def __init__(self, core: Core, versions: Versions, search: Search) -> None:
        self.core = core
        self.versions = versions
        self.search = search
        self.db = core.db

    def conflicted_rows(self, table: str) -> set[str]:
        return {
            r[0]
            for r in self.db.execute(
                "SELECT row_id FROM sync_conflicts WHERE table_name = ? AND resolved_at IS NULL",
                [table],
            )
        }

    def open_conflicts_of(self, table: str, row_id: str) -> list[dict[str, Any]]:
        return [
            dict(r)
            for r in self.db.query(
                "SELECT * FROM sync_conflicts WHERE table_name = ? AND row_id = ? "
                "AND resolved_at IS NULL",
                [table, row_id],
            )
        ]

    def row_heads(self, table: str, row_id: str) -> list[dict[str, Any]]:
        """The versions of a row no known version descends from: the row, then its rivals."""
        current = self.core.get_row(table, row_id)
        if current is None:
            return []
        candidates = {current["hlc"]: current}
        for conflict in self.open_conflicts_of(table, row_id):
            for side in ("local", "remote"):
                version = json.loads(conflict[side])
                candidates.setdefault(version["hlc"], version)
        if len(candidates) == 1:
            return [current]
        parents = self.versions.parents(table, row_id)
        dominated: set[str] = set()
        for hlc in candidates:
            dominated |= self.versions.ancestors(parents, hlc)
        heads = [v for h, v in candidates.items() if h not in dominated]
        heads.sort(key=lambda v: v["hlc"] != current["hlc"])
        return heads

    def normalize_conflicts(self, table: str, row_id: str) -> None:
        """Settle conflicts whose versions were superseded; record every pair of heads."""
        self.settle(table, row_id, self.row_heads(table, row_id))

    def normalize_all_conflicts(self) -> None:
        with self.core.transaction():
            for table, row_id in self.db.execute(
                "SELECT DISTINCT table_name, row_id FROM sync_conflicts WHERE resolved_at IS NULL"
            ).fetchall():
                self.normalize_conflicts(table, row_id)

    def settle(self, table: str, row_id: str, heads: list[dict[str, Any]]) -> int:
        """Mark conflicts no longer between heads as superseded; add the missing pairs."""
        head_stamps = {h["hlc"] for h in heads}
        for conflict in self.open_conflicts_of(table, row_id):
            pair = {json.loads(conflict[s])["hlc"] for s in ("local", "remote")}
            if not pair <= head_stamps:
                self.db.execute(
                    "UPDATE sync_conflicts SET resolved_at = ?, resolution = 'superseded' "
                    "WHERE id = ?",
                    [now_iso(), conflict["id"]],
                )
        created = 0
        for a, b in itertools.combinations(sorted(heads, key=lambda v: v["hlc"]), 2):
            cid = conflict_id(table, row_id, a["hlc"], b["hlc"])
            if self.db.execute("SELECT 1 FROM sync_conflicts WHERE id = ?", [cid]).fetchone():
                continue
            mine_a, mine_b = a["origin"] == self.core.device_id, b["origin"] == self.core.device_id
            # "Local" is this laptop's own version when exactly one is; otherwise the one the
            # row shows (the greater stamp). Both rules ignore the order packages arrived in.
            local, remote = (a, b) if mine_a and not mine_b else (b, a)
            self.db.execute(
                "INSERT INTO sync_conflicts (id, table_name, row_id, local, remote, detected_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [cid, table, row_id, _canonical(local), _canonical(remote), now_iso()],
            )
            created += 1
        return created

    # -- conflicts ------------------------------------------------------------------------
    def read_all(self, *, include_resolved: bool = False) -> list[dict[str, Any]]:
        """Conflicts as recorded (open ones unless asked), both versions decoded, oldest first.

        Reads only: conflicts whose versions were since superseded are still listed until
        `normalize_all_conflicts` settles them (`settle_and_list` does both).
        """
        where = "" if include_resolved else "WHERE resolved_at IS NULL"
        return [
            _decoded(r)
            for r in self.db.query(
                f"SELECT * FROM sync_conflicts {where} ORDER BY detected_at, table_name, row_id, id"
            )
        ]

    def settle_and_list(self, *, include_resolved: bool = False) -> list[dict[str, Any]]:
        """Settle what was superseded (a write), then list: what the conflicts screen shows."""
        self.normalize_all_conflicts()
        return self.read_all(include_resolved=include_resolved)

    def conflicted_finding_items(self, inspection_id: str) -> set[str]:
        """Item ids of the inspection's findings with an unresolved conflict."""
        return {
            r[0]
            for r in self.db.execute(
                "SELECT f.item_id FROM findings f JOIN sync_conflicts c "
                "ON c.table_name = 'findings' AND c.row_id = f.id AND c.resolved_at IS NULL "
                "WHERE f.inspection_id = ?",
                [inspection_id],
            )
        }

    def get(self, conflict_id_: str) -> dict[str, Any] | None:
        """One conflict as recorded (resolved or not), both versions decoded; reads only."""
        rows = list(self.db.query("SELECT * FROM sync_conflicts WHERE id = ?", [conflict_id_]))
        return _decoded(rows[0]) if rows else None

    def resolve_sync_conflict(
        self, conflict_id_: str, keep: str, fields: dict[str, str] | None = None
    ) -> dict[str, Any]:
        """Write the kept version as a new change descending from both; returns the row.

        `keep` ("mine" | "theirs") picks the side of every field; `fields` ({column: "mine" |
        "theirs"}) overrides it field by field. Unknown columns raise ValueError.
        """
        assert keep in ("mine", "theirs"), keep
        fields = dict(fields or {})
        with self.core.transaction():
            conflict = self.get(conflict_id_)
            if conflict is not None and not conflict["resolved_at"]:
                # A conflict whose versions were superseded since is not there to resolve.
                self.normalize_conflicts(conflict["table_name"], conflict["row_id"])
                conflict = self.get(conflict_id_)
            if conflict is None or conflict["resolved_at"]:
                raise KeyError(conflict_id_)
            table, row_id = conflict["table_name"], conflict["row_id"]
            sides = {"mine": conflict["local"], "theirs": conflict["remote"]}
            columns = [k for k in sides[keep] if k not in ("id", *SYNC_FIELDS)]
            unknown = sorted(set(fields) - set(columns))
            if unknown or any(v not in sides for v in fields.values()):
                raise ValueError(unknown or fields)
            stamps = sorted((conflict["local"]["hlc"], conflict["remote"]["hlc"]))
            old = self.core.get_row(table, row_id) or {}
            values = {k: sides[fields.get(k, keep)].get(k) for k in columns}
            resolution = keep + "".join(f";{k}={v}" for k, v in sorted(fields.items()))
            stamp = self.core.clock.now()
            new = {**values, "hlc": stamp, "origin": self.core.device_id, "base_hlc": stamps[1]}
            sql_set = ", ".join(f"{k} = ?" for k in new)
            self.db.execute(f"UPDATE {table} SET {sql_set} WHERE id = ?", [*new.values(), row_id])
            # The resolution descends from both versions: it settles the conflict wherever
            # it travels.
            self.versions.add_sync_edges(table, [(row_id, stamp, stamps[0])])
            self.db.execute(
                "UPDATE sync_conflicts SET resolved_at = ?, resolution = ? WHERE id = ?",
                [now_iso(), resolution, conflict_id_],
            )
            # Every field resolved, changed or not: the row is this laptop's version now, and
            # `audit verify` compares it with what the log last says (a history shows only
            # the fields that changed).
            self.core.append_audit(
                "resolve", table, row_id, {k: old.get(k) for k in values}, values
            )
            self.normalize_conflicts(table, row_id)
            self.search.reindex_row(table, row_id)
            return self.core.get_row(table, row_id) or {}
