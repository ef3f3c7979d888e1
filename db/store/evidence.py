"""Evidence of a finding: documents (số/ký hiệu, ngày, trích yếu) and attached files."""

from __future__ import annotations

from typing import Any

from db.store.base import StoreBase, now_iso, stable_id
from db.store.findings import finding_id

EVIDENCE_FIELDS = ("number", "issued_on", "summary", "position")


class EvidenceMixin(StoreBase):
    """Evidence documents and attachment rows hang off a finding; deleting is a tombstone."""

    def ensure_finding(self, inspection_id: str, item_id: str) -> str:
        """The id of the finding for this item, creating an empty one when none exists yet."""
        fid = finding_id(inspection_id, item_id)
        row = self.live_row("findings", fid)
        if row is None:
            self.set_finding(inspection_id, item_id, {})  # type: ignore[attr-defined]
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
        with self.transaction():
            fid = self.ensure_finding(inspection_id, item_id)
            position = self.db.execute(
                "SELECT coalesce(max(position), -1) + 1 FROM evidence_docs WHERE finding_id = ?",
                [fid],
            ).fetchone()[0]
            row = self.insert_row(
                "evidence_docs", {"position": position, **fields, "finding_id": fid}
            )
            self.index_evidence_row(row, inspection_id)  # type: ignore[attr-defined]
            return self.get_row("evidence_docs", row["id"]) or row

    def update_evidence_doc(self, evidence_id: str, changes: dict[str, Any]) -> dict[str, Any]:
        unknown = set(changes) - set(EVIDENCE_FIELDS)
        if unknown:
            raise ValueError(f"unknown evidence fields: {sorted(unknown)}")
        with self.transaction():
            row = self.update_row("evidence_docs", evidence_id, changes)
            inspection_id = self._finding_inspection(row["finding_id"])
            self.index_evidence_row(row, inspection_id)  # type: ignore[attr-defined]
        return row

    def delete_evidence_doc(self, evidence_id: str) -> None:
        with self.transaction():
            self.update_row("evidence_docs", evidence_id, {"deleted": 1})
            self.unindex(evidence_id)  # type: ignore[attr-defined]

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
        with self.transaction():
            fid = self.ensure_finding(inspection_id, item_id)
            aid = stable_id("attachment", fid, fields["sha256"])
            existing = self.get_row("attachments", aid)
            if existing is None:
                return self.insert_row(
                    "attachments",
                    {"id": aid, "finding_id": fid, "added_at": now_iso(), **fields},
                )
            if existing["deleted"]:
                return self.update_row(
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

    # -- audit of a finding ---------------------------------------------------------------
    def finding_audit(self, fid: str) -> list[dict[str, Any]]:
        """Audit entries of a finding and of its evidence documents and attachments, in order.

        Each: seq, at, actor, device_id, device_name, action, table_name, row_id, old, new
        (old/new still JSON text, as stored).
        """
        return [
            dict(r)
            for r in self.db.query(
                "SELECT a.seq, a.at, a.actor, a.device_id, d.name AS device_name, a.action, "
                "a.table_name, a.row_id, a.old, a.new FROM audit_log a "
                "LEFT JOIN devices d ON d.id = a.device_id "
                "WHERE (a.table_name = 'findings' AND a.row_id = :fid) "
                "OR (a.table_name = 'evidence_docs' AND a.row_id IN "
                "    (SELECT id FROM evidence_docs WHERE finding_id = :fid)) "
                "OR (a.table_name = 'attachments' AND a.row_id IN "
                "    (SELECT id FROM attachments WHERE finding_id = :fid)) "
                "ORDER BY a.seq",
                {"fid": fid},
            )
        ]

    def audit_count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM audit_log").fetchone()[0])

    def audit_entry(self, seq: int) -> dict[str, Any] | None:
        """One audit entry by its sequence number (for reporting a broken link)."""
        rows = list(
            self.db.query(
                "SELECT seq, at, actor, device_id, action, table_name, row_id FROM audit_log "
                "WHERE seq = ?",
                [seq],
            )
        )
        return dict(rows[0]) if rows else None
