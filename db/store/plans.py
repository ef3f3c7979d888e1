"""Plans, units, inspections and delegation members."""

from __future__ import annotations

from typing import Any

from db.store.core import Core
from db.text import fold

# Which checklist items apply to a unit: its level's letter must be in the item's levels.
LEVEL_LETTERS = {"so": "S", "dvsn": "D", "huyen": "H", "xa": "X"}


# A visit is "being inspected" from its first recorded finding, and dated by it, until someone
# says otherwise. Derived when read, never written: if every laptop wrote it on its first
# finding, the delegation's laptops would all edit the inspection row and every visit would
# come back from sync as a conflict.
_INSPECTOR_WORK = (
    "SELECT 1 FROM findings f WHERE f.inspection_id = i.id AND f.deleted = 0 "
    "AND f.recorded_at IS NOT NULL"
)
_EFFECTIVE_STATUS = (
    f"CASE WHEN i.status = 'chua-kiem-tra' AND EXISTS ({_INSPECTOR_WORK}) "
    "THEN 'dang-kiem-tra' ELSE i.status END"
)
# Until m009 "qua báo cáo" was a mode; a row from an older laptop may still say so.
_KIND = "CASE WHEN i.mode = 'qua-bao-cao' THEN 'qua-bao-cao' ELSE i.kind END"
_MODE = "CASE WHEN i.mode = 'qua-bao-cao' THEN 'truc-tiep' ELSE i.mode END"
_EFFECTIVE_VISIT_DATE = (
    "coalesce(i.visit_date, (SELECT min(substr(f.recorded_at, 1, 10)) FROM findings f "
    "WHERE f.inspection_id = i.id AND f.deleted = 0 AND f.recorded_at IS NOT NULL))"
)


class Planning:
    """Reading and writing the year's plan and everything hanging off it."""

    def __init__(self, core: Core) -> None:
        self.core = core
        self.db = core.db

    def create_plan(self, fields: dict[str, Any]) -> str:
        return str(self.core.insert_row("plans", fields)["id"])

    def find_unit(self, name: str, level: str) -> str | None:
        """An existing unit with this name (ignoring case and diacritics) and level."""
        wanted = fold(name).strip()
        for row in self.db.query(
            "SELECT id, name FROM units WHERE level = ? AND deleted = 0", [level]
        ):
            if fold(row["name"]).strip() == wanted:
                return str(row["id"])
        return None

    def ensure_unit(
        self, name: str, level: str, parent_id: str | None, level_name: str = ""
    ) -> str:
        """Reuse the unit from an earlier year (so its history follows it) or create it."""
        existing = self.find_unit(name, level)
        if existing:
            changes: dict[str, Any] = {"parent_id": parent_id} if parent_id else {}
            if level_name:
                changes["level_name"] = level_name
            if changes:
                self.core.update_row("units", existing, changes, audit=False)
            return existing
        row = {"name": name, "level": level, "parent_id": parent_id, "level_name": level_name}
        return str(self.core.insert_row("units", row, audit=False)["id"])

    def has_work(self, inspection_id: str) -> bool:
        """Whether anything was recorded for the inspection (findings, conclusions,
        recommendations): such a visit is never removed by amending its plan."""
        row = self.db.execute(
            "SELECT EXISTS (SELECT 1 FROM findings WHERE inspection_id = :i AND deleted = 0) "
            "OR EXISTS (SELECT 1 FROM conclusions WHERE inspection_id = :i AND deleted = 0) "
            "OR EXISTS (SELECT 1 FROM recommendations WHERE inspection_id = :i AND deleted = 0)",
            {"i": inspection_id},
        ).fetchone()
        return bool(row[0])

    def create_inspection(self, fields: dict[str, Any]) -> str:
        return str(self.core.insert_row("inspections", fields, audit=False)["id"])

    def add_member(self, fields: dict[str, Any]) -> str:
        return str(self.core.insert_row("members", fields, audit=False)["id"])

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
        return self.core.live_row("plans", plan_id)

    def inspections(self, plan_id: str | None = None) -> list[dict[str, Any]]:
        """Inspections in schedule order with progress: items recorded ("done") of applicable.

        "done" is answered from the findings_done index alone (m006_start_up_indexes); "total"
        counts the items of each checklist version once per unit level, not once per visit.
        """
        where = "i.deleted = 0" + (" AND i.plan_id = ?" if plan_id else "")
        params = [plan_id, plan_id] if plan_id else []
        versions = (
            " AND version_id IN (SELECT checklist_version_id FROM inspections WHERE plan_id = ?)"
            if plan_id
            else ""
        )
        return list(
            self.db.query(
                f"""
                WITH totals AS (
                    SELECT version_id,
                           sum(instr(levels, 'S') > 0) AS so, sum(instr(levels, 'D') > 0) AS dvsn,
                           sum(instr(levels, 'H') > 0) AS huyen, sum(instr(levels, 'X') > 0) AS xa
                    FROM checklist_items
                    WHERE deleted = 0{versions}
                    GROUP BY version_id
                )
                SELECT i.id, i.plan_id, i.unit_id, i.unit_name AS unit, i.unit_level AS level,
                       i.month, {_KIND} AS kind, {_MODE} AS mode,
                       {_EFFECTIVE_STATUS} AS status, i.parent_id, i.level_name,
                       i.reinspects_id, i.team,
                       {_EFFECTIVE_VISIT_DATE} AS visit_date, i.place,
                       i.checklist_version_id, i.position,
                       (SELECT count(*) FROM findings f
                         WHERE f.inspection_id = i.id AND f.deleted = 0
                           AND (f.result IS NOT NULL OR f.note != '')) AS done,
                       coalesce(CASE i.unit_level WHEN 'so' THEN t.so WHEN 'dvsn' THEN t.dvsn
                                WHEN 'huyen' THEN t.huyen ELSE t.xa END, 0) AS total
                FROM inspections i LEFT JOIN totals t ON t.version_id = i.checklist_version_id
                WHERE {where}
                ORDER BY i.position, i.month, i.unit_name
                """,
                params,
            )
        )

    def inspection(self, inspection_id: str) -> dict[str, Any] | None:
        """The inspection row, with its effective status and visit date (see below)."""
        row = self.core.live_row("inspections", inspection_id)
        if row is None:
            return None
        derived = self.db.execute(
            f"SELECT {_EFFECTIVE_STATUS}, {_EFFECTIVE_VISIT_DATE}, {_KIND}, {_MODE} "
            "FROM inspections i WHERE i.id = ?",
            [inspection_id],
        ).fetchone()
        row["status"], row["visit_date"], row["kind"], row["mode"] = derived
        return row

    def members(self, plan_id: str) -> list[dict[str, Any]]:
        return [
            dict(r)
            for r in self.db.query(
                "SELECT id, plan_id, full_name, position_title, agency, role, areas, position, "
                "team, units "
                "FROM members WHERE plan_id = ? AND deleted = 0 ORDER BY position",
                [plan_id],
            )
        ]
