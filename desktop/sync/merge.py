"""Merge outcomes and conflicts as the secretary sees them.

The merge itself lives in the store (db/store/sync.py, SyncMixin.merge_version): an incoming
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
}


def tally(counts: dict[str, int], outcome: str) -> None:
    counts[_OUTCOME[outcome]] += 1


def stamp_time(stamp: str) -> str:
    """The wall-clock time inside an hlc stamp, as local ISO 8601."""
    millis = int(stamp.split(".", 1)[0])
    moment = dt.datetime.fromtimestamp(millis / 1000, tz=dt.UTC).astimezone()
    return moment.isoformat(timespec="seconds")


def _side(version: dict[str, Any], fields: list[str], names: dict[str, str]) -> dict[str, Any]:
    return {
        "value": {f: version.get(f) for f in fields},
        "who": names.get(version["origin"]) or version["origin"],
        "when": stamp_time(version["hlc"]),
        "hlc": version["hlc"],
    }


def describe(conflict: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    local, remote = conflict["local"], conflict["remote"]
    fields = sorted(
        f for f in set(local) | set(remote) if f not in HIDDEN and local.get(f) != remote.get(f)
    )
    return {
        "id": conflict["id"],
        "table": conflict["table_name"],
        "row_id": conflict["row_id"],
        "differences": [
            {"field": f, "local": local.get(f), "remote": remote.get(f)} for f in fields
        ],
        "local": _side(local, fields, names),
        "remote": _side(remote, fields, names),
        "winner": "local" if local["hlc"] > remote["hlc"] else "remote",
        "detected_at": conflict["detected_at"],
        "resolved_at": conflict["resolved_at"],
        "resolution": conflict["resolution"],
    }


def list_conflicts(store: Store, *, include_resolved: bool = False) -> list[dict[str, Any]]:
    """Conflicts with what differs, who wrote each version and when."""
    names = store.device_names()
    return [describe(c, names) for c in store.sync_conflicts(include_resolved=include_resolved)]


def resolve(store: Store, conflict_id: str, keep: str) -> dict[str, Any]:
    """Settle a conflict by writing the kept version as a new change that travels."""
    if keep not in ("mine", "theirs"):
        raise UserError(MESSAGES["bad_keep"])
    conflict = store.sync_conflict(conflict_id)
    if conflict is None:
        raise UserError(MESSAGES["no_conflict"].format(id=conflict_id))
    if conflict["resolved_at"]:
        raise UserError(MESSAGES["resolved"].format(id=conflict_id))
    row = store.resolve_sync_conflict(conflict_id, keep)
    return {
        "id": conflict_id,
        "table": conflict["table_name"],
        "row_id": row["id"],
        "hlc": row["hlc"],
        "keep": keep,
    }
