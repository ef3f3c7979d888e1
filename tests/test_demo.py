"""The demo database reads like a real campaign: fitting notes, measures, members, papers."""

from __future__ import annotations

import time

import pytest

from db import Store
from desktop.services import conclusions, judging
from desktop.services.demo import AREA_NOTES, DELEGATION, build_demo


@pytest.mark.timing
def test_demo_is_realistic_and_fast(store: Store) -> None:
    started = time.perf_counter()
    plan = build_demo(store)
    assert time.perf_counter() - started < 5
    assert build_demo(store) == plan  # once
    june = [i for i in store.planning.inspections(plan) if i["month"] == 6]
    assert [i["visit_date"] for i in june] == ["2021-06-08", "2021-06-15", "2021-06-22"]
    first = june[0]["id"]
    rows = [r for r in store.findings.inspection_items(first) if r["recorded_at"]]
    assert len(rows) == len(store.findings.inspection_items(first))

    responsible = {a: name for name, _r, _p, _a, areas in reversed(DELEGATION) for a in areas}
    for row in rows:
        area = row["area_code"]
        assert row["recorded_by"] == responsible[area], row["code"]
        passed, failed = AREA_NOTES[area]
        assert row["note"] in (passed if row["result"] in (None, "dat") else failed)
        if row["type"] == "PERCENT":
            outcome = judging.percent_outcome(
                row["numerator"], row["denominator"], row["thresholds"], row["max_score"]
            )
            assert (row["result"], row["score"]) == (outcome.result.value, outcome.score)
        if row["type"] == "YES_NO":
            assert row["value"] == ("co" if row["result"] == "dat" else "khong")
    assert {r["result"] for r in rows} >= {"dat", "khong-dat"}

    # The unit's own answers: all given, some disagreeing with the delegation.
    judged = [r for r in rows if r["type"] != "TEXT"]
    assert all(r["self_result"] for r in judged)
    assert any(r["self_result"] != r["result"] for r in judged)

    docs = store.db.execute(
        "SELECT count(*) FROM evidence_docs e JOIN findings f ON f.id = e.finding_id "
        "WHERE f.inspection_id = ?",
        [first],
    ).fetchone()[0]
    assert docs >= 3
    recs = conclusions.list_recommendations(store, first)
    assert 1 <= len(recs) <= 5
    failed_codes = {r["code"] for r in rows if r["result"] in ("khong-dat", "mot-phan")}
    assert {r["item_code"] for r in recs} <= failed_codes
    assert all(r["deadline"] == "2021-07-08" for r in recs)  # visit date + 30 days

    # The audit log names the member who recorded each finding.
    actors = {r[0] for r in store.db.execute("SELECT DISTINCT actor FROM audit_log")}
    assert set(responsible.values()) <= actors
