"""Evidence documents (tài liệu kiểm chứng) of a finding: số/ký hiệu, ngày, trích yếu.

Dates come in as dd/mm/yyyy (or a date) and are stored ISO. Every function returns plain dicts:
{"id", "finding_id", "number", "issued_on" (ISO or None), "issued_on_text" (dd/mm/yyyy or ""),
"summary", "position"}. Deleting is a tombstone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from db import Store
from desktop.domain import format_date, nfc, parse_date
from desktop.services.errors import UserError

MESSAGES = {
    "no_inspection": "Không có cuộc kiểm tra {id}",
    "no_item": "Nội dung không có trong cuộc kiểm tra này",
    "bad_date": "Ngày văn bản không hợp lệ: “{value}” (dạng dd/mm/yyyy)",
    "empty": "Cần ít nhất số/ký hiệu hoặc trích yếu của tài liệu",
    "no_doc": "Không có tài liệu kiểm chứng {id}",
}


def _date(value: str | dt.date | None) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return parse_date(value).isoformat()
    except ValueError as exc:
        raise UserError(MESSAGES["bad_date"].format(value=value)) from exc


def _view(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "finding_id": row["finding_id"],
        "number": row["number"],
        "issued_on": row["issued_on"],
        "issued_on_text": format_date(row["issued_on"]),
        "summary": row["summary"],
        "position": row["position"],
    }


def _check_item(store: Store, inspection_id: str, item_id: str) -> None:
    if store.planning.inspection(inspection_id) is None:
        raise UserError(MESSAGES["no_inspection"].format(id=inspection_id))
    if not any(r["item_id"] == item_id for r in store.findings.inspection_items(inspection_id)):
        raise UserError(MESSAGES["no_item"])


def list_evidence(store: Store, inspection_id: str, item_id: str) -> list[dict[str, Any]]:
    """The live documents recorded for one item at one inspection."""
    fid = store.findings.finding(inspection_id, item_id)
    return [_view(r) for r in store.evidence.evidence_docs(fid["id"])] if fid else []


def add_evidence(
    store: Store,
    inspection_id: str,
    item_id: str,
    number: str = "",
    issued_on: str | dt.date | None = None,
    summary: str = "",
) -> dict[str, Any]:
    """Add a document to the item's finding (creating an empty finding if none exists yet)."""
    _check_item(store, inspection_id, item_id)
    number, summary = nfc(number or "").strip(), nfc(summary or "").strip()
    if not number and not summary:
        raise UserError(MESSAGES["empty"])
    fields = {"number": number, "issued_on": _date(issued_on), "summary": summary}
    with store.transaction():
        row = store.evidence.add_evidence_doc(inspection_id, item_id, fields)
    return _view(row)


def update_evidence(
    store: Store,
    evidence_id: str,
    *,
    number: str | None = None,
    issued_on: str | dt.date | None = None,
    summary: str | None = None,
    clear_date: bool = False,
) -> dict[str, Any]:
    """Change some fields of a document (None = unchanged; clear_date=True empties the date)."""
    existing = store.core.live_row("evidence_docs", evidence_id)
    if existing is None:
        raise UserError(MESSAGES["no_doc"].format(id=evidence_id))
    changes: dict[str, Any] = {}
    if number is not None:
        changes["number"] = nfc(number).strip()
    if summary is not None:
        changes["summary"] = nfc(summary).strip()
    if clear_date:
        changes["issued_on"] = None
    elif issued_on is not None:
        changes["issued_on"] = _date(issued_on)
    merged = {**existing, **changes}
    if not merged["number"] and not merged["summary"]:
        raise UserError(MESSAGES["empty"])
    with store.transaction():
        row = store.evidence.update_evidence_doc(evidence_id, changes)
    return _view(row)


def delete_evidence(store: Store, evidence_id: str) -> None:
    """Tombstone a document (it disappears from lists and search)."""
    existing = store.core.live_row("evidence_docs", evidence_id)
    if existing is None:
        raise UserError(MESSAGES["no_doc"].format(id=evidence_id))
    store.evidence.delete_evidence_doc(evidence_id)
