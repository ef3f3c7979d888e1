"""Judging rules: from what an inspector measured to a result and a score. Plain Python.

Each checklist item has a judging type (desktop.domain.JudgingType). The functions here turn
the inspector's measure (a yes/no, a level, a numerator and denominator, a date kept on time or
not) into the `changes` a finding stores: result code, score and the measure's own columns
(`numerator`, `denominator`, `value`). The UI calls them; they never touch the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from desktop.domain import JudgingType, Result

# LEVEL items: the stored `value` code, its label, the result it means and the share of the
# item's points it earns [default].
LEVELS: dict[str, tuple[str, Result, float]] = {
    "tot": ("Tốt", Result.DAT, 1.0),
    "dat": ("Đạt", Result.DAT, 0.5),
    "chua-dat": ("Chưa đạt", Result.KHONG_DAT, 0.0),
}

YES, NO = "co", "khong"

# The word shown for a measure's stored `value` code, by judging type: the choice the
# inspector clicked (the window's buttons and the finding's history both use these).
VALUE_LABELS: dict[JudgingType, dict[str, str]] = {
    JudgingType.YES_NO: {YES: "Có", NO: "Không"},
    JudgingType.DATE_ON_TIME: {YES: "Đúng hạn", NO: "Không đúng hạn"},
    JudgingType.LEVEL: {code: label for code, (label, _, _) in LEVELS.items()},
}


def value_label(judging_type: str | None, value: str) -> str:
    """The word for the `value` code of an item of `judging_type` ("co" → "Có" or "Đúng
    hạn"; "dat" → "Đạt"); the code itself when it is not a known one."""
    try:
        labels = VALUE_LABELS.get(JudgingType(judging_type or ""), {})
    except ValueError:
        return value
    return labels.get(value, value)


# Results that count as "not passed" for the filter and the summaries.
NOT_PASSED = frozenset({Result.KHONG_DAT.value, Result.MOT_PHAN.value})


class Outcome(NamedTuple):
    """A computed result and score (None when nothing can be decided yet)."""

    result: Result | None
    score: float | None
    percent: float | None = None

    def changes(self) -> dict[str, Any]:
        """The finding fields this outcome sets."""
        return {
            "result": self.result.value if self.result else None,
            "score": self.score,
        }


def _points(ratio: float, max_score: float) -> float:
    return round(float(ratio) * float(max_score), 2)


def percent_of(numerator: float | None, denominator: float | None) -> float | None:
    """numerator/denominator in percent, or None when it cannot be computed."""
    if numerator is None or denominator is None or denominator <= 0 or numerator < 0:
        return None
    return round(100.0 * float(numerator) / float(denominator), 2)


def percent_outcome(
    numerator: float | None,
    denominator: float | None,
    thresholds: Iterable[Mapping[str, Any]],
    max_score: float,
) -> Outcome:
    """Result and score of a PERCENT item from the item's thresholds.

    `thresholds` is a list of {"min", "ratio", "result"}; the first (highest) "min" the
    percentage reaches decides: score = ratio * max_score. A numerator above the denominator
    is refused (ValueError): it is a typing mistake, not 120 %.
    """
    if numerator is not None and denominator is not None and numerator > denominator > 0:
        raise ValueError("Tử số lớn hơn mẫu số")
    percent = percent_of(numerator, denominator)
    if percent is None:
        return Outcome(None, None, None)
    for step in sorted(thresholds, key=lambda t: float(t["min"]), reverse=True):
        if percent >= float(step["min"]):
            return Outcome(Result(step["result"]), _points(step["ratio"], max_score), percent)
    return Outcome(Result.KHONG_DAT, 0.0, percent)


def step_points(
    result: str, thresholds: Iterable[Mapping[str, Any]], max_score: float
) -> float | None:
    """The points of a PERCENT item's best threshold step that gives `result` (used when the
    result is picked without the counts), or None when no step gives it."""
    for step in sorted(thresholds, key=lambda t: float(t["min"]), reverse=True):
        if step["result"] == result:
            return _points(step["ratio"], max_score)
    return None


def picked_result_changes(
    result: Result, item: Mapping[str, Any], current_score: float | None
) -> dict[str, Any]:
    """Changes for a result picked for `item` (an inspection_items row) without its counts.

    result_changes' defaults, and for a PERCENT item with no score yet the points of the
    item's best threshold step for that result (else the documents print "/4"). The window's
    buttons and `kiemtra finding set --result` both come here, so they agree.
    """
    max_score = float(item.get("max_score") or 0)
    changes = result_changes(result, max_score, current_score)
    if item.get("type") == JudgingType.PERCENT.value and "score" not in changes:
        if current_score is None and max_score:
            points = step_points(result.value, item.get("thresholds") or [], max_score)
            if points is not None:
                changes["score"] = points
    return changes


def level_outcome(level: str, max_score: float) -> Outcome:
    """Tốt/Đạt/Chưa đạt (value codes tot/dat/chua-dat) → result and score."""
    try:
        _, result, ratio = LEVELS[level]
    except KeyError:
        raise ValueError(f"Mức đánh giá không hợp lệ: {level!r}") from None
    return Outcome(result, _points(ratio, max_score))


def yes_no_outcome(yes: bool, max_score: float) -> Outcome:
    """Có → Đạt with full points; Không → Không đạt with none."""
    return Outcome(Result.DAT, _points(1, max_score)) if yes else Outcome(Result.KHONG_DAT, 0.0)


def on_time_outcome(on_time: bool, max_score: float) -> Outcome:
    """A deadline met → Đạt with full points; missed → Không đạt with none."""
    return yes_no_outcome(on_time, max_score)


def result_changes(result: Result, max_score: float, current_score: float | None) -> dict[str, Any]:
    """Changes for a result picked directly (the four result buttons).

    The score follows sensible defaults the inspector can override: full points for Đạt when
    no points were given yet (none or 0), 0 for Không đạt, no score for Không áp dụng; Đạt
    một phần keeps the current score.
    """
    changes: dict[str, Any] = {"result": result.value}
    if max_score:
        if result == Result.DAT and not current_score:
            changes["score"] = float(max_score)
        elif result == Result.KHONG_DAT:
            changes["score"] = 0.0
        elif result == Result.KHONG_AP_DUNG:
            changes["score"] = None
    return changes


def check_result(judging_type: str, result: str | None) -> None:
    """A TEXT item (observation only) takes no result; any other item takes a known result
    code or none (ValueError otherwise)."""
    if result is None:
        return
    if judging_type == "TEXT":
        raise ValueError("Nội dung này chỉ ghi nhận xét, không ghi kết quả")
    if result not in {r.value for r in Result}:
        raise ValueError(f"Kết quả không hợp lệ: {result!r}")


def check_score(score: float | None, max_score: float) -> None:
    """A score lies between 0 and the item's maximum (ValueError otherwise)."""
    if score is not None and not 0 <= score <= max_score:
        raise ValueError(f"Điểm {score:g} ngoài khoảng cho phép 0–{max_score:g}")


def is_recorded(row: Mapping[str, Any]) -> bool:
    """Recorded = a result or an observation, as the inspections' progress counts it."""
    return bool(row.get("result")) or bool((row.get("note") or "").strip())


def disagrees(row: Mapping[str, Any]) -> bool:
    """The unit's self-assessment differs from the inspectors' result (both present)."""
    own, theirs = row.get("result"), row.get("self_result")
    if not own or not theirs:
        return False
    if own != theirs:
        return True
    score, self_score = row.get("score"), row.get("self_score")
    return score is not None and self_score is not None and abs(score - self_score) > 1e-9
