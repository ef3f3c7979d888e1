"""Sync by files: the rows a package carries, merging incoming versions, conflicts, devices.

The model: every change of a travelling row is a *version* named by its hlc stamp;
`sync_versions` (filled by triggers, see m003_sync) records which version each one was edited
from. A laptop knows a set of versions; the row holds the newest of its *heads* (versions no
other known version descends from); two heads are a conflict, kept in `sync_conflicts` with both
full rows. Importing is a union of version sets, so it is idempotent and order-independent.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable
from typing import Any

from db.migrations import SYNCED_TABLES
from db.store.base import StoreBase, new_id, now_iso, stable_id
from db.store.search import scope_text
from db.text import fold

SYNC_FIELDS = ("hlc", "origin", "base_hlc")

# Which rows belong to one plan (":plan" is bound); tables not listed travel whole.
_PLAN_INSPECTIONS = "SELECT id FROM inspections WHERE plan_id = :plan"
_PLAN_VERSIONS = "SELECT checklist_version_id FROM inspections WHERE plan_id = :plan"
_PLAN_FINDINGS = (
    "SELECT f.id FROM findings f JOIN inspections i ON i.id = f.inspection_id "
    "WHERE i.plan_id = :plan"
)
PLAN_SCOPE = {
    "plans": "id = :plan",
    "units": "1",
    "checklist_versions": f"id IN ({_PLAN_VERSIONS})",
    "checklist_areas": f"version_id IN ({_PLAN_VERSIONS})",
    "checklist_criteria": f"version_id IN ({_PLAN_VERSIONS})",
    "checklist_items": f"version_id IN ({_PLAN_VERSIONS})",
    "inspections": "plan_id = :plan",
    "members": "plan_id = :plan",
    "findings": f"inspection_id IN ({_PLAN_INSPECTIONS})",
    "evidence_docs": f"finding_id IN ({_PLAN_FINDINGS})",
    "attachments": f"finding_id IN ({_PLAN_FINDINGS})",
    "conclusions": f"inspection_id IN ({_PLAN_INSPECTIONS})",
    "recommendations": f"inspection_id IN ({_PLAN_INSPECTIONS})",
    "remediations": (
        "recommendation_id IN (SELECT r.id FROM recommendations r JOIN inspections i "
        "ON i.id = r.inspection_id WHERE i.plan_id = :plan)"
    ),
    "remediation_attachments": (
        "remediation_id IN (SELECT m.id FROM remediations m JOIN recommendations r "
        "ON r.id = m.recommendation_id JOIN inspections i ON i.id = r.inspection_id "
        "WHERE i.plan_id = :plan)"
    ),
}


def conflict_id(table: str, row_id: str, hlc_a: str, hlc_b: str) -> str:
    """The same id on every laptop for the same two versions, whatever the order seen."""
    first, second = sorted((hlc_a, hlc_b))
    return stable_id("conflict", table, row_id, first, second)


def _canonical(row: dict[str, Any]) -> str:
    return json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


_MAX_ROWID = 2**63 - 1


def _column_names(version: dict[str, Any]) -> tuple[str, ...]:
    return tuple(version)


def _plain_stamps(version: dict[str, Any]) -> bool:
    """Stamps stored as given, so the insert trigger's edge is the one merge_version adds."""
    base = version.get("base_hlc")
    return type(version.get("hlc")) is str and (base is None or type(base) is str)


