"""Conclusions (ưu điểm, tồn tại/hạn chế, nguyên nhân) and recommendations (kiến nghị).

`draft` suggests strengths and limitations per area from the recorded findings; the secretary
edits them and saves with `save_conclusion`. Recommendations are numbered 1..n per inspection,
each with a remediation deadline (default: the visit date, or today, + 30 days — DOMAIN.md).
Every function returns plain dicts; dates are ISO in dicts, dd/mm/yyyy in the "*_text" keys.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from db import Store
from desktop.domain import JudgingType, Result, format_date, nfc, parse_date
from desktop.services import judging
from desktop.services.errors import UserError

DEFAULT_DEADLINE_DAYS = 30
PASSED = {Result.DAT.value}

MESSAGES = {
    "no_inspection": "Không có cuộc kiểm tra {id}",
    "no_item": "Không có nội dung {code} trong bộ tiêu chí của cuộc kiểm tra này",
    "bad_date": "Thời hạn không hợp lệ: “{value}” (dạng dd/mm/yyyy)",
    "empty_text": "Nội dung kiến nghị không được để trống",
    "no_area": "Không có lĩnh vực {code} trong bộ tiêu chí của cuộc kiểm tra này",
    "no_recommendation": "Không có kiến nghị {id}",
    "summary": "Thực hiện tốt {passed}/{judged} nội dung được kiểm tra",
    "summary_all": "Thực hiện tốt toàn bộ {judged} nội dung được kiểm tra",
}
# How a limitation without an observation names what was missed: "Chưa đạt yêu cầu “…”".
LIMITATION_LABELS = {Result.KHONG_DAT.value: "Chưa đạt", Result.MOT_PHAN.value: "Đạt một phần"}


def _inspection(store: Store, inspection_id: str) -> dict[str, Any]:
    insp = store.planning.inspection(inspection_id)
    if insp is None:
        raise UserError(MESSAGES["no_inspection"].format(id=inspection_id))
    return insp


def _clean(text: str | None) -> str:
    return " ".join(nfc(text or "").split()).rstrip(" .;:")


def _strength(item: Mapping[str, Any]) -> str:
    """A passed item's observation, as written (the criterion is not the strength)."""
    return _clean(item.get("note"))


def _limitation(item: Mapping[str, Any]) -> str:
    """The observation of an item not passed; without one, the verdict and the requirement
    missed ("Chưa đạt yêu cầu “<item text>”"): never the criterion worded as a fact."""
    note = _clean(item.get("note"))
    if note:
        return note
    return f"{LIMITATION_LABELS[item['result']]} yêu cầu “{_clean(item['text'])}”"


def _observation(item: Mapping[str, Any]) -> str:
    """A TEXT item's observation with what it is about: "<item text>: <note>"."""
    return f"{_clean(item['text'])}: {_clean(item.get('note'))}"


def draft(store: Store, inspection_id: str) -> list[dict[str, Any]]:
    """Suggested conclusion per area, in checklist order.

    [{"area": code, "name": area name, "strengths": [...], "limitations": [...],
    "observations": [...]}]. Strengths: "Thực hiện tốt P/J nội dung được kiểm tra" (P passed
    of J judged; left out when nothing passed) and the observation of each passed item with
    one. Limitations: the observation of each item judged Không đạt or Đạt một phần (without
    one, "Chưa đạt yêu cầu “<item text>”"). Observations: TEXT items with a note, apart. The
    rule is `suggest`'s.
    """
    _inspection(store, inspection_id)
    return [
        {
            **area,
            "limitations": [text for _, text in area["limitations"]],
            "observations": [text for _, text in area["observations"]],
        }
        for area in _drafts(store.findings.inspection_items(inspection_id))
    ]


def _drafts(items: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in area.items() if k != "strength_codes"} for area in suggest(items)]


