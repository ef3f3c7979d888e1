"""Follow-up of recommendations: the remediation register, remediation reports and their checks.

Status of a recommendation, computed (never stored) from its deadline, today's date and its
remediation rows, so that it is right on every laptop on every day:

- the latest report decides when there is one: not yet checked → "da-bao-cao"; accepted →
  "da-xac-minh"; rejected → "khong-dat-yeu-cau" (it stays so until the unit sends a new report;
  it still counts as overdue, with its days overdue, once the deadline has passed);
- with no report: no deadline or more than 7 days left → "chua-den-han"; 0 to 7 days left
  (deadline today included) → "sap-den-han"; deadline passed → "qua-han".

`days_overdue` is the number of days past the deadline while the unit still owes a report
("qua-han", or "khong-dat-yeu-cau" past the deadline); 0 otherwise. Such a recommendation is
"overdue" (`overdue` = True): it is what reminders and the escalation list are about.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import Any

from db import Store
from desktop.domain import format_date, nfc
from desktop.services.errors import UserError

DUE_SOON_DAYS = 7


class FollowupStatus(StrEnum):
    CHUA_DEN_HAN = "chua-den-han"
    SAP_DEN_HAN = "sap-den-han"
    QUA_HAN = "qua-han"
    DA_BAO_CAO = "da-bao-cao"
    DA_XAC_MINH = "da-xac-minh"
    KHONG_DAT_YEU_CAU = "khong-dat-yeu-cau"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


# Everything the user reads about follow-up, in one place.
STATUS_LABELS = {
    FollowupStatus.CHUA_DEN_HAN: "Chưa đến hạn",
    FollowupStatus.SAP_DEN_HAN: "Sắp đến hạn",
    FollowupStatus.QUA_HAN: "Quá hạn",
    FollowupStatus.DA_BAO_CAO: "Đã báo cáo",
    FollowupStatus.DA_XAC_MINH: "Đã xác minh",
    FollowupStatus.KHONG_DAT_YEU_CAU: "Không đạt yêu cầu",
}
MESSAGES = {
    "no_recommendation": "Không có kiến nghị {id}",
    "no_ids": "Cần ít nhất một kiến nghị",
    "no_doc": "Cần số/ký hiệu văn bản báo cáo kết quả khắc phục",
    "no_note": "Cần nội dung đã khắc phục",
    "future": "Ngày báo cáo {date} sau ngày hôm nay ({today})",
    "already_ok": "Kiến nghị số {number} của {unit} đã được xác minh hoàn thành",
    "nothing_to_verify": "Kiến nghị số {number} của {unit} chưa có báo cáo khắc phục chờ xác minh",
    "reject_note": "Khi không chấp nhận báo cáo khắc phục cần ghi rõ lý do",
    "before_report": "Ngày xác minh {date} trước ngày báo cáo {reported}",
    "no_inspection": "Không có cuộc kiểm tra {id}",
    "no_plan": "Không có kế hoạch {id}",
    "no_data_dir": "Cơ sở dữ liệu trong bộ nhớ không có thư mục dữ liệu để lưu tệp đính kèm",
}


def _today(today: dt.date | None) -> dt.date:
    return today or dt.date.today()


def compute_status(
    deadline: str | None, remediations: list[dict[str, Any]], today: dt.date
) -> tuple[FollowupStatus, int]:
    """(status, days_overdue) of one recommendation; `remediations` oldest report first."""
    days_past = 0
    if deadline:
        days_past = (today - dt.date.fromisoformat(deadline[:10])).days
    if remediations:
        verdict = remediations[-1]["verdict"]
        if verdict == "ok":
            return FollowupStatus.DA_XAC_MINH, 0
        if verdict is None:
            return FollowupStatus.DA_BAO_CAO, 0
        return FollowupStatus.KHONG_DAT_YEU_CAU, max(days_past, 0)
    if not deadline or days_past < -DUE_SOON_DAYS:
        return FollowupStatus.CHUA_DEN_HAN, 0
    if days_past <= 0:
        return FollowupStatus.SAP_DEN_HAN, 0
    return FollowupStatus.QUA_HAN, days_past


def _with_status(store: Store, rows: list[dict[str, Any]], today: dt.date) -> list[dict[str, Any]]:
    trails = store.followup.remediations_of([r["id"] for r in rows])
    files = store.followup.remediation_attachment_rows(
        [m["id"] for trail in trails.values() for m in trail]
    )
    for row in rows:
        trail = trails[row["id"]]
        for report in trail:
            report["attachments"] = files[report["id"]]
        status, days = compute_status(row["deadline"], trail, today)
        row["status"] = status.value
        row["status_label"] = status.label
        row["days_overdue"] = days
        row["overdue"] = days > 0
        row["remediations"] = trail
        last = trail[-1] if trail else None
        row["reported_on"] = last["reported_on"] if last else None
        row["doc_number"] = last["doc_number"] if last else None
    return rows


def register(
    store: Store,
    plan_id: str | None = None,
    *,
    overdue_only: bool = False,
    unit_of: str | None = None,
    today: dt.date | None = None,
) -> list[dict[str, Any]]:
    """The remediation register: every live recommendation with unit, plan, deadline, status.

    `unit_of` (an inspection id) narrows it to every inspection of that inspection's unit,
    across plans and years. `overdue_only` keeps the recommendations counted as overdue.
    """
    unit_id = None
    if plan_id is not None and store.planning.plan(plan_id) is None:
        raise UserError(MESSAGES["no_plan"].format(id=plan_id))
    if unit_of is not None:
        inspection = store.planning.inspection(unit_of)
        if inspection is None:
            raise UserError(MESSAGES["no_inspection"].format(id=unit_of))
        unit_id = inspection["unit_id"]
    rows = _with_status(
        store,
        store.followup.followup_recommendations(plan_id=plan_id, unit_id=unit_id),
        _today(today),
    )
    if overdue_only:
        rows = [r for r in rows if r["overdue"]]
    return rows


def recommendation_status(
    store: Store, recommendation_id: str, today: dt.date | None = None
) -> dict[str, Any]:
    """One recommendation as it appears in the register."""
    row = store.core.live_row("recommendations", recommendation_id)
    if row is None:
        raise UserError(MESSAGES["no_recommendation"].format(id=recommendation_id))
    found = store.followup.followup_recommendations(inspection_id=row["inspection_id"])
    mine = [r for r in found if r["id"] == recommendation_id]
    if not mine:
        raise UserError(MESSAGES["no_recommendation"].format(id=recommendation_id))
    return _with_status(store, mine, _today(today))[0]


def open_recommendations_from_earlier(
    store: Store, inspection_id: str, today: dt.date | None = None
) -> list[dict[str, Any]]:
    """Recommendations from inspections of the same unit under plans of earlier years that
    are not verified as done — what the delegation must look at again on this visit."""
    inspection = store.planning.inspection(inspection_id)
    if inspection is None:
        raise UserError(MESSAGES["no_inspection"].format(id=inspection_id))
    plan = store.planning.plan(inspection["plan_id"])
    year = plan["year"] if plan else None
    rows = store.followup.followup_recommendations(unit_id=inspection["unit_id"], before_year=year)
    rows = _with_status(store, rows, _today(today))
    return [r for r in rows if r["status"] != FollowupStatus.DA_XAC_MINH]


def reinspected(
    store: Store, inspection_id: str, today: dt.date | None = None
) -> list[dict[str, Any]]:
    """A re-inspection's starting point: the recommendations of the inspection it re-checks
    (`reinspects_id`), each with its remediation status and `fixed` (verified as done);
    [] for any other inspection."""
    inspection = store.planning.inspection(inspection_id)
    if inspection is None:
        raise UserError(MESSAGES["no_inspection"].format(id=inspection_id))
    earlier = inspection.get("reinspects_id")
    if not earlier:
        return []
    rows = _with_status(
        store, store.followup.followup_recommendations(inspection_id=earlier), _today(today)
    )
    for row in rows:
        row["fixed"] = row["status"] == FollowupStatus.DA_XAC_MINH
    return rows


def _data_dir(store: Store, data_dir: str | Path | None) -> Path:
    if data_dir is not None:
        return Path(data_dir)
    if store.path is None:
        raise UserError(MESSAGES["no_data_dir"])
    from desktop.services.paths import data_dir_for

    return data_dir_for(Path(store.path))


def _store_files(
    store: Store, folder: Path, paths: Iterable[str | Path], max_mb: float | None
) -> list[dict[str, Any]]:
    """Copy each file into the content store of `folder`, read once (hashed while copied,
    refused past the size limit): {"sha256", "filename", "media_type", "size"}; the same
    content given twice is attached once. Content first, rows after: a stored file nobody
    refers to is harmless (attachments.collect_garbage removes it)."""
    from desktop.services import attachments as files

    limit = files.max_attachment_bytes(store, max_mb)
    out: dict[str, dict[str, Any]] = {}
    for raw in paths:
        source = Path(raw)
        if not source.exists():
            raise UserError(files.MESSAGES["missing"].format(path=source))
        if not source.is_file():
            raise UserError(files.MESSAGES["not_file"].format(path=source))
        sha, size = files.store_copy(folder, source, limit)
        name = nfc(source.name)
        out.setdefault(
            sha,
            {
                "sha256": sha,
                "filename": name,
                "media_type": files.media_type_of(name),
                "size": size,
            },
        )
    return list(out.values())


def attachment_view(data_dir: Path, row: dict[str, Any]) -> dict[str, Any]:
    """An attachment row with where its file is and whether it is there."""
    from desktop.services.attachments import display_name, is_image, path_of, safe_filename

    path = path_of(Path(data_dir), row["sha256"])
    return {
        **row,
        "display_name": display_name(row["filename"]),
        "safe_name": safe_filename(row["filename"]),
        "path": str(path),
        "missing": not path.is_file(),
        "is_image": is_image(row),
    }


def report_attachments(
    store: Store, remediation_id: str, data_dir: str | Path | None = None
) -> list[dict[str, Any]]:
    """The live files attached to one remediation report (attachment_view rows)."""
    folder = _data_dir(store, data_dir)
    rows = store.followup.remediation_attachment_rows([remediation_id])[remediation_id]
    return [attachment_view(folder, r) for r in rows]


def record_report(
    store: Store,
    recommendation_ids: Iterable[str],
    reported_on: dt.date,
    doc_number: str,
    note: str,
    *,
    today: dt.date | None = None,
    attachments: Iterable[str | Path] = (),
    data_dir: str | Path | None = None,
    max_mb: float | None = None,
) -> list[dict[str, Any]]:
    """A unit's remediation report (báo cáo kết quả khắc phục) covering one or more
    recommendations: one remediation row each, all in one transaction.

    `attachments` are files (the report itself, evidence) copied into the content store of
    `data_dir` (default: the database's data folder) and attached to every remediation row
    of the report; each returned row carries "attachments" (attachment_view rows). A file
    larger than attachments.max_attachment_bytes(store, max_mb) is refused.
    """
    ids = list(dict.fromkeys(nfc(i).strip() for i in recommendation_ids))
    doc_number, note = nfc(doc_number or "").strip(), nfc(note or "").strip()
    if not ids:
        raise UserError(MESSAGES["no_ids"])
    if not doc_number:
        raise UserError(MESSAGES["no_doc"])
    if not note:
        raise UserError(MESSAGES["no_note"])
    day = _today(today)
    if reported_on > day:
        raise UserError(
            MESSAGES["future"].format(date=format_date(reported_on), today=format_date(day))
        )
    current = [recommendation_status(store, rid, day) for rid in ids]
    for rec in current:
        if rec["status"] == FollowupStatus.DA_XAC_MINH:
            raise UserError(MESSAGES["already_ok"].format(number=rec["number"], unit=rec["unit"]))
    attachments = list(attachments)
    folder = _data_dir(store, data_dir) if attachments else None
    files = _store_files(store, folder, attachments, max_mb) if folder is not None else []
    out = []
    with store.transaction():
        for rec in current:
            row = store.followup.add_remediation(
                rec["id"],
                {"reported_on": reported_on.isoformat(), "doc_number": doc_number, "note": note},
            )
            row["attachments"] = (
                [
                    attachment_view(
                        folder,
                        store.followup.add_remediation_attachment(
                            row["id"],
                            {k: f[k] for k in ("sha256", "filename", "media_type", "size")},
                        ),
                    )
                    for f in files
                ]
                if folder is not None  # there is a folder exactly when there are files
                else []
            )
            out.append(row)
    return out


def verify(
    store: Store,
    recommendation_id: str,
    ok: bool,
    note: str = "",
    *,
    verified_on: dt.date | None = None,
) -> dict[str, Any]:
    """The reviewer accepts (ok) or rejects the latest unchecked report of a recommendation."""
    note = nfc(note or "").strip()
    if not ok and not note:
        raise UserError(MESSAGES["reject_note"])
    day = _today(verified_on)
    rec = recommendation_status(store, recommendation_id, day)
    pending = rec["remediations"][-1] if rec["remediations"] else None
    if pending is None or pending["verdict"] is not None:
        raise UserError(
            MESSAGES["nothing_to_verify"].format(number=rec["number"], unit=rec["unit"])
        )
    if pending["reported_on"] and day < dt.date.fromisoformat(pending["reported_on"]):
        raise UserError(
            MESSAGES["before_report"].format(
                date=format_date(day), reported=format_date(pending["reported_on"])
            )
        )
    with store.transaction():
        return store.followup.update_remediation(
            pending["id"],
            {
                "verdict": "ok" if ok else "reject",
                "verified_on": day.isoformat(),
                "verify_note": note,
            },
        )
