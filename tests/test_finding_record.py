"""One write path for a finding: `kiemtra finding set` and the window record through
`services.findings.record`, so one rule decides the score a result brings (issue 12)."""

from __future__ import annotations

import pytest

from db import Store
from desktop.domain import Result
from desktop.services import findings
from desktop.services.errors import UserError
from tests.conftest import Kiemtra
from tests.recording_helpers import small_plan


def _item(store: Store, inspection_id: str, *, text: bool = False) -> dict:
    """A scored (or TEXT) item of the inspection that nobody has recorded yet."""
    for row in store.findings.inspection_items(inspection_id):
        if (row["type"] == "TEXT") == text and (text or row["max_score"]):
            assert row["result"] is None and not row["note"]
            return row
    raise AssertionError("no such item")


@pytest.fixture
def plan(store: Store) -> tuple[str, str]:
    return small_plan(store)


def _row(kiemtra: Kiemtra, inspection_id: str, code: str) -> dict:
    return next(r for r in kiemtra.json("findings", inspection_id) if r["code"] == code)


def test_cli_partial_result_without_score_on_a_new_finding(
    kiemtra: Kiemtra, store: Store, plan: tuple[str, str]
) -> None:
    so, _ = plan
    code = _item(store, so)["code"]
    done = kiemtra("finding", "set", so, code, "--result", "mot-phan")
    assert "Traceback" not in done.output
    assert f"Đã ghi {code}: {Result.MOT_PHAN.label}" in done.stdout
    row = _row(kiemtra, so, code)
    assert row["result"] == "mot-phan" and row["score"] is None


def test_cli_note_alone_on_a_new_text_item(
    kiemtra: Kiemtra, store: Store, plan: tuple[str, str]
) -> None:
    so, _ = plan
    code = _item(store, so, text=True)["code"]
    done = kiemtra("finding", "set", so, code, "--note", "Đã phối hợp")
    assert done.stdout.strip() == f"Đã ghi {code}: —"
    row = _row(kiemtra, so, code)
    assert row["note"] == "Đã phối hợp" and row["result"] is None and row["score"] is None


def test_cli_dat_after_a_zero_score_gives_full_marks(
    kiemtra: Kiemtra, store: Store, plan: tuple[str, str]
) -> None:
    so, _ = plan
    item = _item(store, so)
    code, full = item["code"], float(item["max_score"])
    kiemtra("finding", "set", so, code, "--score", "0")
    assert _row(kiemtra, so, code)["score"] == 0.0
    done = kiemtra("finding", "set", so, code, "--result", "dat")
    assert f"{full:g} điểm" in done.stdout
    row = _row(kiemtra, so, code)
    assert row["result"] == "dat" and row["score"] == full


def test_service_dat_after_a_zero_score_gives_full_marks(
    store: Store, plan: tuple[str, str]
) -> None:
    so, _ = plan
    item = _item(store, so)
    findings.record(store, so, item["code"], score=0)
    row = findings.record(store, so, item["code"], result=Result.DAT)
    assert row["result"] == "dat" and row["score"] == float(item["max_score"])
    # A score the inspector gave is kept: Đạt then only changes the result.
    findings.record(store, so, item["code"], score=0.5)
    row = findings.record(store, so, item["code"], result=Result.DAT)
    assert row["score"] == 0.5
    # Không đạt scores 0, Không áp dụng clears the score, an explicit score wins.
    assert findings.record(store, so, item["code"], result=Result.KHONG_DAT)["score"] == 0.0
    assert findings.record(store, so, item["code"], result=Result.KHONG_AP_DUNG)["score"] is None
    row = findings.record(store, so, item["code"], result=Result.DAT, score=0.25)
    assert row["score"] == 0.25


def test_service_returns_the_whole_stored_finding(store: Store, plan: tuple[str, str]) -> None:
    so, _ = plan
    item = _item(store, so)
    row = findings.record(store, so, item["code"], note="Ghi nhận")
    assert row == store.findings.finding(so, item["item_id"])
    assert row["result"] is None and row["score"] is None and row["note"] == "Ghi nhận"


def test_service_refuses_what_the_window_refuses(store: Store, plan: tuple[str, str]) -> None:
    so, _ = plan
    item = _item(store, so)
    with pytest.raises(UserError, match="ngoài khoảng"):
        findings.record(store, so, item["code"], score=float(item["max_score"]) + 1)
    with pytest.raises(UserError, match="ngoài khoảng"):
        findings.record_changes(store, so, item, {"score": -1.0})
    text = _item(store, so, text=True)
    with pytest.raises(UserError, match="chỉ ghi nhận xét"):
        findings.record_changes(store, so, text, {"result": "dat"})
    assert store.findings.finding(so, item["item_id"]) is None
    assert store.findings.finding(so, text["item_id"]) is None


def test_record_changes_applies_the_default_score(store: Store, plan: tuple[str, str]) -> None:
    """The window's path (changes as a mapping) takes the same defaults as the CLI."""
    so, _ = plan
    item = _item(store, so)
    findings.record_changes(store, so, item, {"score": 0.0})
    row = findings.record_changes(store, so, item, {"result": "dat", "note": "  Đủ  "})
    assert row["score"] == float(item["max_score"]) and row["note"] == "  Đủ  "


def test_window_and_cli_agree(store: Store, plan: tuple[str, str]) -> None:
    """StoreAdapter.record (the window) goes through the same service: same defaults, and
    it announces the write or the refusal."""
    from desktop.ui.store_adapter import StoreAdapter

    so, _ = plan
    adapter = StoreAdapter(store)
    saved: list[str] = []
    changed: list[tuple[str, str]] = []
    failed: list[str] = []
    adapter.saved.connect(saved.append)
    adapter.findingChanged.connect(lambda i, f: changed.append((i, f)))
    adapter.failed.connect(failed.append)
    item = _item(store, so)
    assert adapter.record(so, item, {"score": 0.0}) is not None
    row = adapter.record(so, item, {"result": "dat"})
    assert row is not None and row["score"] == float(item["max_score"])
    assert len(saved) == 2 and changed == [(so, item["item_id"])] * 2 and not failed
    text = _item(store, so, text=True)
    assert adapter.record(so, text, {"result": "dat"}) is None
    assert len(failed) == 1 and "chỉ ghi nhận xét" in failed[0] and len(saved) == 2


def test_cli_result_on_a_percent_item_takes_the_step_points(
    kiemtra: Kiemtra, store: Store, plan: tuple[str, str]
) -> None:
    """A PERCENT item's result picked without the counts: the command line gives the points of
    the item's step for that result, as the window's buttons do (no "/4" in documents)."""
    from desktop.services import judging
    from desktop.ui.judging_controls import choice_changes

    so, _ = plan
    item = next(
        r
        for r in store.findings.inspection_items(so)
        if r["type"] == "PERCENT"
        and r["max_score"]
        and any(t["result"] == "mot-phan" for t in r["thresholds"])
    )
    expected = judging.step_points("mot-phan", item["thresholds"], float(item["max_score"]))
    assert expected is not None and 0 < expected < float(item["max_score"])
    kiemtra("finding", "set", so, item["code"], "--result", "mot-phan")
    row = _row(kiemtra, so, item["code"])
    assert row["result"] == "mot-phan" and row["score"] == expected
    assert choice_changes(item, "mot-phan")["score"] == expected
