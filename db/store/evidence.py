"""Evidence of a finding: documents (số/ký hiệu, ngày, trích yếu) and attached files."""

from __future__ import annotations

from typing import Any

from db.store.core import Core, now_iso, stable_id
from db.store.findings import Findings, finding_id
from db.store.search import Search

EVIDENCE_FIELDS = ("number", "issued_on", "summary", "position")


class Evidence:
    """Evidence documents and attachment rows hang off a finding; deleting is a tombstone."""

    def __init__(self, core: Core, findings: Findings, search: Search) -> None:
        self.core = core
        self.findings = findings
        self.search = search
        self.db = core.db

    def ensure_finding(self, inspection_id: str, item_id: str) -> str:
        """The id of the finding for this item, creating an empty one when none exists yet."""
        fid = finding_id(inspection_id, item_id)
        row = self.core.live_row("findings", fid)
        if row is None:
            self.findings.set_finding(inspection_id, item_id, {})
        return fid

    def _finding_inspection(self, fid: str) -> str:
        row = self.db.execute("SELECT inspection_id FROM findings WHERE id = ?", [fid]).fetchone()
        if row is None:
            raise KeyError(fid)
        return str(row[0])

    # -- documents ------------------------------------------------------------------------
    def evidence_docs(self, fid: str) -> list[dict[str, Any]]:
        """Live evidence documents of a finding, in the order they were added."""
        return [
            dict(r)
            for r in self.db.query(
                "SELECT id, finding_id, number, issued_on, summary, position, hlc "
                "FROM evidence_docs WHERE finding_id = ? AND deleted = 0 ORDER BY position, hlc",
                [fid],
            )
        ]

    def add_evidence_doc(
        self, inspection_id: str, item_id: str, fields: dict[str, Any]
    ) -> dict[str, Any]:
        """Add a document to the item's finding (created if needed), indexed for search."""
        unknown = set(fields) - set(EVIDENCE_FIELDS)
        if unknown:
            raise ValueError(f"unknown evidence fields: {sorted(unknown)}")
        with self.core.transaction():
            fid = self.ensure_finding(inspection_id, item_id)
            position = self.db.execute(
                "SELECT coalesce(max(position), -1) + 1 FROM evidence_docs WHERE finding_id = ?",
                [fid],
            ).fetchone()[0]
            row = self.core.insert_row(
                "evidence_docs", {"position": position, **fields, "finding_id": fid}
            )
            self.search.index_evidence_row(row, inspection_id)
            return self.core.get_row("evidence_docs", row["id"]) or row

    def update_evidence_doc(self, evidence_id: str, changes: dict[str, Any]) -> dict[str, Any]:
        unknown = set(changes) - set(EVIDENCE_FIELDS)
        if unknown:
            raise ValueError(f"unknown evidence fields: {sorted(unknown)}")
        with self.core.transaction():
            row = self.core.update_row("evidence_docs", evidence_id, changes)
            inspection_id = self._finding_inspection(row["finding_id"])
            self.search.index_evidence_row(row, inspection_id)
        return row

    def delete_evidence_doc(self, evidence_id: str) -> None:
        with self.core.transaction():
            self.core.update_row("evidence_docs", evidence_id, {"deleted": 1})
            self.search.unindex(evidence_id)

    # -- attachments ----------------------------------------------------------------------
    def attachment_rows(self, fid: str) -> list[dict[str, Any]]:
        """Live attachment rows of a finding, oldest first."""
        return [
            dict(r)
            for r in self.db.query(
                "SELECT id, finding_id, sha256, filename, media_type, size, added_at "
                "FROM attachments WHERE finding_id = ? AND deleted = 0 ORDER BY added_at, hlc",
                [fid],
            )
        ]

    def add_attachment_row(
        self, inspection_id: str, item_id: str, fields: dict[str, Any]
    ) -> dict[str, Any]:
        """Record a stored file for the item's finding: one row per (finding, content).

        The id derives from the finding and the hash, so the same file attached twice to the
        same finding (on any laptop) is the same row; a tombstoned one comes back to life.
        """
        with self.core.transaction():
            fid = self.ensure_finding(inspection_id, item_id)
            aid = stable_id("attachment", fid, fields["sha256"])
            existing = self.core.get_row("attachments", aid)
            if existing is None:
                return self.core.insert_row(
                    "attachments",
                    {"id": aid, "finding_id": fid, "added_at": now_iso(), **fields},
                )
            if existing["deleted"]:
                return self.core.update_row(
                    "attachments", aid, {"deleted": 0, "filename": fields["filename"]}
                )
            return existing

    def attachments_of_sha(self, sha256: str) -> int:
        """How many live rows refer to this content."""
        return int(
            self.db.execute(
                "SELECT count(*) FROM attachments WHERE sha256 = ? AND deleted = 0", [sha256]
            ).fetchone()[0]
        )

    def referenced_shas(self) -> set[str]:
        """Every content hash a row refers to, live or tombstoned, in every attachment table
        (a tombstoned row may come back, here or from another laptop's package)."""
        from db.migrations import ATTACHMENT_TABLES

        found: set[str] = set()
        for table in ATTACHMENT_TABLES:
            found.update(r["sha256"] for r in self.db.query(f"SELECT DISTINCT sha256 FROM {table}"))
        return found
