"""Merge outcomes and conflicts as the secretary sees them.

The merge itself lives in the store (db/store/sync/merge.py: `store.sync.merge.merge_version`;
`merge_versions` for a table's versions at once, in bulk for rows new here): an incoming
version the laptop already has (or has built on) changes nothing; one that builds on every
version the laptop has replaces the row; otherwise both are kept, the row shows the one with
the greater stamp, and the pair is a conflict to settle with `resolve`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from db import Store
from desktop.services.errors import UserError

COUNT_KEYS = ("inserted", "updated", "unchanged", "conflicts")
_OUTCOME = {
    "inserted": "inserted",
    "updated": "updated",
    "unchanged": "unchanged",
    "conflict": "conflicts",
}
HIDDEN = ("id", "hlc", "origin", "base_hlc")

MESSAGES = {
    "no_conflict": "Không có xung đột {id}",
    "resolved": "Xung đột {id} đã được giải quyết trước đó",
    "bad_keep": "Chọn “mine” (giữ bản của máy này) hoặc “theirs” (lấy bản kia)",
    "bad_field": "Trường “{field}” không có trong bản ghi {table}; các trường khác nhau: {fields}",
    "bad_field_choice": "Trường “{field}”: chọn “mine” hoặc “theirs”, không phải “{value}”",
}


def tally(counts: dict[str, int], outcome: str) -> None:
    counts[_OUTCOME[outcome]] += 1


def stamp_time(stamp: str) -> str:
    """The wall-clock time inside an hlc stamp, as local ISO 8601."""
    millis = int(stamp.split(".", 1)[0])
    moment = dt.datetime.fromtimestamp(millis / 1000, tz=dt.UTC).astimezone()
    return moment.isoformat(timespec="seconds")


def who_of(version: dict[str, Any], names: dict[str, str]) -> str:
    """Who wrote a version: the finding's recorded_by when present, else the device's name."""
    recorded_by = version.get("recorded_by")
    if isinstance(recorded_by, str) and recorded_by.strip():
        return recorded_by.strip()
    return names.get(version["origin"]) or version["origin"]


def _side(version: dict[str, Any], fields: list[str], names: dict[str, str]) -> dict[str, Any]:
    return {
        "value": {f: version.get(f) for f in fields},
        "who": who_of(version, names),
        "when": stamp_time(version["hlc"]),
        "hlc": version["hlc"],
    }


def describe(conflict: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    local, remote = conflict["local"], conflict["remote"]
    fields = sorted(
        f for f in set(local) | set(remote) if f not in HIDDEN and local.get(f) != remote.get(f)
    )
    sides = {"local": _side(local, fields, names), "remote": _side(remote, fields, names)}
    return {
        "id": conflict["id"],
        "table": conflict["table_name"],
        "row_id": conflict["row_id"],
        "differences": [
            {
                "field": f,
                "local": local.get(f),
                "remote": remote.get(f),
                "local_who": sides["local"]["who"],
                "local_when": sides["local"]["when"],
                "remote_who": sides["remote"]["who"],
                "remote_when": sides["remote"]["when"],
            }
            for f in fields
        ],
        "local": sides["local"],
        "remote": sides["remote"],
        "winner": "local" if local["hlc"] > remote["hlc"] else "remote",
        "detected_at": conflict["detected_at"],
        "resolved_at": conflict["resolved_at"],
        "resolution": conflict["resolution"],
    }


def list_conflicts(store: Store, *, include_resolved: bool = False) -> list[dict[str, Any]]:
    """Conflicts with what differs, who wrote each version and when."""
    names = store.sync.devices.device_names()
    return [
        describe(c, names)
        for c in store.sync.conflicts.settle_and_list(include_resolved=include_resolved)
    ]


def resolve(
    store: Store, conflict_id: str, keep: str = "mine", fields: dict[str, str] | None = None
) -> dict[str, Any]:
    """Settle a conflict by writing the chosen values as a new change that travels.

    `keep` ("mine" | "theirs") decides every field; `fields` ({field: "mine" | "theirs"})
    overrides it for the fields it names (any column of the row except id and stamps).
    """
    if keep not in ("mine", "theirs"):
        raise UserError(MESSAGES["bad_keep"])
    fields = dict(fields or {})
    conflict = store.sync.conflicts.get(conflict_id)
    if conflict is None:
        raise UserError(MESSAGES["no_conflict"].format(id=conflict_id))
    if conflict["resolved_at"]:
        raise UserError(MESSAGES["resolved"].format(id=conflict_id))
    columns = set(conflict["local"]) - set(HIDDEN)
    differing = describe(conflict, {})["differences"]
    for field, choice in fields.items():
        if field not in columns:
            shown = ", ".join(d["field"] for d in differing) or "—"
            raise UserError(
                MESSAGES["bad_field"].format(
                    field=field, table=conflict["table_name"], fields=shown
                )
            )
        if choice not in ("mine", "theirs"):
            raise UserError(MESSAGES["bad_field_choice"].format(field=field, value=choice))
    row = store.sync.conflicts.resolve_sync_conflict(conflict_id, keep, fields)
    return {
        "id": conflict_id,
        "table": conflict["table_name"],
        "row_id": row["id"],
        "hlc": row["hlc"],
        "keep": keep,
        "fields": fields,
    }
