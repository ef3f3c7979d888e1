"""A partly recorded visit's rank is provisional, by one rule (scoring: something recorded, not
every item judged) that `kiemtra scores --json`, the dashboard and the campaign report share."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx

from db import Store
from desktop.reports.context import ReportOptions
from desktop.reports.service import plan_report
from desktop.services import scoring
from tests.conftest import Kiemtra


def _plan(store: Store) -> str:
    return str(store.planning.plans()[0]["id"])


def test_scores_json_flags_provisional_ranks(demo_store: Store, kiemtra: Kiemtra) -> None:
    rows = {r["unit"]: r for r in kiemtra.json("scores", _plan(demo_store))}
    assert rows["Sở Y tế"]["provisional"] is False and rows["Sở Y tế"]["final_rank"] == 1
    partial = rows["Thanh tra tỉnh"]
    assert partial["provisional"] is True and partial["final_rank"] is None
    assert partial["judged"] < partial["to_judge"]
    assert partial["standing"] == f"Tạm tính ({partial['judged']}/{partial['to_judge']})"
    unvisited = rows["UBND huyện Mỹ Tú"]
    assert unvisited["provisional"] is False and unvisited["rank"] is None
    # the text output says it too
    text = kiemtra("scores", _plan(demo_store)).stdout
    line = next(ln for ln in text.splitlines() if ln.startswith("Thanh tra tỉnh"))
    assert "tạm tính" in line.lower()


def test_report_and_scores_agree(demo_store: Store, kiemtra: Kiemtra, tmp_path: Path) -> None:
    plan = _plan(demo_store)
    flagged = {r["unit"] for r in kiemtra.json("scores", plan) if r["provisional"]}
    assert flagged
    out = tmp_path / "bc.docx"
    plan_report(demo_store, plan, "docx", out, ReportOptions("5", dt.date(2021, 7, 5)))
    table = next(
        t for t in docx.Document(str(out)).tables if t.rows[0].cells[-1].text.startswith("Xếp hạng")
    )
    marked = {r.cells[1].text for r in table.rows[1:] if r.cells[-1].text.startswith("Tạm tính")}
    assert marked == flagged


def test_the_one_rule() -> None:
    row = {"recorded": 3, "complete": False, "judged": 2, "to_judge": 5, "final_rank": None}
    assert scoring.is_provisional(row) and scoring.standing(row) == "Tạm tính (2/5)"
    done = {"recorded": 5, "complete": True, "judged": 5, "to_judge": 5, "final_rank": 2}
    assert not scoring.is_provisional(done) and scoring.standing(done) == "2"
    nothing = {"recorded": 0, "complete": False, "judged": 0, "to_judge": 5, "final_rank": None}
    assert not scoring.is_provisional(nothing) and scoring.standing(nothing) == ""
