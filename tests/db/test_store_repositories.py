"""The composed Store: repositories wired through their constructors, no import cycle in db/,
reads that do not write, and the temporary flat names resolving to real methods."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import pytest

from db import Store
from db.store.checklists import Checklists
from db.store.core import Core
from db.store.findings import Findings
from db.store.search import Search

DB = Path(__file__).resolve().parents[2] / "db"


def test_repositories_share_one_core_and_get_what_they_need(store: Store) -> None:
    core = store.core
    repositories = [
        store.settings,
        store.search,
        store.planning,
        store.checklists,
        store.findings,
        store.evidence,
        store.outcomes,
        store.followup,
        store.reports,
        store.sync.devices,
        store.sync.versions,
        store.sync.conflicts,
        store.sync.merge,
        store.sync.export_scope,
    ]
    for repo in repositories:
        assert repo.core is core and repo.db is store.db, type(repo).__name__
    assert store.findings.checklists is store.checklists
    assert store.findings.search is store.search
    assert store.evidence.findings is store.findings
    assert store.sync.merge.conflicts is store.sync.conflicts
    assert store.sync.conflicts.versions is store.sync.versions


def test_a_repository_can_be_built_alone(store: Store) -> None:
    # sqlite-utils' shape: a table object built from what it needs, nothing more.
    core = Core(store.db, actor="Thử")
    findings = Findings(core, Checklists(core, Search(core)), Search(core))
    assert findings.finding("khong-co", "khong-co") is None
    assert core.device_id == store.device_id


def test_no_repository_reaches_another_by_hasattr_or_ignores_types() -> None:
    for path in sorted((DB / "store").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        calls = [
            node.func.id
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        ]
        assert "hasattr" not in calls, path
        assert "type: ignore" not in path.read_text(encoding="utf-8"), path


def _two_heads(store: Store) -> str:
    """A finding edited here and, from the same version, on another laptop: a conflict."""
    from desktop.services.demo import build_demo

    build_demo(store)
    insp = store.planning.inspections()[0]["id"]
    item = store.findings.inspection_items(insp)[0]["item_id"]
    first = store.findings.set_finding(insp, item, {"note": "Bản đầu"})
    store.findings.set_finding(insp, item, {"note": "Máy này sửa"})
    theirs = {
        **(store.core.get_row("findings", first["id"]) or {}),
        "note": "Máy kia sửa",
        "hlc": "9999999999999.00000.khac",
        "origin": "may-khac",
        "base_hlc": first["hlc"],
    }
    with store.transaction():
        assert store.sync.merge.merge_version("findings", theirs) == "conflict"
    return str(first["id"])


def _supersede(store: Store, row_id: str, conflict: dict[str, Any]) -> None:
    """Behind the store's back, make the row a version descending from both sides."""
    stamp = "9999999999999.99999.sau-ca-hai"
    store.db.execute(
        "UPDATE findings SET hlc = ?, base_hlc = ? WHERE id = ?",
        [stamp, conflict["local"]["hlc"], row_id],
    )  # the trigger records the edge to the local side
    store.db.execute(
        "INSERT INTO sync_versions (table_name, row_id, hlc, parent) VALUES (?, ?, ?, ?)",
        ["findings", row_id, stamp, conflict["remote"]["hlc"]],
    )


def test_reading_conflicts_writes_nothing(store: Store) -> None:
    row_id = _two_heads(store)
    (conflict,) = store.sync.conflicts.read_all()
    _supersede(store, row_id, conflict)
    changes = store.db.conn.total_changes
    assert store.sync.conflicts.get(conflict["id"]) == conflict
    assert store.sync.conflicts.read_all() == [conflict]
    assert store.db.conn.total_changes == changes  # reads only
    # Settling is the explicit write.
    store.sync.conflicts.normalize_all_conflicts()
    assert store.sync.conflicts.read_all() == []
    settled = store.sync.conflicts.get(conflict["id"])
    assert settled is not None and settled["resolution"] == "superseded"
    assert json.dumps(settled["local"]) == json.dumps(conflict["local"])


def test_a_superseded_conflict_cannot_be_resolved(store: Store) -> None:
    row_id = _two_heads(store)
    (conflict,) = store.sync.conflicts.read_all()
    _supersede(store, row_id, conflict)
    with pytest.raises(KeyError):
        store.sync.conflicts.resolve_sync_conflict(conflict["id"], "mine")


def test_an_unknown_name_is_still_an_attribute_error(store: Store) -> None:
    with pytest.raises(AttributeError, match="no_such_method"):
        store.no_such_method()  # type: ignore[attr-defined]  # on purpose
