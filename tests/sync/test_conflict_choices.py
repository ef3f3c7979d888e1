"""A conflicting finding settled field by field, as the window asks (no display needed)."""

from __future__ import annotations

from typing import Any

import pytest

from db import Store
from desktop.services.errors import UserError
from desktop.sync import conflict_choices
from desktop.sync.merge import list_conflicts
from tests.recording_helpers import item_id, small_plan


def three_field_conflict(store: Store) -> dict[str, Any]:
    """This laptop and another edited result, score and note of one finding from one version."""
    so, _ = small_plan(store)
    item = item_id(store, so, "A1.1.1")
    first = store.findings.set_finding(so, item, {"result": "dat", "score": 1.0, "note": "Đầu"})
    store.findings.set_finding(
        so, item, {"result": "khong-dat", "score": 0.0, "note": "Máy này"}, recorded_by="An"
    )
    wall = int(first["hlc"].split(".")[0]) + 1
    theirs = {
        **store.core.get_row("findings", first["id"]),
        "result": "dat",
        "score": 0.5,
        "note": "Máy kia",
        "recorded_by": "Bình",
        "hlc": f"{wall:013d}.00000.may-kia",
        "origin": "may-kia",
        "base_hlc": first["hlc"],
    }
    with store.transaction():
        assert store.sync.merge.merge_version("findings", theirs) == "conflict"
    (conflict,) = list_conflicts(store)
    return conflict


def test_the_choosable_fields_leave_out_who_and_when(store: Store) -> None:
    conflict = three_field_conflict(store)
    assert conflict_choices.choosable_fields(conflict) == ["note", "result", "score"]


def test_each_field_keeps_the_side_chosen_for_it(store: Store) -> None:
    conflict = three_field_conflict(store)
    choices = {"result": "mine", "score": "theirs", "note": "theirs"}
    conflict_choices.resolve_by_field(store, conflict["id"], choices)
    row = store.core.get_row("findings", conflict["row_id"])
    assert (row["result"], row["score"], row["note"]) == ("khong-dat", 0.5, "Máy kia")
    assert row["recorded_by"] == "Bình"  # who wrote it follows most of the chosen fields
    assert list_conflicts(store) == []


def test_every_differing_field_needs_a_choice(store: Store) -> None:
    conflict = three_field_conflict(store)
    with pytest.raises(UserError, match="Chưa chọn bản giữ lại cho 1 trường"):
        conflict_choices.resolve_by_field(
            store, conflict["id"], {"result": "mine", "score": "theirs"}
        )
    with pytest.raises(UserError, match="“mine” hoặc “theirs”"):
        conflict_choices.resolve_by_field(
            store, conflict["id"], {"result": "mine", "score": "x", "note": "mine"}
        )
    assert len(list_conflicts(store)) == 1  # nothing written
