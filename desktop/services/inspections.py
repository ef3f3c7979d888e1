"""One visit's lifecycle: visit date and place, and its status.

Statuses (desktop.domain.InspectionStatus): chua-kiem-tra → dang-kiem-tra (the first inspector
finding, or `reopen`) → da-kiem-tra (`finish_visit`) → da-ket-luan (`mark_concluded`);
`reopen` goes back to dang-kiem-tra from either later step. Each function is one transaction,
audited, and returns the inspection as a plain dict:
{"id", "unit", "status", "status_label", "visit_date" (ISO or None), "visit_date_text"
(dd/mm/yyyy or ""), "place"}.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from db import Store
from desktop.domain import InspectionStatus, format_date, nfc
from desktop.services.errors import UserError

CHUA, DANG, DA_KIEM_TRA, DA_KET_LUAN = (
    InspectionStatus.CHUA_KIEM_TRA.value,
    InspectionStatus.DANG_KIEM_TRA.value,
    InspectionStatus.DA_KIEM_TRA.value,
    InspectionStatus.DA_KET_LUAN.value,
)

MESSAGES = {
    "no_inspection": "Không có cuộc kiểm tra {id}",
    "finish_unstarted": "Chưa thể kết thúc: cuộc kiểm tra tại {unit} chưa bắt đầu",
    "finish_concluded": (
        "Cuộc kiểm tra tại {unit} đã kết luận; mở lại trước khi sửa trạng thái kiểm tra"
    ),
    "conclude_unstarted": "Chưa thể kết luận: cuộc kiểm tra tại {unit} chưa bắt đầu",
    "bad_date": "Ngày kiểm tra không hợp lệ: “{value}”",
}

# Which statuses each step may start from (the target itself is a no-op).
_ALLOWED = {
    DA_KIEM_TRA: {DANG},
    DA_KET_LUAN: {DANG, DA_KIEM_TRA},
    DANG: {CHUA, DA_KIEM_TRA, DA_KET_LUAN},
}


def _inspection(store: Store, inspection_id: str) -> dict[str, Any]:
    insp = store.planning.inspection(inspection_id)
    if insp is None:
        raise UserError(MESSAGES["no_inspection"].format(id=inspection_id))
    return insp


def view(row: dict[str, Any]) -> dict[str, Any]:
    """The plain dict every function here returns."""
    status = row["status"]
    try:
        label = InspectionStatus(status).label
    except ValueError:
        label = status
    return {
        "id": row["id"],
        "unit": row.get("unit_name") or row.get("unit") or "",
        "status": status,
        "status_label": label,
        "visit_date": row.get("visit_date"),
        "visit_date_text": format_date(row.get("visit_date")),
        "place": row.get("place") or "",
    }


def set_visit(
    store: Store,
    inspection_id: str,
    visit_date: dt.date | None = None,
    place: str | None = None,
) -> dict[str, Any]:
    """Record the visit date and/or place (None = leave as is)."""
    changes: dict[str, Any] = {}
    if visit_date is not None:
        if not isinstance(visit_date, dt.date):
            raise UserError(MESSAGES["bad_date"].format(value=visit_date))
        if isinstance(visit_date, dt.datetime):
            visit_date = visit_date.date()
        changes["visit_date"] = visit_date.isoformat()
    if place is not None:
        changes["place"] = nfc(place).strip()
    with store.transaction():
        insp = _inspection(store, inspection_id)
        if changes:
            insp = store.core.update_row("inspections", inspection_id, changes)
    return view(insp)


def _move(store: Store, inspection_id: str, target: str) -> dict[str, Any]:
    with store.transaction():
        insp = _inspection(store, inspection_id)
        current = insp["status"]
        if current == target:
            return view(insp)
        if current not in _ALLOWED[target]:
            unit = insp["unit_name"]
            if target == DA_KIEM_TRA and current == DA_KET_LUAN:
                raise UserError(MESSAGES["finish_concluded"].format(unit=unit))
            key = "finish_unstarted" if target == DA_KIEM_TRA else "conclude_unstarted"
            raise UserError(MESSAGES[key].format(unit=unit))
        changes: dict[str, Any] = {"status": target}
        if current == CHUA and not insp.get("visit_date"):
            changes["visit_date"] = dt.date.today().isoformat()
        insp = store.core.update_row("inspections", inspection_id, changes)
    return view(insp)


def finish_visit(store: Store, inspection_id: str) -> dict[str, Any]:
    """The delegation has left the unit: status "da-kiem-tra" (from "dang-kiem-tra")."""
    return _move(store, inspection_id, DA_KIEM_TRA)


def mark_concluded(store: Store, inspection_id: str) -> dict[str, Any]:
    """The conclusion notice is issued: status "da-ket-luan" (refused for an unstarted visit)."""
    return _move(store, inspection_id, DA_KET_LUAN)


def reopen(store: Store, inspection_id: str) -> dict[str, Any]:
    """Back to "dang-kiem-tra" (also starts a visit never started, dating it today if undated)."""
    return _move(store, inspection_id, DANG)


def set_status(store: Store, inspection_id: str, status: str) -> dict[str, Any]:
    """Move to `status` (dang-kiem-tra, da-kiem-tra or da-ket-luan) by the rules above."""
    steps = {DANG: reopen, DA_KIEM_TRA: finish_visit, DA_KET_LUAN: mark_concluded}
    if status not in steps:
        raise UserError(f"Trạng thái không hợp lệ: “{status}”")
    return steps[status](store, inspection_id)


def conflicted_item_ids(store: Store, inspection_id: str) -> set[str]:
    """Item ids of this inspection's findings that have an unresolved sync conflict."""
    return store.sync.conflicts.conflicted_finding_items(inspection_id)
