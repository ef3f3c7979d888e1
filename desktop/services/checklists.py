"""The checklist template: the shipped default, validation, and the JSON view."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from typing import Any

from db import Store
from db.store import stable_id
from desktop.domain import JudgingType, nfc
from desktop.services.errors import UserError
from desktop.services.paths import resource

VALID_LEVELS = ("S", "D", "H", "X")


DEFAULT_FILE = "default.json"
# The second shipped default (issue 17): plans of the two-level local government, from
# 1 July 2025 — departments and communes, the commune's public administration service centre
# (Nghị định 118/2025/NĐ-CP) and kiểm soát TTHC; no district items.
TWO_LEVEL_FILE = "default-2025.json"
TWO_LEVEL_FROM = dt.date(2025, 7, 1)
# Each shipped default is activated at a fixed moment, the same on every laptop.
_ACTIVATED = {DEFAULT_FILE: None, TWO_LEVEL_FILE: "2025-07-01T00:00:00+00:00"}


def load_default(name: str = DEFAULT_FILE) -> dict[str, Any]:
    """A default checklist shipped in resources/checklist/ (default.json unless named)."""
    path = resource("checklist", name)
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return data
    except FileNotFoundError as exc:
        raise UserError(f"Thiếu tệp bộ tiêu chí mặc định: {path}") from exc


def default_version_id(data: dict[str, Any]) -> str:
    """The shipped default's version id: the same on every laptop for the same content."""
    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return stable_id("checklist", str(data["version"]), digest)


def ensure_default(store: Store, name: str = DEFAULT_FILE) -> str:
    """Load one shipped default (stable id, fixed stamps: identical rows on every laptop,
    so sync never brings a second copy); its version id."""
    data = load_default(name)
    return store.checklists.import_default_checklist(
        data, default_version_id(data), source="mặc định", activated_at=_ACTIVATED[name]
    )


def ensure_checklist(store: Store) -> str:
    """The current checklist version, loading the default on a fresh database.

    The default gets a stable id and fixed stamps, so every laptop holds the same rows and
    sync never brings a second copy; an imported user checklist is an ordinary new version.
    """
    current = store.checklists.current_checklist_version()
    if current:
        return current
    return ensure_default(store)


@functools.cache
def _shipped_ids() -> frozenset[str]:
    return frozenset(default_version_id(load_default(name)) for name in _ACTIVATED)


def two_level(year: int, issued_on: dt.date | None) -> bool:
    """Whether a plan belongs to the two-level local government (from 1 July 2025): by its
    issue date, or by its year when it has none (2026 on)."""
    if issued_on is not None:
        return issued_on >= TWO_LEVEL_FROM
    return year > TWO_LEVEL_FROM.year


def checklist_for(store: Store, year: int, issued_on: dt.date | None, level: str) -> str:
    """The checklist version a new visit is judged with.

    A checklist the user imported (`kiemtra checklist import`) stays the one in force, as
    before. Otherwise the shipped default of the plan's era: from 1 July 2025 the two-level
    set for departments, their units and communes; the earlier set for everything else (a
    district, which the two-level set has no items for)."""
    current = store.checklists.current_checklist_version()
    if current and current not in _shipped_ids():
        return current
    if two_level(year, issued_on) and level != "huyen":
        return ensure_default(store, TWO_LEVEL_FILE)
    return ensure_default(store, DEFAULT_FILE)


def validate(data: dict[str, Any]) -> list[str]:
    """Every problem with a checklist structure (empty list when it is sound)."""
    problems: list[str] = []
    seen: set[str] = set()
    if not data.get("areas"):
        problems.append("bộ tiêu chí không có lĩnh vực nào")
    for area in data.get("areas", []):
        for criterion in area.get("criteria", []):
            for item in criterion.get("items", []):
                code = item.get("code", "")
                if not code:
                    problems.append(f"lĩnh vực {area.get('code')}: có nội dung thiếu mã")
                if code in seen:
                    problems.append(f"mã {code} bị trùng")
                seen.add(code)
                if item.get("type") not in set(JudgingType):
                    problems.append(f"{code}: loại đánh giá không hợp lệ {item.get('type')!r}")
                bad = [x for x in item.get("levels", []) if x not in VALID_LEVELS]
                if bad or not item.get("levels"):
                    problems.append(f"{code}: cấp áp dụng không hợp lệ {item.get('levels')!r}")
                if float(item.get("max_score") or 0) < 0:
                    problems.append(f"{code}: điểm tối đa âm")
    return problems


def normalise(data: Any) -> Any:
    """NFC every string of a nested structure."""
    if isinstance(data, str):
        return nfc(data)
    if isinstance(data, list):
        return [normalise(x) for x in data]
    if isinstance(data, dict):
        return {k: normalise(v) for k, v in data.items()}
    return data


def checklist_json(store: Store) -> dict[str, Any]:
    """The current template in the shape of `kiemtra checklist show --json`."""
    version_id = ensure_checklist(store)
    full = store.checklists.checklist(version_id)
    return {
        "version": full["version"],
        "name": full["name"],
        "areas": [
            {
                "code": area["code"],
                "name": area["name"],
                "max_points": area["max_points"],
                "items": [
                    {
                        "code": item["code"],
                        "text": item["text"],
                        "type": item["type"],
                        "max_score": item["max_score"],
                        "levels": item["levels"],
                    }
                    for criterion in area["criteria"]
                    for item in criterion["items"]
                ],
            }
            for area in full["areas"]
        ],
    }