class SyncMixin(StoreBase):
    """Reads and writes for sync packages; the services in desktop/sync/ drive them."""

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

    # -- devices --------------------------------------------------------------------------
    def self_device(self) -> dict[str, Any]:
        return self._device_where("is_self = 1", []) or {}

    def _device_where(self, where: str, params: list[Any]) -> dict[str, Any] | None:
        cursor = self.db.execute(f"SELECT * FROM devices WHERE {where}", params)
        row = cursor.fetchone()
        if row is None:
            return None
        return dict(zip([c[0] for c in cursor.description], row, strict=True))

    def device_by_fingerprint(self, fingerprint: str) -> dict[str, Any] | None:
        return self._device_where("fingerprint = ? ORDER BY is_self DESC", [fingerprint])

    def device_by_id(self, device_id: str) -> dict[str, Any] | None:
        return self._device_where("id = ?", [device_id])

    def devices(self) -> list[dict[str, Any]]:
        return [
            dict(r) for r in self.db.query("SELECT * FROM devices ORDER BY is_self DESC, name, id")
        ]

    def set_self_keys(self, public_key: str, fingerprint: str, encryption_key: str) -> None:
        with self.transaction():
            self.db.execute(
                "UPDATE devices SET public_key = ?, fingerprint = ?, encryption_key = ? "
                "WHERE is_self = 1",
                [public_key, fingerprint, encryption_key],
            )

    def rename_self_device(self, name: str) -> None:
        """Give this laptop another name (travels with the next package it makes)."""
        with self.transaction():
            self.db.execute("UPDATE devices SET name = ? WHERE is_self = 1", [name])
        self.device_name = name

    def set_device_trust(self, fingerprint: str, *, trusted: bool, name: str | None) -> None:
        """Trust (or revoke) a key by fingerprint, recording it if never seen."""
        with self.transaction():
            row = self.device_by_fingerprint(fingerprint)
            if row is None:
                self.db.execute(
                    "INSERT INTO devices (id, name, fingerprint, trusted, revoked, created_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    [
                        f"fp:{fingerprint}",
                        name or "",
                        fingerprint,
                        int(trusted),
                        int(not trusted),
                        now_iso(),
                    ],
                )
                return
            self.db.execute(
                "UPDATE devices SET trusted = ?, revoked = ?, name = coalesce(?, name) "
                "WHERE fingerprint = ? AND is_self = 0",
                [int(trusted), int(not trusted), name, fingerprint],
            )

    def record_device(
        self,
        device_id: str,
        name: str,
        public_key: str | None,
        fingerprint: str,
        encryption_key: str | None,
        *,
        trust: bool = False,
    ) -> None:
        """Remember a device seen in a package (its name shows who made a change).

        Never lowers trust and never lifts a revocation; a placeholder recorded by
        `set_device_trust` before the key was known takes the real id.
        """
        by_fp = self.device_by_fingerprint(fingerprint)
        if by_fp is not None:
            if by_fp["is_self"]:
                return
            placeholder = str(by_fp["id"]).startswith("fp:")
            if (
                placeholder
                and public_key is not None
                and not device_id.startswith("fp:")
                and self.device_by_id(device_id) is None
            ):
                self.db.execute("UPDATE devices SET id = ? WHERE id = ?", [device_id, by_fp["id"]])
            self.db.execute(
                "UPDATE devices SET name = CASE WHEN name = '' THEN ? ELSE name END, "
                "public_key = coalesce(?, public_key), "
                "encryption_key = coalesce(?, encryption_key), "
                "trusted = CASE WHEN revoked = 1 THEN 0 ELSE max(trusted, ?) END "
                "WHERE fingerprint = ?",
                [name, public_key, encryption_key, int(trust), fingerprint],
            )
            return
        if public_key is None:
            device_id = f"fp:{fingerprint}"  # known by fingerprint only, like `device trust`
        if self.device_by_id(device_id) is not None:
            return  # same id with another key: keep what we have, trust goes by key
        self.db.execute(
            "INSERT INTO devices (id, name, public_key, fingerprint, encryption_key, trusted, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [device_id, name, public_key, fingerprint, encryption_key, int(trust), now_iso()],
        )

    def device_names(self) -> dict[str, str]:
        return {r[0]: r[1] for r in self.db.execute("SELECT id, name FROM devices")}

    # -- export ---------------------------------------------------------------------------
    def sync_max_seq(self) -> int:
        return int(self.db.execute("SELECT coalesce(max(seq), 0) FROM sync_versions").fetchone()[0])

    def last_export_seq(self, target: str | None, plan_id: str | None) -> int:
        row = self.db.execute(
            "SELECT max(up_to_seq) FROM sync_exports WHERE target IS ? AND plan_id IS ?",
            [target, plan_id],
        ).fetchone()
        return int(row[0] or 0)

    def record_export(
        self,
        package_id: str,
        target: str | None,
        plan_id: str | None,
        up_to_hlc: str | None,
        up_to_seq: int,
        rows: int,
    ) -> None:
        with self.transaction():
            self.db.execute(
                "INSERT INTO sync_exports (id, package_id, created_at, target, plan_id, "
                "up_to_hlc, rows, up_to_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [package_id, package_id, now_iso(), target, plan_id, up_to_hlc, rows, up_to_seq],
            )

    def sync_export_rows(
        self, table: str, plan_id: str | None, since_seq: int
    ) -> list[dict[str, Any]]:
        """Every head version of the rows in scope that changed here after `since_seq`.

        The current row first, then the versions it is in conflict with, so the receiver
        learns everything this laptop knows about the row.
        """
        assert table in SYNCED_TABLES, table
        where, params = "1", {}
        if plan_id is not None:
            where = PLAN_SCOPE.get(table, "1")
            params["plan"] = plan_id
        if since_seq:
            where += (
                " AND id IN (SELECT row_id FROM sync_versions "
                "WHERE table_name = :table AND seq > :since)"
            )
            params.update(table=table, since=since_seq)
        rows = [dict(r) for r in self.db.query(f"SELECT * FROM {table} WHERE {where}", params)]
        conflicted = self._conflicted_rows(table)
        out: list[dict[str, Any]] = []
        for row in rows:
            if row["id"] in conflicted:
                self.normalize_conflicts(table, row["id"])
                out.extend(self.row_heads(table, row["id"]))
            else:
                out.append(row)
        return out

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

    # -- versions and heads ---------------------------------------------------------------
    def _parents(self, table: str, row_id: str) -> dict[str, set[str]]:
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
    def _ancestors(parents: dict[str, set[str]], hlc: str) -> set[str]:
        seen: set[str] = set()
        todo = list(parents.get(hlc, ()))
        while todo:
            stamp = todo.pop()
            if stamp not in seen:
                seen.add(stamp)
                todo.extend(parents.get(stamp, ()))
        return seen

    def _conflicted_rows(self, table: str) -> set[str]:
        return {
            r[0]
            for r in self.db.execute(
                "SELECT row_id FROM sync_conflicts WHERE table_name = ? AND resolved_at IS NULL",
                [table],
            )
        }

    def _open_conflicts_of(self, table: str, row_id: str) -> list[dict[str, Any]]:
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
        current = self.get_row(table, row_id)
        if current is None:
            return []
        candidates = {current["hlc"]: current}
        for conflict in self._open_conflicts_of(table, row_id):
            for side in ("local", "remote"):
                version = json.loads(conflict[side])
                candidates.setdefault(version["hlc"], version)
        if len(candidates) == 1:
            return [current]
        parents = self._parents(table, row_id)
        dominated: set[str] = set()
        for hlc in candidates:
            dominated |= self._ancestors(parents, hlc)
        heads = [v for h, v in candidates.items() if h not in dominated]
        heads.sort(key=lambda v: v["hlc"] != current["hlc"])
        return heads

    def normalize_conflicts(self, table: str, row_id: str) -> None:
        """Settle conflicts whose versions were superseded; record every pair of heads."""
        self._settle(table, row_id, self.row_heads(table, row_id))

    def normalize_all_conflicts(self) -> None:
        with self.transaction():
            for table, row_id in self.db.execute(
                "SELECT DISTINCT table_name, row_id FROM sync_conflicts WHERE resolved_at IS NULL"
            ).fetchall():
                self.normalize_conflicts(table, row_id)

    def _settle(self, table: str, row_id: str, heads: list[dict[str, Any]]) -> int:
        """Mark conflicts no longer between heads as superseded; add the missing pairs."""
        head_stamps = {h["hlc"] for h in heads}
        for conflict in self._open_conflicts_of(table, row_id):
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
            mine_a, mine_b = a["origin"] == self.device_id, b["origin"] == self.device_id
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

    # -- import ---------------------------------------------------------------------------
    def add_sync_edges(self, table: str, edges: Iterable[tuple[str, str, str]]) -> None:
        self.db.conn.executemany(
            "INSERT OR IGNORE INTO sync_versions (table_name, row_id, hlc, parent) "
            "VALUES (?, ?, ?, ?)",
            [(table, row_id, hlc, parent) for row_id, hlc, parent in edges],
        )

    def merge_version(self, table: str, version: dict[str, Any]) -> str:
        """Apply one incoming version; returns inserted, updated, unchanged or conflict.

        Call inside the import's transaction, after add_sync_edges for the package.
        """
        assert table in SYNCED_TABLES, table
        row_id = version["id"]
        self.add_sync_edges(table, [(row_id, version["hlc"], version.get("base_hlc") or "")])
        local = self.get_row(table, row_id)
        if local is None:
            self._write_version(table, version, insert=True)
            return "inserted"
        heads = self.row_heads(table, row_id)
        parents = self._parents(table, row_id)
        for head in heads:
            if head["hlc"] == version["hlc"] or version["hlc"] in self._ancestors(
                parents, head["hlc"]
            ):
                return "unchanged"
        behind = self._ancestors(parents, version["hlc"])
        remaining = [h for h in heads if h["hlc"] not in behind] + [version]
        winner = max(remaining, key=lambda v: v["hlc"])
        if winner["hlc"] != local["hlc"]:
            self._write_version(table, winner, insert=False)
        self._settle(table, row_id, remaining)
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
        present = self.existing_ids(table, (v["id"] for v in versions))
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
        self.add_sync_edges(table, [(v["id"], v["hlc"], v.get("base_hlc") or "") for v in versions])
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
                [tuple(v.values()) for v in group],
            )
        if table == "findings" and hasattr(self, "index_finding_row"):
            self._index_new_findings(versions)
        elif table in ("evidence_docs", "checklist_items"):
            for version in versions:
                self._reindex(table, version["id"])

    def _index_new_findings(self, versions: list[dict[str, Any]]) -> None:
        """_reindex of just-inserted findings in one pass: the same refs, rowids and texts."""
        ids = [v["id"] for v in versions]
        indexed: set[str] = set()
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            indexed.update(
                r[0]
                for r in self.db.execute(
                    f"SELECT ref_id FROM search_refs WHERE ref_id IN ({marks})", chunk
                )
            )
        last = self.db.execute("SELECT max(fts_rowid) FROM search_refs").fetchone()[0] or 0
        if indexed or last > _MAX_ROWID - len(ids):
            # A ref left from an earlier life of an id, or rowids about to run out: row by row.
            for row_id in ids:
                self._reindex("findings", row_id)
            return
        scopes: dict[Any, str] = {}
        entries: list[tuple[str, str, str, Any]] = []
        for version in versions:
            note, inspection_id = version.get("note"), version.get("inspection_id")
            deleted = version.get("deleted")
            if type(note) is not str or type(inspection_id) is not str or type(deleted) is not int:
                # Not stored as given (a default, a column affinity): read the row back.
                row = self.get_row("findings", version["id"]) or {}
                note, inspection_id = row.get("note"), row.get("inspection_id")
                deleted = row.get("deleted")
            if deleted:
                continue  # unindex: nothing to remove
            body = fold(note or "").strip()
            if not body:
                continue
            scope = scopes.get(inspection_id)
            if scope is None:
                scope = scopes[inspection_id] = scope_text("finding", inspection_id)
            entries.append((version["id"], body, scope, inspection_id))
        if not entries:
            return
        conn = self.db.conn
        conn.executemany("INSERT INTO search_refs (ref_id) VALUES (?)", [(e[0],) for e in entries])
        rowids = dict(
            conn.execute(
                "SELECT ref_id, fts_rowid FROM search_refs WHERE fts_rowid > ?", [last]
            ).fetchall()
        )
        conn.executemany(
            "INSERT OR REPLACE INTO search_index "
            "(rowid, body, scope, kind, ref_id, inspection_id) "
            "VALUES (?, ?, ?, 'finding', ?, ?)",
            [(rowids[ref_id], body, scope, ref_id, insp) for ref_id, body, scope, insp in entries],
        )

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
        self._reindex(table, version["id"])

    def _reindex(self, table: str, row_id: str) -> None:
        """Keep the full-text index (SearchMixin, when present) in step with synced rows."""
        row = self.get_row(table, row_id)
        if row is None:
            return
        if table == "findings" and hasattr(self, "index_finding_row"):
            self.index_finding_row(row)
        elif table == "evidence_docs" and hasattr(self, "index_evidence_row"):
            parent = self.get_row("findings", row["finding_id"])
            self.index_evidence_row(row, parent["inspection_id"] if parent else None)
        elif table == "checklist_items" and hasattr(self, "index_text"):
            if row["deleted"]:
                self.unindex(row_id)  # type: ignore[attr-defined]
            else:
                self.index_text("item", row_id, f"{row['code']} {row['text']}", None)

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

    # -- conflicts ------------------------------------------------------------------------
    def sync_conflicts(self, *, include_resolved: bool = False) -> list[dict[str, Any]]:
        """Conflicts (open ones unless asked), both versions decoded, oldest first."""
        self.normalize_all_conflicts()
        where = "" if include_resolved else "WHERE resolved_at IS NULL"
        rows = []
        for r in self.db.query(
            f"SELECT * FROM sync_conflicts {where} ORDER BY detected_at, table_name, row_id, id"
        ):
            row = dict(r)
            row["local"] = json.loads(row["local"])
            row["remote"] = json.loads(row["remote"])
            rows.append(row)
        return rows

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

    def sync_conflict(self, conflict_id_: str) -> dict[str, Any] | None:
        row = self.db.execute(
            "SELECT id FROM sync_conflicts WHERE id = ?", [conflict_id_]
        ).fetchone()
        if row is None:
            return None
        found = [c for c in self.sync_conflicts(include_resolved=True) if c["id"] == row[0]]
        return found[0] if found else None

    def resolve_sync_conflict(
        self, conflict_id_: str, keep: str, fields: dict[str, str] | None = None
    ) -> dict[str, Any]:
        """Write the kept version as a new change descending from both; returns the row.

        `keep` ("mine" | "theirs") picks the side of every field; `fields` ({column: "mine" |
        "theirs"}) overrides it field by field. Unknown columns raise ValueError.
        """
        assert keep in ("mine", "theirs"), keep
        fields = dict(fields or {})
        with self.transaction():
            conflict = self.sync_conflict(conflict_id_)
            if conflict is None or conflict["resolved_at"]:
                raise KeyError(conflict_id_)
            table, row_id = conflict["table_name"], conflict["row_id"]
            sides = {"mine": conflict["local"], "theirs": conflict["remote"]}
            columns = [k for k in sides[keep] if k not in ("id", *SYNC_FIELDS)]
            unknown = sorted(set(fields) - set(columns))
            if unknown or any(v not in sides for v in fields.values()):
                raise ValueError(unknown or fields)
            stamps = sorted((conflict["local"]["hlc"], conflict["remote"]["hlc"]))
            old = self.get_row(table, row_id) or {}
            values = {k: sides[fields.get(k, keep)].get(k) for k in columns}
            resolution = keep + "".join(f";{k}={v}" for k, v in sorted(fields.items()))
            stamp = self.clock.now()
            new = {**values, "hlc": stamp, "origin": self.device_id, "base_hlc": stamps[1]}
            sql_set = ", ".join(f"{k} = ?" for k in new)
            self.db.execute(f"UPDATE {table} SET {sql_set} WHERE id = ?", [*new.values(), row_id])
            # The resolution descends from both versions: it settles the conflict wherever
            # it travels.
            self.add_sync_edges(table, [(row_id, stamp, stamps[0])])
            self.db.execute(
                "UPDATE sync_conflicts SET resolved_at = ?, resolution = ? WHERE id = ?",
                [now_iso(), resolution, conflict_id_],
            )
            changed = {k: v for k, v in values.items() if old.get(k) != v}
            self.append_audit("resolve", table, row_id, {k: old.get(k) for k in changed}, changed)
            self.normalize_conflicts(table, row_id)
            self._reindex(table, row_id)
            return self.get_row(table, row_id) or {}
