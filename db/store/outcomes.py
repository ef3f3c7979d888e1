"""Conclusions (strengths, limitations, causes per area) and numbered recommendations."""

from __future__ import annotations

from typing import Any

from db.store.core import Core, stable_id

RECOMMENDATION_FIELDS = ("area_code", "item_code", "text", "responsible", "deadline", "status")


def conclusion_id(inspection_id: str, area_code: str) -> str:
    """One conclusion row per (inspection, area) — the same id on every laptop."""
    return stable_id("conclusion", inspection_id, area_code)


def shown_numbers(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Live recommendations with the numbers they are shown with, in that order.

    Two laptops that each add "số 6" both store 6; after they merge, the one with the smaller
    id stays 6 and the other becomes 7, and those after move up as needed — on every laptop
    alike (ids never change), in lists, documents and the register. Numbers never repeated
    are shown as stored (a gap left by a deletion stays).
    """
    ordered = sorted(rows, key=lambda r: (r["inspection_id"], r["number"], r["id"]))
    last: dict[str, int] = {}
    shown: dict[str, int] = {}
    for row in ordered:
        number = max(int(row["number"]), last.get(row["inspection_id"], 0) + 1)
        last[row["inspection_id"]] = shown[row["id"]] = number
    # In the order given (callers sort by stored number, then id: the order shown).
    return [{**row, "number": shown[row["id"]]} for row in rows]


class Outcomes:
    """Conclusions per area and the inspection's numbered recommendations."""

    def __init__(self, core: Core) -> None:
        self.core = core
        self.db = core.db

    def conclusions(self, inspection_id: str) -> list[dict[str, Any]]:
        """Saved conclusion rows of an inspection (one per area code; '' = the whole unit)."""
        return [
            dict(r)
            for r in self.db.query(
                "SELECT id, inspection_id, area_code, strengths, limitations, causes, hlc "
                "FROM conclusions WHERE inspection_id = ? AND deleted = 0 ORDER BY area_code",
                [inspection_id],
            )
        ]

    def save_conclusion(
        self, inspection_id: str, area_code: str, fields: dict[str, str]
    ) -> dict[str, Any]:
        """Insert or update the conclusion of one area (strengths, limitations, causes)."""
        allowed = {"strengths", "limitations", "causes"}
        if set(fields) - allowed:
            raise ValueError(f"unknown conclusion fields: {sorted(set(fields) - allowed)}")
        cid = conclusion_id(inspection_id, area_code)
        with self.core.transaction():
            if self.core.get_row("conclusions", cid) is None:
                return self.core.insert_row(
                    "conclusions",
                    {"id": cid, "inspection_id": inspection_id, "area_code": area_code, **fields},
                )
            return self.core.update_row("conclusions", cid, {**fields, "deleted": 0})

    def item_area_code(self, item_id: str) -> str | None:
        """The code of the area a checklist item belongs to."""
        row = self.db.execute(
            "SELECT a.code FROM checklist_items i JOIN checklist_areas a ON a.id = i.area_id "
            "WHERE i.id = ?",
            [item_id],
        ).fetchone()
        return str(row[0]) if row else None

    def recommendations(self, inspection_id: str) -> list[dict[str, Any]]:
        """Live recommendations of an inspection by the number shown (see shown_numbers)."""
        return shown_numbers(
            [
                dict(r)
                for r in self.db.query(
                    "SELECT id, inspection_id, number, text, item_code, area_code, responsible, "
                    "deadline, status FROM recommendations "
                    "WHERE inspection_id = ? AND deleted = 0 ORDER BY number, id",
                    [inspection_id],
                )
            ]
        )

    def shown_number(self, inspection_id: str, rec_id: str) -> int | None:
        """The number a recommendation is shown with (None when absent or deleted)."""
        found = [r for r in self.recommendations(inspection_id) if r["id"] == rec_id]
        return int(found[0]["number"]) if found else None

    def add_recommendation(self, inspection_id: str, fields: dict[str, Any]) -> dict[str, Any]:
        """Append a recommendation numbered after the last live one (1, 2, 3 ...)."""
        unknown = set(fields) - set(RECOMMENDATION_FIELDS)
        if unknown:
            raise ValueError(f"unknown recommendation fields: {sorted(unknown)}")
        with self.core.transaction():
            number = self.db.execute(
                "SELECT coalesce(max(number), 0) + 1 FROM recommendations "
                "WHERE inspection_id = ? AND deleted = 0",
                [inspection_id],
            ).fetchone()[0]
            row = self.core.insert_row(
                "recommendations", {"inspection_id": inspection_id, "number": number, **fields}
            )
            stored = self.core.get_row("recommendations", row["id"]) or row
            return {**stored, "number": self.shown_number(inspection_id, row["id"]) or number}

    def update_recommendation(self, rec_id: str, changes: dict[str, Any]) -> dict[str, Any]:
        unknown = set(changes) - set(RECOMMENDATION_FIELDS)
        if unknown:
            raise ValueError(f"unknown recommendation fields: {sorted(unknown)}")
        return self.core.update_row("recommendations", rec_id, changes)

    def delete_recommendation(self, rec_id: str) -> None:
        self.core.delete_row("recommendations", rec_id)

    def recommended_item_codes(self, inspection_id: str) -> set[str]:
        """Codes of the items that carry at least one live recommendation in this inspection."""
        return {
            str(r[0])
            for r in self.db.execute(
                "SELECT DISTINCT item_code FROM recommendations "
                "WHERE inspection_id = ? AND deleted = 0 AND item_code IS NOT NULL "
                "AND item_code != ''",
                [inspection_id],
            )
        }
