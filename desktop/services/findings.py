"""Recording findings with the rules of the checklist (result codes, score bounds)."""

from __future__ import annotations

from typing import Any

from db import Store
from desktop.domain import Result, nfc
from desktop.services import judging
from desktop.services.errors import UserError


def _item(store: Store, inspection_id: str, item_code: str) -> dict[str, Any]:
    if store.inspection(inspection_id) is None:
        raise UserError(f"Không có cuộc kiểm tra {inspection_id}")
    for row in store.inspection_items(inspection_id):
        if row["code"] == item_code:
            return row
    raise UserError(f"Nội dung {item_code} không áp dụng hoặc không có trong cuộc kiểm tra này")


def check_score(score: float | None, max_score: float) -> None:
    """A score must lie between 0 and the item's maximum."""
    if score is None:
        return
    if score < 0 or score > max_score:
        raise UserError(f"Điểm {score:g} ngoài khoảng cho phép 0–{max_score:g}")


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
    """Record a result/score/note for one item; fields left None are not changed."""
    item = _item(store, inspection_id, item_code)
    try:
        # The window's rule too (StoreAdapter.record): a TEXT item takes an observation only.
        judging.check_result(str(item.get("type") or ""), result.value if result else None)
    except ValueError as exc:
        raise UserError(f"{item_code}: {exc}") from exc
    check_score(score, item["max_score"])
    changes: dict[str, Any] = {}
    if result is not None:
        changes["result"] = result.value
        if score is None and item["max_score"]:
            # A sensible default the inspector can override: full marks for Đạt, none otherwise.
            if result == Result.DAT and item["score"] is None:
                changes["score"] = item["max_score"]
            elif result in (Result.KHONG_DAT, Result.KHONG_AP_DUNG):
                changes["score"] = 0.0 if result == Result.KHONG_DAT else None
    if score is not None:
        changes["score"] = float(score)
    if note is not None:
        changes["note"] = nfc(note)
    return store.set_finding(inspection_id, item["item_id"], changes, recorded_by=recorded_by)
