"""Follow-up of recommendations: the remediation register, remediation reports and checks."""

from __future__ import annotations

from typing import Any

from db.store.core import Core, now_iso, stable_id
from db.store.outcomes import shown_numbers

REMEDIATION_FIELDS = ("reported_on", "doc_number", "note", "verdict", "verified_on", "verify_note")
ATTACHMENT_FIELDS = ("sha256", "filename", "media_type", "size")


class Followup:
    """Recommendations followed up: remediation reports, verdicts and their files."""

    def __init__(self, core: Core) -> None:
        self.core = core
        self.db = core.db

    def followup_recommendations(
        self,
        plan_id: str | None = None,
        unit_id: str | None = None,
        inspection_id: str | None = None,
        before_year: int | None = None,
    ) -> list[dict[str, Any]]:
        """Live recommendations of live inspections, with unit, plan number and year.

        Filters combine: a plan, a unit (across plans), one inspection, plans of years before
        `before_year`. Ordered by plan year, schedule position, recommendation number.
        """
        where = ["r.deleted = 0", "i.deleted = 0", "p.deleted = 0"]
        params: list[Any] = []
        for column, value in (
            ("i.plan_id", plan_id),
            ("i.unit_id", unit_id),
            ("r.inspection_id", inspection_id),
        ):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        if before_year is not None:
            where.append("p.year < ?")
            params.append(before_year)
        return shown_numbers(
            [
                dict(r)
                for r in self.db.query(
                    f"""
                SELECT r.id, r.inspection_id, r.number, r.area_code, r.item_code, r.text,
                       r.responsible, r.deadline, r.status AS stored_status,
                       i.unit_id, i.unit_name AS unit, i.unit_level, i.plan_id, i.visit_date,
                       p.number AS plan_number, p.year AS plan_year, p.issued_on AS plan_issued_on,
                       p.issuer AS plan_issuer, p.province
                FROM recommendations r
                JOIN inspections i ON i.id = r.inspection_id
                JOIN plans p ON p.id = i.plan_id
                WHERE {" AND ".join(where)}
                ORDER BY p.year, p.issued_on, i.position, i.unit_name, r.number, r.id
                """,
                    params,
                )
            ]
        )

    def remediations_of(self, recommendation_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
        """Live remediation rows per recommendation id, oldest report first."""
        found: dict[str, list[dict[str, Any]]] = {rid: [] for rid in recommendation_ids}
        # Chunked: SQLite limits bound parameters per statement.
        for start in range(0, len(recommendation_ids), 500):
            chunk = recommendation_ids[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            for r in self.db.query(
                f"SELECT id, recommendation_id, reported_on, doc_number, note, verdict, "
                f"verified_on, verify_note, hlc FROM remediations "
                f"WHERE deleted = 0 AND recommendation_id IN ({marks}) "
                f"ORDER BY reported_on, hlc",
                chunk,
            ):
                found[r["recommendation_id"]].append(dict(r))
        return found

    def add_remediation(self, recommendation_id: str, fields: dict[str, Any]) -> dict[str, Any]:
        """Record one unit's remediation report against one recommendation (audited)."""
        unknown = set(fields) - set(REMEDIATION_FIELDS)
        if unknown:
            raise ValueError(f"unknown remediation fields: {sorted(unknown)}")
        return self.core.insert_row(
            "remediations", {"recommendation_id": recommendation_id, **fields}
        )

    def update_remediation(self, remediation_id: str, changes: dict[str, Any]) -> dict[str, Any]:
        unknown = set(changes) - set(REMEDIATION_FIELDS)
        if unknown:
            raise ValueError(f"unknown remediation fields: {sorted(unknown)}")
        return self.core.update_row("remediations", remediation_id, changes)

    def add_remediation_attachment(
        self, remediation_id: str, fields: dict[str, Any]
    ) -> dict[str, Any]:
        """A stored file attached to a remediation report: one row per (remediation, content),
        the same id on every laptop; a tombstoned one comes back to life (audited)."""
        unknown = set(fields) - set(ATTACHMENT_FIELDS)
        if unknown:
            raise ValueError(f"unknown attachment fields: {sorted(unknown)}")
        table = "remediation_attachments"
        with self.core.transaction():
            aid = stable_id("remediation-attachment", remediation_id, fields["sha256"])
            existing = self.core.get_row(table, aid)
            if existing is None:
                return self.core.insert_row(
                    table,
                    {"id": aid, "remediation_id": remediation_id, "added_at": now_iso(), **fields},
                )
            if existing["deleted"]:
                return self.core.update_row(
                    table, aid, {"deleted": 0, "filename": fields["filename"]}
                )
            return existing

    def remediation_attachment_rows(
        self, remediation_ids: list[str]
    ) -> dict[str, list[dict[str, Any]]]:
        """Live attachment rows per remediation id, in the order they were added."""
        found: dict[str, list[dict[str, Any]]] = {rid: [] for rid in remediation_ids}
        for start in range(0, len(remediation_ids), 500):
            chunk = remediation_ids[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            for r in self.db.query(
                f"SELECT id, remediation_id, sha256, filename, media_type, size, added_at "
                f"FROM remediation_attachments "
                f"WHERE deleted = 0 AND remediation_id IN ({marks}) ORDER BY added_at, filename",
                chunk,
            ):
                found[r["remediation_id"]].append(dict(r))
        return found
