"""The notice's strengths and limitations, when the secretary saved none, follow the one rule
of services.conclusions (the draft the editor offers): same lines, numbered for citing."""

from __future__ import annotations

import datetime as dt

from db import Store
from desktop.reports.context import inspection_data
from desktop.services import conclusions, findings
from tests.reports.conftest import Sample

DAY = dt.date(2021, 1, 5)


def test_the_notice_says_what_the_draft_says(store: Store, sample: Sample) -> None:
    data = inspection_data(store, sample.unit, DAY)
    draft = [a for a in conclusions.draft(store, sample.unit)]
    assert data.strengths == [
        {"code": a["area"], "name": a["name"], "lines": a["strengths"], "derived": True}
        for a in draft
        if a["strengths"]
    ]
    limited = [a for a in draft if a["limitations"]]
    assert [lim["code"] for lim in data.limitations] == [a["area"] for a in limited]
    for n, (lim, area) in enumerate(zip(data.limitations, limited, strict=True), start=1):
        assert [line["text"] for line in lim["lines"]] == area["limitations"]
        assert [line["ref"] for line in lim["lines"]] == [
            f"{n}.{k}" for k in range(1, len(area["limitations"]) + 1)
        ]
    # one derived recommendation per limitation, citing it
    refs = [line["ref"] for lim in data.limitations for line in lim["lines"]]
    assert [r["ref"] for r in data.recommendations] == refs


def test_an_observation_without_a_result_is_no_strength(store: Store, sample: Sample) -> None:
    """The notice used to list any noted item without a result as a strength ("Chưa có sổ
    theo dõi" under ƯU ĐIỂM); the draft's rule counts judged items only."""
    pending = next(
        i
        for i in store.findings.inspection_items(sample.unit)
        if i["max_score"] > 0 and i["result"] is None and not i["note"]
    )
    findings.record(store, sample.unit, pending["code"], note="Chưa có sổ theo dõi")
    data = inspection_data(store, sample.unit, DAY)
    lines = [line for s in data.strengths for line in s["lines"]]
    assert lines and not any("Chưa có sổ theo dõi" in line for line in lines)
    texts = [line["text"] for lim in data.limitations for line in lim["lines"]]
    assert not any("Chưa có sổ theo dõi" in text for text in texts)
