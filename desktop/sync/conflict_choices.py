"""A conflict settled field by field, as the conflicts window asks it.

The window shows, for a conflicting row, each differing field with this laptop's value and
the file's side by side and a choice per field; `resolve_by_field` turns those choices into
one `merge.resolve` call. Who wrote the row and when (recorded_by, recorded_at) are not
chosen: they follow the side that gave most of the chosen fields (this laptop on a tie).
"""

from __future__ import annotations

from typing import Any

from db import Store
from desktop.services.errors import UserError
from desktop.sync.merge import describe, resolve

FOLLOWING = ("recorded_by", "recorded_at")  # who and when: they follow the chosen values
SIDES = ("mine", "theirs")

MESSAGES = {
    "no_conflict": "Không có xung đột {id}",
    "missing": "Chưa chọn bản giữ lại cho {count} trường khác nhau",
    "bad_choice": "Mỗi trường chọn “mine” hoặc “theirs”, không phải “{value}”",
    "not_differing": "Trường “{field}” không khác nhau giữa hai bản",
}


def choosable_fields(conflict: dict[str, Any]) -> list[str]:
    """The differing fields of a described conflict the secretary chooses between."""
    return [d["field"] for d in conflict["differences"] if d["field"] not in FOLLOWING]


def plan_choices(conflict: dict[str, Any], choices: dict[str, str]) -> tuple[str, dict[str, str]]:
    """(keep, fields) for merge.resolve from one choice per choosable field; UserError when a
    field has no choice, a choice is neither side, or a field does not differ."""
    fields = choosable_fields(conflict)
    for field, value in choices.items():
        if value not in SIDES:
            raise UserError(MESSAGES["bad_choice"].format(value=value))
        if field not in fields:
            raise UserError(MESSAGES["not_differing"].format(field=field))
    missing = [f for f in fields if f not in choices]
    if missing:
        raise UserError(MESSAGES["missing"].format(count=len(missing)))
    theirs = sum(choices[f] == "theirs" for f in fields)
    keep = "theirs" if theirs > len(fields) - theirs else "mine"
    return keep, {f: choices[f] for f in fields}


def resolve_by_field(store: Store, conflict_id: str, choices: dict[str, str]) -> dict[str, Any]:
    """Settle a conflict keeping, for each differing field, the side chosen for it."""
    conflict = store.sync.conflicts.get(conflict_id)
    if conflict is None:
        raise UserError(MESSAGES["no_conflict"].format(id=conflict_id))
    keep, fields = plan_choices(describe(conflict, {}), choices)
    return resolve(store, conflict_id, keep, fields)
