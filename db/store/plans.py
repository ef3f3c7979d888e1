"""Plans, units, inspections and delegation members."""

from __future__ import annotations

from typing import Any

from db.store.base import StoreBase
from db.text import fold

# Which checklist items apply to a unit: its level's letter must be in the item's levels.
LEVEL_LETTERS = {"so": "S", "dvsn": "D", "huyen": "H", "xa": "X"}


class PlansMixin(StoreBase):
    """Reading and writing the year's plan and everything hanging off it."""

    def create_plan(self, fields: dict[str, Any]) -> str:
        return str(self.insert_row("plans", fields)["id"])

    def find_unit(self, name: str, level: str) -> str | None:
        """An existing unit with this name (ignoring case and diacritics) and level."""
        wanted = fold(name).strip()
        for row in self.db.query(
            "SELECT id, name FROM units WHERE level = ? AND deleted = 0", [level]
        ):
            if fold(row["name"]).strip() == wanted:
                return str(row["id"])
        return None

    def ensure_unit(self, name: str, level: str, parent_id: str | None) -> str:
        """Reuse the unit from an earlier year (so its history follows it) or create it."""
        existing = self.find_unit(name, level)
        if existing:
            if parent_id:
                self.update_row("units", existing, {"parent_id": parent_id}, audit=False)
            return existing
        row = {"name": name, "level": level, "parent_id": parent_id}
        return str(self.insert_row("units", row, audit=False)["id"])

    def create_inspection(self, fields: dict[str, Any]) -> str:
        return str(self.insert_row("inspections", fields, audit=False)["id"])

    def add_member(self, fields: dict[str, Any]) -> str:
        return str(self.insert_row("members", fields, audit=False)["id"])

    def plans(self) -> list[dict[str, Any]]:
        """Every plan, newest year first, with its number of inspected units."""
        return [
            dict(r)
            for r in self.db.query(
                """
                SELECT p.id, p.number, p.year, p.issuer, p.issued_on, p.province, p.title,
                       p.period_from, p.period_to,
                       (SELECT count(*) FROM inspections i
                         WHERE i.plan_id = p.id AND i.deleted = 0) AS units
                FROM plans p WHERE p.deleted = 0
                ORDER BY p.year DESC, p.issued_on DESC, p.number
                """
            )
        ]

    def plan(self, plan_id: str) -> dict[str, Any] | None:
        row = self.get_row("plans", plan_id)
        return row if row and not row["deleted"] else None

    def inspections(self, plan_id: str | None = None) -> list[dict[str, Any]]:
        """Inspections in schedule order with progress: items recorded ("done") of applicable."""
        where = "i.deleted = 0" + (" AND i.plan_id = ?" if plan_id else "")
        params = [plan_id] if plan_id else []
        return [
            dict(r)
            for r in self.db.query(
                f"""
                SELECT i.id, i.plan_id, i.unit_id, i.unit_name AS unit, i.unit_level AS level,
                       i.month, i.kind, i.mode, i.status, i.parent_id, i.visit_date, i.place,
                       i.checklist_version_id, i.position,
                       (SELECT count(*) FROM findings f
                         WHERE f.inspection_id = i.id AND f.deleted = 0
                           AND (f.result IS NOT NULL OR f.note != '')) AS done,
                       (SELECT count(*) FROM checklist_items c
                         WHERE c.version_id = i.checklist_version_id AND c.deleted = 0
                           AND instr(c.levels, CASE i.unit_level WHEN 'so' THEN 'S'
                               WHEN 'dvsn' THEN 'D' WHEN 'huyen' THEN 'H' ELSE 'X' END) > 0
                       ) AS total
                FROM inspections i WHERE {where}
                ORDER BY i.position, i.month, i.unit_name
                """,
                params,
            )
        ]

    def inspection(self, inspection_id: str) -> dict[str, Any] | None:
        row = self.get_row("inspections", inspection_id)
        return row if row and not row["deleted"] else None

    def members(self, plan_id: str) -> list[dict[str, Any]]:
        return [
            dict(r)
            for r in self.db.query(
                "SELECT id, plan_id, full_name, position_title, agency, role, areas, position "
                "FROM members WHERE plan_id = ? AND deleted = 0 ORDER BY position",
                [plan_id],
            )
        ]
