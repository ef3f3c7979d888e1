"""Findings: the result for one checklist item at one inspection."""

from __future__ import annotations

from typing import Any

from db.store.checklists import Checklists
from db.store.core import Core, now_iso, stable_id
from db.store.plans import LEVEL_LETTERS
from db.store.search import Search

FINDING_FIELDS = (
    "result",
    "score",
    "note",
    "numerator",
    "denominator",
    "value",
    "self_result",
    "self_score",
    "self_evidence",
)

SELF_FIELDS = frozenset({"self_result", "self_score", "self_evidence"})


def finding_id(inspection_id: str, item_id: str) -> str:
    """The same id on every laptop for the same item at the same inspection."""
    return stable_id("finding", inspection_id, item_id)


class Findings:
    """Checklist rows of an inspection joined with what was recorded for them."""

    def __init__(self, core: Core, checklists: Checklists, search: Search) -> None:
        self.core = core
        self.checklists = checklists
        self.search = search
        self.db = core.db

    def inspection_items(self, inspection_id: str) -> list[dict[str, Any]]:
        """Every item that applies to the inspection's unit, with its finding (or None values)."""
        insp = self.core.live_row("inspections", inspection_id)
        if insp is None:
            raise KeyError(inspection_id)
        if not insp["checklist_version_id"]:
            return []
        items = self.checklists.checklist_items(
            insp["checklist_version_id"], LEVEL_LETTERS[insp["unit_level"]]
        )
        found = {
            r["item_id"]: dict(r)
            for r in self.db.query(
                "SELECT * FROM findings WHERE inspection_id = ? AND deleted = 0",
                [inspection_id],
            )
        }
        rows = []
        for item in items:
            f = found.get(item["id"], {})
            row = dict(item)
            row["item_id"] = item["id"]
            row["finding_id"] = f.get("id")
            row["finding_hlc"] = f.get("hlc")
            for field in FINDING_FIELDS:
                row[field] = f.get(field)
            row["note"] = f.get("note") or ""
            row["recorded_by"] = f.get("recorded_by")
            row["recorded_at"] = f.get("recorded_at")
            rows.append(row)
        return rows

    def item_id_for_code(self, inspection_id: str, item_code: str) -> str | None:
        row = self.db.execute(
            "SELECT c.id FROM checklist_items c JOIN inspections i "
            "ON i.checklist_version_id = c.version_id "
            "WHERE i.id = ? AND c.code = ? AND c.deleted = 0",
            [inspection_id, item_code],
        ).fetchone()
        return row[0] if row else None

    def finding(self, inspection_id: str, item_id: str) -> dict[str, Any] | None:
        return self.core.live_row("findings", finding_id(inspection_id, item_id))

    def set_finding(
        self, inspection_id: str, item_id: str, changes: dict[str, Any], recorded_by: str = ""
    ) -> dict[str, Any]:
        """Record (part of) a finding; one transaction with its audit entry."""
        unknown = set(changes) - set(FINDING_FIELDS)
        if unknown:
            raise ValueError(f"unknown finding fields: {sorted(unknown)}")
        fid = finding_id(inspection_id, item_id)
        with self.core.transaction():
            existing = self.core.get_row("findings", fid)
            # Who recorded it means the inspector: the unit's own answers (self_*) arriving
            # from a workbook must not take the inspector's name or time.
            inspector_fields = set(changes) - SELF_FIELDS
            stamp = (
                {
                    "recorded_by": recorded_by or self.core.actor or self.core.device_name,
                    "recorded_at": now_iso(),
                }
                if inspector_fields
                else {}
            )
            if existing is None:
                code = self.db.execute(
                    "SELECT code FROM checklist_items WHERE id = ?", [item_id]
                ).fetchone()
                if code is None:
                    raise KeyError(item_id)
                row = self.core.insert_row(
                    "findings",
                    {
                        "id": fid,
                        "inspection_id": inspection_id,
                        "item_id": item_id,
                        "item_code": code[0],
                        **changes,
                        **stamp,
                    },
                )
            else:
                real = {k: v for k, v in changes.items() if existing.get(k) != v}
                if not real and not existing["deleted"]:
                    return existing
                row = self.core.update_row(
                    "findings", fid, {**real, **stamp, "deleted": 0}, current=existing
                )
            if existing is None or existing["deleted"] or "note" in changes:
                # Same transaction: the observation goes into the full-text index before the
                # next search (Search.refresh_search_index).
                self.search.mark_finding_stale(fid)
            return row
