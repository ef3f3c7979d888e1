"""Read-only queries for scoring and documents: whole plans at once, conclusions as stored.

Method names carry a `report_` prefix so they never clash with the conclusions mixin.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from db.store.core import Core
from db.store.outcomes import shown_numbers


class Reports:
    """Reads the report builders need, shaped for them."""

    def __init__(self, core: Core) -> None:
        self.core = core
        self.db = core.db

    def report_plan_findings(self, plan_id: str) -> dict[str, dict[str, dict[str, Any]]]:
        """Live findings of every inspection of a plan: {inspection_id: {item_id: row}}."""
        out: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
        for r in self.db.query(
            "SELECT f.* FROM findings f JOIN inspections i ON i.id = f.inspection_id "
            "WHERE i.plan_id = ? AND i.deleted = 0 AND f.deleted = 0",
            [plan_id],
        ):
            out[r["inspection_id"]][r["item_id"]] = dict(r)
        return dict(out)

    def report_inspection_findings(self, inspection_id: str) -> dict[str, dict[str, Any]]:
        """Live findings of one inspection: {item_id: row}."""
        return {
            r["item_id"]: dict(r)
            for r in self.db.query(
                "SELECT * FROM findings WHERE inspection_id = ? AND deleted = 0",
                [inspection_id],
            )
        }

    def report_conclusions(self, inspection_id: str) -> list[dict[str, Any]]:
        """Stored conclusion parts of an inspection (area_code '' = the whole unit)."""
        return [
            dict(r)
            for r in self.db.query(
                "SELECT id, inspection_id, area_code, strengths, limitations, causes "
                "FROM conclusions WHERE inspection_id = ? AND deleted = 0 ORDER BY area_code",
                [inspection_id],
            )
        ]

    def report_recommendations(self, inspection_id: str) -> list[dict[str, Any]]:
        """Stored recommendations of an inspection, by the number shown (shown_numbers)."""
        return shown_numbers(
            [
                dict(r)
                for r in self.db.query(
                    "SELECT id, inspection_id, number, area_code, item_code, text, responsible, "
                    "deadline, status FROM recommendations "
                    "WHERE inspection_id = ? AND deleted = 0 ORDER BY number, id",
                    [inspection_id],
                )
            ]
        )

    def report_recommendation_counts(self, plan_id: str) -> dict[str, int]:
        """Number of live recommendations per inspection of a plan."""
        return {
            r["inspection_id"]: r["n"]
            for r in self.db.query(
                "SELECT r.inspection_id, count(*) AS n FROM recommendations r "
                "JOIN inspections i ON i.id = r.inspection_id "
                "WHERE i.plan_id = ? AND r.deleted = 0 GROUP BY r.inspection_id",
                [plan_id],
            )
        }

    def report_evidence(self, inspection_id: str) -> dict[str, list[dict[str, Any]]]:
        """Evidence documents of an inspection's findings: {finding_id: [doc, ...]}."""
        out: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in self.db.query(
            "SELECT e.finding_id, e.number, e.issued_on, e.summary FROM evidence_docs e "
            "JOIN findings f ON f.id = e.finding_id "
            "WHERE f.inspection_id = ? AND e.deleted = 0 ORDER BY e.position",
            [inspection_id],
        ):
            out[r["finding_id"]].append(dict(r))
        return dict(out)

    def report_plan_evidence(self, plan_id: str) -> dict[str, list[dict[str, Any]]]:
        """Evidence documents of every finding of a plan: {finding_id: [doc, ...]}."""
        out: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in self.db.query(
            "SELECT e.finding_id, e.number, e.issued_on, e.summary FROM evidence_docs e "
            "JOIN findings f ON f.id = e.finding_id "
            "JOIN inspections i ON i.id = f.inspection_id "
            "WHERE i.plan_id = ? AND e.deleted = 0 AND f.deleted = 0 "
            "ORDER BY e.finding_id, e.position",
            [plan_id],
        ):
            out[r["finding_id"]].append(dict(r))
        return dict(out)

    def report_checklist_is_scored(self, version_id: str) -> bool:
        """Whether any item of the checklist version carries points."""
        row = self.db.execute(
            "SELECT count(*) FROM checklist_items "
            "WHERE version_id = ? AND deleted = 0 AND max_score > 0",
            [version_id],
        ).fetchone()
        return bool(row[0])
