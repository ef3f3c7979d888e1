"""Scores: item points → criterion → area → total, per inspection and ranked across a plan.

Rules (data-driven from the checklist the inspection uses):
- Only items that apply to the unit's level are counted; an item recorded "khong-ap-dung"
  leaves the maximum too. An item not recorded yet scores 0 but stays in the maximum.
- An item's score is the recorded score; a result "dat" without a score earns the item's full
  points, any other result without a score earns 0.
- `percent` is 100 × score / applicable maximum (0 when the maximum is 0), rounded to 2 places.
- When the whole checklist has points switched off (every max_score is 0) an inspection is
  judged by the share of items passed: each applicable, judged item (not TEXT, not
  "khong-ap-dung") counts 1 in the maximum and 1 in the score when its result is "dat".
- `self_score`/`self_total` add up the unit's own points (None when it gave none).
- `not_passed` counts items recorded "khong-dat" or "mot-phan" (also per area).
- Completeness: `to_judge` counts the applicable judged items (every type but TEXT, an
  observation), `judged` those with a result; a visit is `complete` when every one has a
  result. Per area, `recorded` counts the items with a result or a note (0: never inspected),
  `to_judge`/`judged` as for the visit.
- Provisional (`is_provisional`): a visit or an area with some judged items but not all; its
  score is not final (unjudged items count 0).
- Ranking (score_plan): within each unit level, by percent, highest first; equal percents share
  a rank ("1, 1, 3"). Inspections with nothing recorded yet get rank None. `final_rank` ranks
  the complete visits only (a partly recorded visit's score is provisional): None otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from db import Store
from desktop.domain import LEVEL_LETTERS, JudgingType, Result
from desktop.services import judging
from desktop.services.errors import UserError

Progress = Callable[[int, int], bool]


class Cancelled(UserError):
    """The user stopped a long operation."""

    def __init__(self) -> None:
        super().__init__("Đã hủy theo yêu cầu")


def _pct(score: float, maximum: float) -> float:
    return round(100.0 * score / maximum, 2) if maximum else 0.0


def item_points(
    item: dict[str, Any], finding: dict[str, Any] | None, scored: bool
) -> tuple[float, float, float | None, bool]:
    """(score, max, self_score, applicable) of one applicable item under the rules above."""
    result = (finding or {}).get("result")
    if result == Result.KHONG_AP_DUNG.value:
        return 0.0, 0.0, None, False
    if scored:
        maximum = float(item["max_score"] or 0)
        raw = (finding or {}).get("score")
        if raw is not None:
            score = float(raw)
        else:
            score = maximum if result == Result.DAT.value else 0.0
        self_raw = (finding or {}).get("self_score")
        self_score = float(self_raw) if self_raw is not None else None
        return score, maximum, self_score, maximum > 0
    if item["type"] == JudgingType.TEXT.value:
        return 0.0, 0.0, None, False
    passed = 1.0 if result == Result.DAT.value else 0.0
    self_passed = (finding or {}).get("self_result")
    self_score = None if self_passed is None else (1.0 if self_passed == Result.DAT.value else 0.0)
    return passed, 1.0, self_score, True


def _add_self(a: float | None, b: float | None) -> float | None:
    if b is None:
        return a
    return (a or 0.0) + b


def score_items(
    items: list[dict[str, Any]], found: dict[str, dict[str, Any]], scored: bool
) -> dict[str, Any]:
    """Aggregate applicable `items` (checklist rows with area/criterion) with `found` findings."""
    areas: dict[str, dict[str, Any]] = {}
    total = maximum = 0.0
    self_total: float | None = None
    not_passed = recorded = to_judge = judged = 0
    for item in items:
        finding = found.get(item["id"])
        is_recorded = bool(finding and (finding.get("result") or finding.get("note")))
        recorded += is_recorded
        if item["type"] != JudgingType.TEXT.value:
            to_judge += 1
            judged += bool(finding and finding.get("result"))
        if finding and finding.get("result") in judging.NOT_PASSED:
            not_passed += 1
        area = areas.setdefault(
            item["area_code"],
            {
                "code": item["area_code"],
                "name": item["area_name"],
                "score": 0.0,
                "max": 0.0,
                "self_score": None,
                "recorded": 0,
                "not_passed": 0,
                "to_judge": 0,
                "judged": 0,
                "criteria": {},
            },
        )
        area["recorded"] += is_recorded
        area["not_passed"] += bool(finding and finding.get("result") in judging.NOT_PASSED)
        if item["type"] != JudgingType.TEXT.value:
            area["to_judge"] += 1
            area["judged"] += bool(finding and finding.get("result"))
        crit = area["criteria"].setdefault(
            item["criterion_code"],
            {
                "code": item["criterion_code"],
                "name": item["criterion_name"],
                "score": 0.0,
                "max": 0.0,
            },
        )
        score, item_max, self_score, _ = item_points(item, finding, scored)
        for bucket in (area, crit):
            bucket["score"] += score
            bucket["max"] += item_max
        area["self_score"] = _add_self(area["self_score"], self_score)
        total += score
        maximum += item_max
        self_total = _add_self(self_total, self_score)
    area_list = []
    for area in areas.values():
        criteria = [{**c, "percent": _pct(c["score"], c["max"])} for c in area["criteria"].values()]
        area_list.append(
            {**area, "percent": _pct(area["score"], area["max"]), "criteria": criteria}
        )
    return {
        "total": total,
        "max": maximum,
        "percent": _pct(total, maximum),
        "self_total": self_total,
        "areas": area_list,
        "not_passed": not_passed,
        "recorded": recorded,
        "to_judge": to_judge,
        "judged": judged,
        "complete": to_judge > 0 and judged == to_judge,
        "scored": scored,
    }


def is_provisional(row: Mapping[str, Any]) -> bool:
    """The one rule of a provisional score and rank, for a visit or an area: something
    recorded, not every item to judge judged yet. Its rank is not final (`final_rank` None);
    nothing recorded is "chưa kiểm tra", not provisional. The report, the summary, the
    dashboard and `kiemtra scores` all ask here."""
    judged, to_judge = int(row.get("judged") or 0), int(row.get("to_judge") or 0)
    return bool(row.get("recorded") or judged) and judged < to_judge


def standing(row: Mapping[str, Any]) -> str:
    """The rank as documents print it: "2" (final), "Tạm tính (33/76)" (provisional), ""
    (nothing recorded)."""
    if is_provisional(row):
        return f"Tạm tính ({row['judged']}/{row['to_judge']})"
    return str(row["final_rank"]) if row.get("final_rank") else ""


class _ItemCache:
    """Checklist items per (version, level), read once per plan."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.items: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.scored: dict[str, bool] = {}

    def get(self, version_id: str | None, level: str) -> tuple[list[dict[str, Any]], bool]:
        if not version_id:
            return [], True
        key = (version_id, level)
        if key not in self.items:
            self.items[key] = self.store.checklists.checklist_items(
                version_id, LEVEL_LETTERS[level]
            )
        if version_id not in self.scored:
            self.scored[version_id] = self.store.reports.report_checklist_is_scored(version_id)
        return self.items[key], self.scored[version_id]


