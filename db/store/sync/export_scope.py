"""Sync: what a package carries (every head version in scope changed since the last export
to the same target) and the record of exports."""

from __future__ import annotations

from typing import Any

from db.migrations import SYNCED_TABLES
from db.store.core import Core, now_iso
from db.store.sync.conflicts import Conflicts
from db.store.sync.versions import Versions

# Which rows belong to one plan (":plan" is bound); tables not listed travel whole. A plan
# whose re-inspections re-check visits of earlier plans (inspections.reinspects_id, m009)
# takes those plans along, recursively: the receiver needs the earlier visit and its
# recommendations to start the re-inspection from them.
_PLANS = (
    "WITH RECURSIVE linked(id) AS (SELECT :plan UNION SELECT e.plan_id FROM inspections i "
    "JOIN inspections e ON e.id = i.reinspects_id JOIN linked l ON i.plan_id = l.id) "
    "SELECT id FROM linked"
)
_PLAN_INSPECTIONS = f"SELECT id FROM inspections WHERE plan_id IN ({_PLANS})"
_PLAN_VERSIONS = f"SELECT checklist_version_id FROM inspections WHERE plan_id IN ({_PLANS})"
_PLAN_FINDINGS = (
    "SELECT f.id FROM findings f JOIN inspections i ON i.id = f.inspection_id "
    f"WHERE i.plan_id IN ({_PLANS})"
)
PLAN_SCOPE = {
    "plans": f"id IN ({_PLANS})",
    "units": "1",
    "checklist_versions": f"id IN ({_PLAN_VERSIONS})",
    "checklist_areas": f"version_id IN ({_PLAN_VERSIONS})",
    "checklist_criteria": f"version_id IN ({_PLAN_VERSIONS})",
    "checklist_items": f"version_id IN ({_PLAN_VERSIONS})",
    "inspections": f"plan_id IN ({_PLANS})",
    "members": f"plan_id IN ({_PLANS})",
    "findings": f"inspection_id IN ({_PLAN_INSPECTIONS})",
    "evidence_docs": f"finding_id IN ({_PLAN_FINDINGS})",
    "attachments": f"finding_id IN ({_PLAN_FINDINGS})",
    "conclusions": f"inspection_id IN ({_PLAN_INSPECTIONS})",
    "recommendations": f"inspection_id IN ({_PLAN_INSPECTIONS})",
    "remediations": (
        "recommendation_id IN (SELECT r.id FROM recommendations r JOIN inspections i "
        f"ON i.id = r.inspection_id WHERE i.plan_id IN ({_PLANS}))"
    ),
    "remediation_attachments": (
        "remediation_id IN (SELECT m.id FROM remediations m JOIN recommendations r "
        "ON r.id = m.recommendation_id JOIN inspections i ON i.id = r.inspection_id "
        f"WHERE i.plan_id IN ({_PLANS}))"
    ),
}


class ExportScope:
    """The rows a package takes; the exports made."""

    def __init__(self, core: Core, versions: Versions, conflicts: Conflicts) -> None:
        self.core = core
        self.versions = versions
        self.conflicts = conflicts
        self.db = core.db

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
        audit_head: str | None = None,
    ) -> None:
        """Record one export; `audit_head`: the signed head it carried (JSON text)."""
        with self.core.transaction():
            self.db.execute(
                "INSERT INTO sync_exports (id, package_id, created_at, target, plan_id, "
                "up_to_hlc, rows, up_to_seq, audit_head) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    package_id,
                    package_id,
                    now_iso(),
                    target,
                    plan_id,
                    up_to_hlc,
                    rows,
                    up_to_seq,
                    audit_head,
                ],
            )

    def exported_heads(self) -> list[str]:
        """The signed audit heads recorded at the exports made here (JSON texts)."""
        return [
            str(r[0])
            for r in self.db.execute(
                "SELECT audit_head FROM sync_exports WHERE audit_head IS NOT NULL "
                "ORDER BY created_at, rowid"
            )
        ]

    def keep_head_seen(
        self, device_id: str, seq: int, digest: str, signature: str, package_id: str
    ) -> None:
        """Keep the signed audit head a package of `device_id` carried, when it is the newest
        seen from that device (inside the import's transaction)."""
        self.db.execute(
            "INSERT INTO audit_heads_seen (device_id, seq, hash, signature, package_id, seen_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(device_id) DO UPDATE SET seq = excluded.seq, "
            "hash = excluded.hash, signature = excluded.signature, "
            "package_id = excluded.package_id, seen_at = excluded.seen_at "
            "WHERE excluded.seq >= audit_heads_seen.seq",
            [device_id, seq, digest, signature, package_id, now_iso()],
        )

    def heads_seen(self) -> list[dict[str, Any]]:
        """The newest signed audit head seen per other device, with its name when known."""
        return [
            dict(r)
            for r in self.db.query(
                "SELECT h.device_id, d.name AS device_name, h.seq, h.hash, h.package_id, "
                "h.seen_at FROM audit_heads_seen h LEFT JOIN devices d ON d.id = h.device_id "
                "ORDER BY h.device_id"
            )
        ]

    def sync_export_rows(
        self, table: str, plan_id: str | None, since_seq: int
    ) -> list[dict[str, Any]]:
        """Every head version of the rows in scope that changed here after `since_seq`.

        The current row first, then the versions it is in conflict with, so the receiver
        learns everything this laptop knows about the row.
        """
        assert table in SYNCED_TABLES, table
        where, params = "1", dict[str, Any]()
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
        conflicted = self.conflicts.conflicted_rows(table)
        out: list[dict[str, Any]] = []
        for row in rows:
            if row["id"] in conflicted:
                self.conflicts.normalize_conflicts(table, row["id"])
                out.extend(self.conflicts.row_heads(table, row["id"]))
            else:
                out.append(row)
        return out