def suggest(items: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The one rule that turns findings into strengths and limitations, per area in the items'
    order: the draft the secretary edits, and the notice's text when none was saved.

    `items` are inspection_items rows (area_code, area_name, code, text, type, result, note).
    Each area: {"area", "name", "strengths": [str], "strength_codes": [item code or None],
    "limitations": [(item code, str)], "observations": [(item code, str)]}. Only judged
    items are strengths or limitations (an observation without a result may still be
    pending); a TEXT item (observation only, such
    as the unit's own requests) is never an ưu điểm: its note goes to "observations".
    """
    areas: dict[str, dict[str, Any]] = {}
    counts: dict[str, list[int]] = {}
    for item in items:
        code = item["area_code"]
        area = areas.setdefault(
            code,
            {
                "area": code,
                "name": item["area_name"],
                "strengths": [],
                "strength_codes": [],  # the item of each strength line (None: the summary)
                "limitations": [],
                "observations": [],
            },
        )
        tally = counts.setdefault(code, [0, 0])
        result = item.get("result")
        if item.get("type") == JudgingType.TEXT.value:
            if _clean(item.get("note")):
                area["observations"].append((item["code"], _observation(item)))
        elif result in PASSED:
            tally[0] += 1
            tally[1] += 1
            # the same observation on several items is one strength, said once
            if _clean(item.get("note")) and _strength(item) not in area["strengths"]:
                area["strengths"].append(_strength(item))
                area["strength_codes"].append(item["code"])
        elif result in judging.NOT_PASSED:
            tally[1] += 1
            area["limitations"].append((item["code"], _limitation(item)))
    for code, area in areas.items():
        passed, judged = counts[code]
        if passed:
            key = "summary_all" if passed == judged else "summary"
            area["strengths"].insert(0, MESSAGES[key].format(passed=passed, judged=judged))
            area["strength_codes"].insert(0, None)
    return list(areas.values())


def _text(value: str | list[str] | None) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n".join(nfc(v).strip() for v in value if v and v.strip())
    return nfc(value).strip()


def save_conclusion(
    store: Store,
    inspection_id: str,
    area_code: str,
    strengths: str | list[str] = "",
    limitations: str | list[str] = "",
    causes: str | list[str] = "",
) -> dict[str, Any]:
    """Save one area's conclusion (lists are joined one per line); area_code '' = whole unit."""
    insp = _inspection(store, inspection_id)
    if area_code and insp["checklist_version_id"]:
        known = {
            a["code"] for a in store.checklists.checklist(insp["checklist_version_id"])["areas"]
        }
        if area_code not in known:
            raise UserError(MESSAGES["no_area"].format(code=area_code))
    fields = {
        "strengths": _text(strengths),
        "limitations": _text(limitations),
        "causes": _text(causes),
    }
    with store.transaction():
        row = store.outcomes.save_conclusion(inspection_id, area_code, fields)
    return _conclusion_view(row)


def set_conclusion(
    store: Store,
    inspection_id: str,
    area_code: str,
    strengths: str | None = None,
    limitations: str | None = None,
    causes: str | None = None,
) -> dict[str, Any]:
    """Save what is given of one area's conclusion, keeping the fields not given (None) as
    saved before (`kiemtra conclusion set`): save_conclusion with the rest filled in."""
    saved = next(
        (c for c in list_conclusions(store, inspection_id) if c["area_code"] == area_code), {}
    )
    given = {"strengths": strengths, "limitations": limitations, "causes": causes}
    fields = {k: v if v is not None else saved.get(k) or "" for k, v in given.items()}
    return save_conclusion(store, inspection_id, area_code, **fields)


def _conclusion_view(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "inspection_id": row["inspection_id"],
        "area_code": row["area_code"],
        "strengths": row["strengths"],
        "limitations": row["limitations"],
        "causes": row["causes"],
    }


def list_conclusions(store: Store, inspection_id: str) -> list[dict[str, Any]]:
    """Saved conclusions of an inspection, one per area."""
    _inspection(store, inspection_id)
    return [_conclusion_view(r) for r in store.outcomes.conclusions(inspection_id)]


def deadline_after(visit_date: str | dt.date | None, today: dt.date | None = None) -> dt.date:
    """The one rule of the default remediation deadline (README, DOMAIN.md): the visit date
    + 30 days; `today` (else the real today) + 30 days when no visit date is recorded."""
    if isinstance(visit_date, str):
        visit_date = dt.date.fromisoformat(visit_date[:10]) if visit_date else None
    return (visit_date or today or dt.date.today()) + dt.timedelta(days=DEFAULT_DEADLINE_DAYS)


def deadline_from_visit(visit_date: str | dt.date | None) -> dt.date | None:
    """The deadline a document states for a recommendation nobody wrote (derived from a
    limitation): the rule of deadline_after from the visit date; None without a visit date
    (the document then says "theo kế hoạch khắc phục": no date is invented)."""
    if not visit_date:
        return None
    return deadline_after(visit_date)


def default_deadline(store: Store, inspection_id: str, today: dt.date | None = None) -> dt.date:
    """The default deadline of a recommendation of this inspection (deadline_after)."""
    insp = _inspection(store, inspection_id)
    return deadline_after(insp.get("visit_date"), today)


def _deadline(value: str | dt.date | None) -> dt.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return parse_date(value)
    except ValueError as exc:
        raise UserError(MESSAGES["bad_date"].format(value=value)) from exc


def _rec_view(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "number": row["number"],
        "text": row["text"],
        "item_code": row["item_code"],
        "area_code": row["area_code"],
        "responsible": row["responsible"],
        "deadline": row["deadline"],
        "deadline_text": format_date(row["deadline"]),
        "status": row["status"],
    }


def add_recommendation(
    store: Store,
    inspection_id: str,
    text: str,
    item_code: str | None = None,
    deadline: str | dt.date | None = None,
    responsible: str = "",
    area_code: str | None = None,
) -> dict[str, Any]:
    """Add recommendation n+1; an item code also sets its area; deadline dd/mm/yyyy or date."""
    _inspection(store, inspection_id)
    text = nfc(text or "").strip()
    if not text:
        raise UserError(MESSAGES["empty_text"])
    when = _deadline(deadline) or default_deadline(store, inspection_id)
    if item_code:
        item_code = item_code.strip()
        item_id = store.findings.item_id_for_code(inspection_id, item_code)
        if item_id is None:
            raise UserError(MESSAGES["no_item"].format(code=item_code))
        area_code = store.outcomes.item_area_code(item_id) or area_code
    fields = {
        "text": text,
        "item_code": item_code or None,
        "area_code": area_code or None,
        "responsible": nfc(responsible or "").strip(),
        "deadline": when.isoformat(),
    }
    with store.transaction():
        row = store.outcomes.add_recommendation(inspection_id, fields)
    return _rec_view(row)


def list_recommendations(store: Store, inspection_id: str) -> list[dict[str, Any]]:
    """Live recommendations by number."""
    _inspection(store, inspection_id)
    return [_rec_view(r) for r in store.outcomes.recommendations(inspection_id)]


def update_recommendation(
    store: Store,
    rec_id: str,
    *,
    text: str | None = None,
    deadline: str | dt.date | None = None,
    responsible: str | None = None,
) -> dict[str, Any]:
    """Change text, deadline or responsible unit of one recommendation (None = unchanged)."""
    row = store.core.live_row("recommendations", rec_id)
    if row is None:
        raise UserError(MESSAGES["no_recommendation"].format(id=rec_id))
    changes: dict[str, Any] = {}
    if text is not None:
        if not nfc(text).strip():
            raise UserError(MESSAGES["empty_text"])
        changes["text"] = nfc(text).strip()
    if deadline is not None:
        parsed = _deadline(deadline)
        changes["deadline"] = parsed.isoformat() if parsed else None
    if responsible is not None:
        changes["responsible"] = nfc(responsible).strip()
    with store.transaction():
        updated = store.outcomes.update_recommendation(rec_id, changes)
    # The number it is shown with (unique per inspection after a merge), not the stored one.
    shown = store.outcomes.shown_number(updated["inspection_id"], rec_id)
    return _rec_view({**updated, "number": shown or updated["number"]})


def delete_recommendation(store: Store, rec_id: str) -> None:
    """Tombstone a recommendation."""
    row = store.core.live_row("recommendations", rec_id)
    if row is None:
        raise UserError(MESSAGES["no_recommendation"].format(id=rec_id))
    store.outcomes.delete_recommendation(rec_id)
