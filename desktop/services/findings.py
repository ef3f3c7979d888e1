"""Recording findings with the rules of the checklist (result codes, score bounds).

The one write path for a finding: the window (StoreAdapter.record) and the command line
(`kiemtra finding set`) both call `record_changes`, so one rule decides the score a result
brings (judging.result_changes: Đạt without points gives full marks).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from db import Store
from desktop.domain import Result, nfc
from desktop.services import judging
from desktop.services.errors import UserError


def _item(store: Store, inspection_id: str, item_code: str) -> dict[str, Any]:
    if store.planning.inspection(inspection_id) is None:
        raise UserError(f"Không có cuộc kiểm tra {inspection_id}")
    for row in store.findings.inspection_items(inspection_id):
        if row["code"] == item_code:
            return dict(row)
    raise UserError(f"Nội dung {item_code} không áp dụng hoặc không có trong cuộc kiểm tra này")


def record_changes(
    store: Store,
    inspection_id: str,
    item: Mapping[str, Any],
    changes: Mapping[str, Any],
    *,
    recorded_by: str = "",
) -> dict[str, Any]:
    """Write part of the finding for `item` (an inspection_items row) in one transaction.

    Texts are NFC-normalised; a result must suit the item's judging type and a score its
    bounds (UserError otherwise). A result given without a score takes the default score of
    judging.result_changes. Returns the whole stored finding.
    """
    clean: dict[str, Any] = {k: nfc(v) if isinstance(v, str) else v for k, v in changes.items()}
    max_score = float(item.get("max_score") or 0)
    try:
        if "result" in clean:
            judging.check_result(str(item.get("type") or ""), clean["result"])
        if "score" in clean:
            judging.check_score(clean["score"], max_score)
    except ValueError as exc:
        raise UserError(str(exc)) from exc
    if clean.get("result") and "score" not in clean:
        # The stored score, not the caller's copy of the row: it may be stale.
        current = store.findings.finding(inspection_id, item["item_id"])
        current_score = current["score"] if current else None
        defaults = judging.picked_result_changes(Result(clean["result"]), item, current_score)
        clean = {**defaults, **clean}
    row = store.findings.set_finding(inspection_id, item["item_id"], clean, recorded_by=recorded_by)
    # set_finding returns only the columns it wrote for a new finding: read the whole row.
    return store.findings.finding(inspection_id, item["item_id"]) or row


def record(
    store: Store,
    inspection_id: str,
    item_code: str,
    *,
    result: Result | None = None,
    score: float | None = None,
    note: str | None = None,
    recorded_by: str = "",
) -> dict[str, Any]:
    """Record a result/score/note for the item `item_code`; fields left None are not changed."""
    item = _item(store, inspection_id, item_code)
    changes: dict[str, Any] = {}
    if result is not None:
        changes["result"] = result.value
    if score is not None:
        changes["score"] = float(score)
    if note is not None:
        changes["note"] = note
    try:
        return record_changes(store, inspection_id, item, changes, recorded_by=recorded_by)
    except UserError as exc:
        # On the command line the item is not on screen: say which one was refused.
        raise UserError(f"{item_code}: {exc}") from exc
