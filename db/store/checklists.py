"""Versioned checklist templates: areas → criteria → items."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from db.store.core import Core, now_iso, stable_id
from db.store.search import Search

# The shipped default checklist carries the same stamps on every laptop, so that two laptops
# hold byte-identical rows and a sync import finds them "unchanged" (never a second copy).
DEFAULT_STAMPS = {"hlc": "0000000000000.00000.default", "origin": "default", "base_hlc": None}
DEFAULT_ACTIVATED_AT = "2000-01-01T00:00:00+00:00"

Insert = Callable[..., Any]


class Checklists:
    """Each import is a new version; an inspection keeps the version it started with."""

    def __init__(self, core: Core, search: Search) -> None:
        self.core = core
        self.search = search
        self.db = core.db

    def import_checklist(self, data: dict[str, Any], source: str = "") -> str:
        """Store a checklist (the shape of resources/checklist/default.json) as a new version
        and index its items, in one transaction."""
        with self.core.transaction():
            version = self.core.insert_row(
                "checklist_versions",
                {
                    "version": str(data["version"]),
                    "name": data["name"],
                    "source": source,
                    "activated_at": now_iso(),
                },
            )
            version_id = self._store_checklist_rows(data, str(version["id"]), self.core.insert_row)
            self.search.index_checklist_version(version_id)
        return version_id

    def import_default_checklist(
        self,
        data: dict[str, Any],
        version_id: str,
        source: str,
        activated_at: str | None = None,
    ) -> str:
        """Store the shipped default under a fixed id with fixed stamps (DEFAULT_STAMPS).

        Every laptop that loads the same default writes the same bytes; when the version is
        already here (from a package), nothing is written.
        """
        with self.core.transaction():
            if self.core.get_row("checklist_versions", version_id) is not None:
                return version_id
            version = {
                "id": version_id,
                "version": str(data["version"]),
                "name": data["name"],
                "source": source,
                "activated_at": activated_at or DEFAULT_ACTIVATED_AT,
            }
            self._insert_fixed("checklist_versions", version)
            self.core.append_audit("insert", "checklist_versions", version_id, None, version)
            self._store_checklist_rows(data, version_id, self._insert_fixed)
            self.search.index_checklist_version(version_id)
        return version_id

    def _insert_fixed(self, table: str, row: dict[str, Any], audit: bool = False) -> None:
        stamped = {**row, **DEFAULT_STAMPS, "deleted": 0}
        columns = ", ".join(stamped)
        marks = ", ".join("?" for _ in stamped)
        self.db.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(stamped.values()))

    def _store_checklist_rows(self, data: dict[str, Any], vid: str, insert: Insert) -> str:
        """Areas, criteria and items of version `vid`, written with `insert(table, row, audit=)`."""
        for a_pos, area in enumerate(data["areas"]):
            area_id = stable_id(vid, area["code"])
            insert(
                "checklist_areas",
                {
                    "id": area_id,
                    "version_id": vid,
                    "code": area["code"],
                    "name": area["name"],
                    "max_points": float(area.get("max_points") or 0),
                    "position": a_pos,
                },
                audit=False,
            )
            item_pos = 0
            for c_pos, criterion in enumerate(area["criteria"]):
                crit_id = stable_id(vid, area["code"], criterion["code"])
                insert(
                    "checklist_criteria",
                    {
                        "id": crit_id,
                        "version_id": vid,
                        "area_id": area_id,
                        "code": criterion["code"],
                        "name": criterion["name"],
                        "position": c_pos,
                    },
                    audit=False,
                )
                for item in criterion["items"]:
                    insert(
                        "checklist_items",
                        {
                            "id": stable_id(vid, item["code"]),
                            "version_id": vid,
                            "area_id": area_id,
                            "criterion_id": crit_id,
                            "code": item["code"],
                            "text": item["text"],
                            "guidance": item.get("guidance", ""),
                            "legal_basis": item.get("legal_basis", ""),
                            "type": item["type"],
                            "max_score": float(item.get("max_score") or 0),
                            "levels": ",".join(item["levels"]),
                            "evidence": item.get("evidence", ""),
                            "thresholds": json.dumps(
                                item.get("thresholds", []), ensure_ascii=False
                            ),
                            "position": item_pos,
                        },
                        audit=False,
                    )
                    item_pos += 1
        return str(vid)

    def current_checklist_version(self) -> str | None:
        row = self.db.execute(
            "SELECT id FROM checklist_versions WHERE deleted = 0 "
            "ORDER BY activated_at DESC, hlc DESC LIMIT 1"
        ).fetchone()
        return row[0] if row else None

    def checklist_versions(self) -> list[dict[str, Any]]:
        return [
            dict(r)
            for r in self.db.query(
                "SELECT id, version, name, source, activated_at FROM checklist_versions "
                "WHERE deleted = 0 ORDER BY activated_at DESC, hlc DESC"
            )
        ]

    def checklist(self, version_id: str) -> dict[str, Any]:
        """The whole template as nested dicts, in the shape import_checklist accepts."""
        version = self.core.get_row("checklist_versions", version_id)
        if version is None:
            raise KeyError(version_id)
        areas: list[dict[str, Any]] = []
        by_area: dict[str, dict[str, Any]] = {}
        by_crit: dict[str, dict[str, Any]] = {}
        for a in self.db.query(
            "SELECT id, code, name, max_points FROM checklist_areas "
            "WHERE version_id = ? AND deleted = 0 ORDER BY position",
            [version_id],
        ):
            area = {
                "code": a["code"],
                "name": a["name"],
                "max_points": a["max_points"],
                "criteria": [],
            }
            by_area[a["id"]] = area
            areas.append(area)
        for c in self.db.query(
            "SELECT id, area_id, code, name FROM checklist_criteria "
            "WHERE version_id = ? AND deleted = 0 ORDER BY position",
            [version_id],
        ):
            crit = {"code": c["code"], "name": c["name"], "items": []}
            by_crit[c["id"]] = crit
            by_area[c["area_id"]]["criteria"].append(crit)
        for i in self.db.query(
            "SELECT * FROM checklist_items WHERE version_id = ? AND deleted = 0 ORDER BY position",
            [version_id],
        ):
            by_crit[i["criterion_id"]]["items"].append(_item_dict(i))
        return {
            "id": version_id,
            "version": version["version"],
            "name": version["name"],
            "areas": areas,
        }

    def checklist_items(
        self, version_id: str, level_letter: str | None = None
    ) -> list[dict[str, Any]]:
        """Flat list of items (with area and criterion names), optionally for one unit level."""
        sql = (
            "SELECT i.*, a.code AS area_code, a.name AS area_name, a.max_points AS area_max, "
            "c.code AS criterion_code, c.name AS criterion_name "
            "FROM checklist_items i JOIN checklist_areas a ON a.id = i.area_id "
            "JOIN checklist_criteria c ON c.id = i.criterion_id "
            "WHERE i.version_id = ? AND i.deleted = 0"
        )
        params: list[Any] = [version_id]
        if level_letter:
            sql += " AND instr(i.levels, ?) > 0"
            params.append(level_letter)
        sql += " ORDER BY a.position, i.position"
        rows = []
        for r in self.db.query(sql, params):
            item = _item_dict(r)
            item.update(
                id=r["id"],
                area_code=r["area_code"],
                area_name=r["area_name"],
                area_max=r["area_max"],
                criterion_code=r["criterion_code"],
                criterion_name=r["criterion_name"],
            )
            rows.append(item)
        return rows


def _item_dict(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "code": row["code"],
        "text": row["text"],
        "guidance": row["guidance"],
        "legal_basis": row["legal_basis"],
        "type": row["type"],
        "max_score": row["max_score"],
        "levels": [x for x in row["levels"].split(",") if x],
        "evidence": row["evidence"],
        "thresholds": json.loads(row["thresholds"] or "[]"),
    }
