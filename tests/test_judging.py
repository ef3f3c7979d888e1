"""Judging rules: measures to result and score, without Qt."""

from __future__ import annotations

import pytest

from desktop.domain import Result
from desktop.services import judging

THRESHOLDS = [
    {"min": 100, "ratio": 1.0, "result": "dat"},
    {"min": 90, "ratio": 0.75, "result": "mot-phan"},
    {"min": 80, "ratio": 0.5, "result": "mot-phan"},
    {"min": 0, "ratio": 0, "result": "khong-dat"},
]


@pytest.mark.parametrize(
    ("num", "den", "result", "score", "percent"),
    [
        (10, 10, Result.DAT, 2.0, 100.0),
        (19, 20, Result.MOT_PHAN, 1.5, 95.0),
        (9, 10, Result.MOT_PHAN, 1.5, 90.0),
        (17, 20, Result.MOT_PHAN, 1.0, 85.0),
        (7, 10, Result.KHONG_DAT, 0.0, 70.0),
        (0, 10, Result.KHONG_DAT, 0.0, 0.0),
    ],
)
def test_percent_uses_the_highest_threshold_reached(num, den, result, score, percent) -> None:
    outcome = judging.percent_outcome(num, den, THRESHOLDS, 2.0)
    assert (outcome.result, outcome.score, outcome.percent) == (result, score, percent)


def test_percent_threshold_order_does_not_matter() -> None:
    shuffled = [THRESHOLDS[2], THRESHOLDS[0], THRESHOLDS[3], THRESHOLDS[1]]
    assert judging.percent_outcome(95, 100, shuffled, 4).score == 3.0


def test_percent_without_denominator_decides_nothing() -> None:
    assert judging.percent_outcome(3, 0, THRESHOLDS, 2) == judging.Outcome(None, None, None)
    assert judging.percent_outcome(None, 5, THRESHOLDS, 2).result is None


def test_percent_numerator_above_denominator_is_refused() -> None:
    with pytest.raises(ValueError):
        judging.percent_outcome(11, 10, THRESHOLDS, 2)


def test_percent_below_every_threshold_fails() -> None:
    outcome = judging.percent_outcome(5, 10, [{"min": 80, "ratio": 1, "result": "dat"}], 1)
    assert (outcome.result, outcome.score) == (Result.KHONG_DAT, 0.0)


def test_levels() -> None:
    assert judging.level_outcome("tot", 2).changes() == {"result": "dat", "score": 2.0}
    assert judging.level_outcome("dat", 2).changes() == {"result": "dat", "score": 1.0}
    assert judging.level_outcome("chua-dat", 2).changes() == {"result": "khong-dat", "score": 0.0}
    with pytest.raises(ValueError):
        judging.level_outcome("xuat-sac", 2)


def test_yes_no_and_on_time() -> None:
    assert judging.yes_no_outcome(True, 1.5).changes() == {"result": "dat", "score": 1.5}
    assert judging.yes_no_outcome(False, 1.5).changes() == {"result": "khong-dat", "score": 0.0}
    assert judging.on_time_outcome(False, 1).result == Result.KHONG_DAT


def test_result_changes_defaults() -> None:
    assert judging.result_changes(Result.DAT, 2, None) == {"result": "dat", "score": 2.0}
    assert judging.result_changes(Result.DAT, 2, 1.25) == {"result": "dat"}
    assert judging.result_changes(Result.DAT, 2, 0.0) == {"result": "dat", "score": 2.0}
    assert judging.result_changes(Result.KHONG_DAT, 2, 2) == {"result": "khong-dat", "score": 0.0}
    assert judging.result_changes(Result.KHONG_AP_DUNG, 2, 2)["score"] is None
    assert judging.result_changes(Result.MOT_PHAN, 2, 1) == {"result": "mot-phan"}
    assert judging.result_changes(Result.DAT, 0, None) == {"result": "dat"}


def test_check_score() -> None:
    judging.check_score(None, 1)
    judging.check_score(1, 1)
    with pytest.raises(ValueError):
        judging.check_score(1.25, 1)
    with pytest.raises(ValueError):
        judging.check_score(-0.25, 1)


def test_recorded_and_disagreement() -> None:
    assert not judging.is_recorded({"result": None, "note": "  "})
    assert judging.is_recorded({"result": None, "note": "x"})
    assert judging.is_recorded({"result": "dat", "note": ""})
    assert not judging.disagrees({"result": "dat", "self_result": None})
    assert not judging.disagrees({"result": None, "self_result": "dat"})
    assert judging.disagrees({"result": "khong-dat", "self_result": "dat"})
    assert judging.disagrees({"result": "dat", "self_result": "dat", "score": 1, "self_score": 2})
    assert not judging.disagrees({"result": "dat", "self_result": "dat", "score": 1})
