"""History of a finding and the integrity of the hash-chained audit log.

`finding_history` turns the audit entries of a finding (and of its evidence documents and
attachments) into one readable line per changed field:
{"at" (ISO), "at_text" (dd/mm/yyyy HH:MM), "who", "field" (Vietnamese label), "old", "new"
(readable text, "" for nothing), "action" ('insert' | 'update')}.
`verify` walks the chain: {"ok", "entries", "broken_seq", "broken_at", "message"}; it also
compares the newest entry with the head recorded at each append, so a deleted tail shows
("Nhật ký bị cắt cụt sau mục số N", broken_seq N+1). `check_findings` compares each
finding this laptop wrote with the values its audit entries last recorded (an edit made
outside the app leaves none); `audit verify` runs both, then desktop.sync.audit_head's check
of the head signed with the device key. `who` is the entry's actor (the person
named by `--as`, or by "Tôi là" in the window), else the finding's recorded_by, else the
device name.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from db import Store
from db.store import finding_id
from desktop.domain import Result, format_date
from desktop.services.judging import value_label

FIELD_LABELS = {
    ("findings", "result"): "Kết quả",
    ("findings", "score"): "Điểm",
    ("findings", "note"): "Nhận xét",
    ("findings", "numerator"): "Tử số",
    ("findings", "denominator"): "Mẫu số",
    ("findings", "value"): "Giá trị",
    ("findings", "self_result"): "Kết quả tự đánh giá",
    ("findings", "self_score"): "Điểm tự chấm",
    ("findings", "self_evidence"): "Tài liệu tự đánh giá",
    ("findings", "deleted"): "Kết quả kiểm tra",
    ("evidence_docs", "number"): "Tài liệu kiểm chứng: số/ký hiệu",
    ("evidence_docs", "issued_on"): "Tài liệu kiểm chứng: ngày",
    ("evidence_docs", "summary"): "Tài liệu kiểm chứng: trích yếu",
    ("evidence_docs", "deleted"): "Tài liệu kiểm chứng",
    ("attachments", "filename"): "Tệp đính kèm",
    ("attachments", "deleted"): "Tệp đính kèm",
}
# The fields of each table a finding's history reads from an entry's old/new: the labelled
# ones and the member it names (`who`). A synced insert records only these.
HISTORY_FIELDS = {
    table: frozenset({f for t, f in FIELD_LABELS if t == table} | {"recorded_by"})
    for table in dict.fromkeys(t for t, _ in FIELD_LABELS)
}
DELETED, RESTORED = "Đã xóa", "Khôi phục"
SYNCED = "{who} (qua đồng bộ)"
MESSAGES = {
    "intact": "Nhật ký toàn vẹn ({n} mục)",
    "broken": "Nhật ký bị sửa đổi hoặc hỏng từ mục số {seq} (ghi lúc {at}); {n} mục trong nhật ký",
    "truncated": "Nhật ký bị cắt cụt sau mục số {seq}; {n} mục còn lại trong nhật ký",
    "unaudited": (
        "Dữ liệu bị sửa ngoài chương trình: {field} của nội dung {item} (kiểm tra {inspection}) là "
        "“{current}” nhưng nhật ký ghi “{audited}”; {k} chỗ không khớp với nhật ký"
    ),
}


def _at_text(at: str | None) -> str:
    if not at:
        return ""
    try:
        return dt.datetime.fromisoformat(at).strftime("%d/%m/%Y %H:%M")
    except ValueError:
        return at


def _readable(table: str, field: str, value: Any, judging_type: str | None = None) -> str:
    """The text a person reads for a stored value: labels, not codes."""
    if value is None or value == "":
        return ""
    if table == "findings" and field == "value" and isinstance(value, str):
        # A measure's code (co/khong, tot/dat/chua-dat) means what the item's type says.
        return value_label(judging_type, value)
    if field == "deleted":
        return DELETED if value else RESTORED
    if field in ("result", "self_result"):
        try:
            return Result(value).label
        except ValueError:
            return str(value)
    if field == "issued_on":
        return format_date(value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def finding_history(store: Store, inspection_id: str, item_id: str) -> list[dict[str, Any]]:
    """Every change to the finding of one item at one inspection, oldest first."""
    entries: list[dict[str, Any]] = []
    item = store.core.get_row("checklist_items", item_id)
    judging_type = item["type"] if item else None
    for entry in store.core.finding_audit(finding_id(inspection_id, item_id)):
        table = entry["table_name"]
        old = json.loads(entry["old"]) if entry["old"] else {}
        new = json.loads(entry["new"]) if entry["new"] else {}
        who = entry["actor"] or new.get("recorded_by") or entry["device_name"] or ""
        if entry["action"] == "sync":
            # A change merged from a package: its author, and how it came here.
            who = SYNCED.format(who=who or entry["device_name"] or entry["device_id"])
        for key in new.keys() | old.keys():
            if (table, key) not in FIELD_LABELS:
                continue
            if key == "deleted" and (entry["action"] == "insert" or (not old and not new.get(key))):
                continue  # a row's first version (made here or merged) is no restore
            before = _readable(table, key, old.get(key), judging_type)
            after = _readable(table, key, new.get(key), judging_type)
            if before == after:
                continue
            entries.append(
                {
                    "seq": entry["seq"],
                    "at": entry["at"],
                    "at_text": _at_text(entry["at"]),
                    "who": who,
                    "field": FIELD_LABELS[(table, key)],
                    "old": before,
                    "new": after,
                    "action": entry["action"],
                    "_order": list(FIELD_LABELS).index((table, key)),
                }
            )
    entries.sort(key=lambda e: (e["seq"], e.pop("_order")))
    return entries


def verify(store: Store) -> dict[str, Any]:
    """Check every link of the audit chain; report the first broken entry."""
    count = store.core.audit_count()
    broken = store.core.verify_audit()
    truncated = store.core.audit_truncated_after() if broken is None else None
    if truncated is not None:
        return {
            "ok": False,
            "entries": count,
            "broken_seq": truncated + 1,
            "broken_at": None,
            "message": MESSAGES["truncated"].format(seq=truncated, n=count),
        }
    if broken is None:
        return {
            "ok": True,
            "entries": count,
            "broken_seq": None,
            "broken_at": None,
            "message": MESSAGES["intact"].format(n=count),
        }
    entry = store.core.audit_entry(broken) or {}
    at = entry.get("at")
    return {
        "ok": False,
        "entries": count,
        "broken_seq": broken,
        "broken_at": at,
        "message": MESSAGES["broken"].format(seq=broken, at=_at_text(at) or "?", n=count),
    }


def check_findings(store: Store) -> dict[str, Any] | None:
    """None when every finding this laptop wrote says what the audit log last recorded for
    its labelled fields; else {"ok": False, "broken_seq": None, "broken_at": None, "message"}
    naming the first that does not (an edit outside the app leaves no audit entry: only
    this comparison sees it). Versions merged from other laptops are not compared: a merge
    made before merges were traced (issue 15, finding 6) left no entry."""
    fields = sorted(f for t, f in FIELD_LABELS if t == "findings")
    mismatches = store.core.audit_mismatches("findings", fields, [store.device_id])
    if not mismatches:
        return None
    first = mismatches[0]
    row = store.core.get_row("findings", first["row_id"]) or {}
    item = store.core.get_row("checklist_items", row.get("item_id") or "") or {}
    judging_type = item.get("type")
    unit = store.core.get_row("inspections", row.get("inspection_id") or "") or {}
    field = first["field"]
    message = MESSAGES["unaudited"].format(
        field=FIELD_LABELS[("findings", field)],
        item=row.get("item_code") or first["row_id"],
        inspection=unit.get("unit_name") or row.get("inspection_id") or "?",
        current=_readable("findings", field, first["current"], judging_type),
        audited=_readable("findings", field, first["audited"], judging_type),
        k=len(mismatches),
    )
    return {"ok": False, "broken_seq": None, "broken_at": None, "message": message}