def score_inspection(store: Store, inspection_id: str) -> dict[str, Any]:
    """{"total","max","percent","self_total","areas":[{"code","name","score","max","percent",
    "self_score","criteria"}], "not_passed"} for one inspection."""
    inspection = store.planning.inspection(inspection_id)
    if inspection is None:
        raise UserError(f"Không có cuộc kiểm tra {inspection_id}")
    items, scored = _ItemCache(store).get(
        inspection["checklist_version_id"], inspection["unit_level"]
    )
    return score_items(items, store.reports.report_inspection_findings(inspection_id), scored)


def rank(rows: list[dict[str, Any]]) -> None:
    """Set "rank" on each recorded row and "final_rank" on each complete one: within its
    "level", by percent, ties share a rank."""
    for key, counts in (("rank", "recorded"), ("final_rank", "complete")):
        by_level: dict[str, list[dict[str, Any]]] = {}
        for row in rows:
            row[key] = None
            if row.get(counts):
                by_level.setdefault(row["level"], []).append(row)
        for group in by_level.values():
            group.sort(key=lambda r: -r["percent"])
            for position, row in enumerate(group, start=1):
                previous = group[position - 2] if position > 1 else None
                if previous is not None and previous["percent"] == row["percent"]:
                    row[key] = previous[key]
                else:
                    row[key] = position


def score_plan(
    store: Store,
    plan_id: str,
    progress: Progress | None = None,
    found: dict[str, dict[str, dict[str, Any]]] | None = None,
) -> list[dict[str, Any]]:
    """One row per inspection of the plan, in schedule order, with scores and rank in level.

    `found`: the plan's findings (store.reports.report_plan_findings) when the caller has read them.
    """
    if store.planning.plan(plan_id) is None:
        raise UserError(f"Không có kế hoạch {plan_id}")
    inspections = store.planning.inspections(plan_id)
    if found is None:
        found = store.reports.report_plan_findings(plan_id)
    recommendations = store.reports.report_recommendation_counts(plan_id)
    cache = _ItemCache(store)
    rows = []
    for n, insp in enumerate(inspections, start=1):
        items, scored = cache.get(insp["checklist_version_id"], insp["level"])
        score = score_items(items, found.get(insp["id"], {}), scored)
        rows.append(
            {
                "id": insp["id"],
                "unit": insp["unit"],
                "level": insp["level"],
                "month": insp["month"],
                "parent_id": insp["parent_id"],
                **score,
                "recommendations": recommendations.get(insp["id"], 0),
            }
        )
        rows[-1]["provisional"] = is_provisional(rows[-1])
        if progress is not None and not progress(n, len(inspections)):
            raise Cancelled()
    rank(rows)
    return rows
