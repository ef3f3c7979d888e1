"""Scale: a generated province (60 units × 3 years here) stays indexed and browsable.

Every hot query is captured as the store runs it (sqlite3 trace callback) and checked with
EXPLAIN QUERY PLAN: no full scan of a large table. The benchmark suite measures the real size
(200 units × 10 years) for time and memory.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from db import Store
from desktop.services import search
from desktop.services.demo import build_scale_demo

LARGE_TABLES = ("findings", "inspections", "recommendations", "checklist_items", "evidence_docs")
SCAN = re.compile(r"^SCAN (\w+)(?! VIRTUAL TABLE)")


@pytest.fixture(scope="module")
def scale_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("scale") / "tinh.sqlite"
    store = Store.open(path)
    try:
        counts = build_scale_demo(store, units=60, years=3, seed=7)
    finally:
        store.close()
    assert counts["plans"] == 3 and counts["findings"] > 9000
    assert counts["recommendations"] > 0 and counts["attachments"] > 0
    return path


@pytest.fixture
def scale_store(scale_db: Path) -> Iterator[Store]:
    store = Store.open(scale_db)
    yield store
    store.close()


def _plans_of(store: Store, call: Callable[[], Any]) -> list[tuple[str, list[str]]]:
    """Every SELECT the call ran, with its query plan (the detail lines)."""
    seen: list[str] = []
    conn = store.db.conn
    conn.set_trace_callback(seen.append)
    try:
        call()
    finally:
        conn.set_trace_callback(None)
    out = []
    for sql in seen:
        if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
            continue
        plan = [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql)]
        out.append((" ".join(sql.split()), plan))
    return out


def _scans(plans: list[tuple[str, list[str]]]) -> list[str]:
    bad = []
    for sql, plan in plans:
        for line in plan:
            m = SCAN.match(line)
            if m is None:
                continue
            # "SCAN i" names an alias: find the table it stands for in the statement.
            alias = m.group(1)
            table = alias
            found = re.search(rf"\b(\w+)\s+(?:AS\s+)?{alias}\b", sql)
            if alias not in LARGE_TABLES and found and found.group(1) in LARGE_TABLES:
                table = found.group(1)
            if table in LARGE_TABLES:
                bad.append(f"{line}  ←  {sql[:160]}")
    return bad


def _hot_queries(store: Store) -> dict[str, Callable[[], Any]]:
    plan_id = store.planning.plans()[0]["id"]
    inspection_id = store.planning.inspections(plan_id)[3]["id"]
    item_id = store.findings.inspection_items(inspection_id)[5]["item_id"]
    return {
        "inspections of a plan": lambda: store.planning.inspections(plan_id),
        "items of an inspection": lambda: store.findings.inspection_items(inspection_id),
        "one finding": lambda: store.findings.finding(inspection_id, item_id),
        "search in an inspection": lambda: search.search(store, "niem yet", inspection_id),
        "search everywhere": lambda: search.search(store, "bao cao cham"),
        "follow-up of a plan": lambda: store.followup.followup_recommendations(plan_id=plan_id),
        "follow-up of an inspection": lambda: store.followup.followup_recommendations(
            inspection_id=inspection_id
        ),
        "recommendations of an inspection": lambda: store.outcomes.recommendations(inspection_id),
        "recommended items": lambda: store.outcomes.recommended_item_codes(inspection_id),
    }


@pytest.mark.parametrize(
    "name",
    [
        "inspections of a plan",
        "items of an inspection",
        "one finding",
        "search in an inspection",
        "search everywhere",
        "follow-up of a plan",
        "follow-up of an inspection",
        "recommendations of an inspection",
        "recommended items",
    ],
)
def test_hot_query_uses_an_index(scale_store: Store, name: str) -> None:
    plans = _plans_of(scale_store, _hot_queries(scale_store)[name])
    assert plans, "the call ran no query"
    assert _scans(plans) == []


def test_start_up_reads_come_from_covering_indexes(scale_store: Store) -> None:
    # What the window reads before its first paint: the plan list (live visits per plan) and
    # the navigator's progress. Without these indexes SQLite picked a poor one (no ANALYZE
    # statistics): 58 ms for the plan list of a 950-unit province over ten years.
    plan_id = scale_store.planning.plans()[0]["id"]
    details = [
        line
        for _sql, plan in _plans_of(
            scale_store,
            lambda: (scale_store.planning.plans(), scale_store.planning.inspections(plan_id)),
        )
        for line in plan
    ]
    assert any("COVERING INDEX inspections_plan_live" in line for line in details), details
    assert any("USING INDEX findings_done" in line for line in details), details


def test_the_scan_detector_sees_a_scan(scale_store: Store) -> None:
    plans = _plans_of(
        scale_store,
        lambda: scale_store.db.execute("SELECT count(*) FROM findings f WHERE f.note LIKE '%x%'"),
    )
    assert _scans(plans)


def test_search_hits_are_bounded(scale_store: Store) -> None:
    # "kiểm tra" is in most notes; a search returns a page, never the whole table.
    hits = search.search(scale_store, "ho so", limit=50)
    assert 0 < len(hits) <= 50


@pytest.mark.gui
@pytest.mark.qt_log_ignore("does not support propagateSizeHints")
def test_window_browses_a_province(qtbot: Any, scale_db: Path) -> None:
    from desktop.ui.app import create_window

    window = create_window(scale_db)
    qtbot.addWidget(window)
    try:
        window.show()
        qtbot.waitExposed(window)
        plan_id = window.selection.plan_id
        inspections = window.adapter.inspections(plan_id)
        assert len(inspections) >= 50
        for inspection in inspections[:10]:
            window.select_inspection(inspection["id"])
            assert window.table_model.rowCount() == inspection["total"]
        window.pane.not_passed_action.setChecked(True)
        shown = window.proxy.rowCount()
        assert 0 < shown < window.table_model.rowCount()
        window.pane.not_passed_action.setChecked(False)
        window.pane.search_edit.setText("niem yet")
        assert 0 < window.proxy.rowCount() < window.table_model.rowCount()
    finally:
        window.adapter.close()
