"""Reminders and escalation for recommendations past their deadline: the content.

- `reminder_letter` builds the content of a công văn đôn đốc (a plain `Letter`), per inspected
  unit, listing its overdue recommendations.
- `escalation` lists the units with overdue recommendations, with counts, for the submission to
  UBND tỉnh (or UBND Thành phố: desktop.domain.locality).

Drawing them (DOCX, PDF, XLSX) is desktop.reports.reminders' job, like every other document.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, TypedDict

from db import Store
from desktop.domain import (
    department_signer,
    document_number,
    format_date,
    locality,
    official_date,
)
from desktop.services import followup
from desktop.services.errors import UserError

DEFAULT_REPLY_DAYS = 15
FORMATS = ("pdf", "docx")
DEFAULT_SYMBOL = "SNV-CCHC"  # ký hiệu of Sở Nội vụ's letters, "Số: 88/SNV-CCHC"
SYMBOL_SETTING = "reminder.symbol"


class Texts(TypedDict):
    """The keys of TEXT: strings, and lists of strings for the multi-line parts."""

    issuer: str
    number: str
    number_blank: str
    subject: str
    nation: str
    motto: str
    to: str
    opening: str
    status: str
    table_head: list[str]
    rejected_mark: str
    request: str
    warning: str
    recipients_title: str
    recipients: list[str]
    page_number: str
    xlsx_sheet: str
    xlsx_title: str
    xlsx_as_of: str
    xlsx_head: list[str]
    no_overdue: str
    bad_format: str
    no_folder: str
    cannot_write: str
    bad_days: str


# Everything the user reads in these documents, in one place.
TEXT: Texts = {
    "issuer": "SỞ NỘI VỤ",
    "number": "Số: {number}",
    "number_blank": "\u00a0" * 8,
    "subject": "V/v đôn đốc thực hiện kết luận kiểm tra công tác cải cách hành chính",
    "nation": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "motto": "Độc lập - Tự do - Hạnh phúc",
    "to": "Kính gửi: {unit}.",
    "opening": (
        "Thực hiện Kế hoạch số {plan} {plan_date}của {issuer} về kiểm tra công tác cải cách "
        "hành chính năm {year}, Đoàn kiểm tra cải cách hành chính của {level} đã kiểm tra tại "
        "{unit}{visit} và Sở Nội vụ đã thông báo kết luận kiểm tra{notice}, trong đó có các kiến "
        "nghị kèm thời hạn khắc phục."
    ),
    "status": (
        "Đến ngày {today}, {unit} chưa hoàn thành việc khắc phục và báo cáo kết quả khắc phục "
        "đối với {count} kiến nghị đã quá thời hạn, cụ thể như sau:"
    ),
    "table_head": ["Số", "Nội dung kiến nghị", "Thời hạn khắc phục", "Số ngày quá hạn"],
    "rejected_mark": " (báo cáo khắc phục không đạt yêu cầu)",
    "request": (
        "Sở Nội vụ đề nghị {unit} khẩn trương chỉ đạo khắc phục các nội dung nêu trên và báo "
        "cáo kết quả khắc phục (kèm tài liệu kiểm chứng) về {committee} (qua Sở Nội "
        "vụ) trong thời hạn {days} ngày kể từ ngày ký văn bản này, chậm nhất ngày {reply_by}."
    ),
    "warning": (
        "Quá thời hạn trên, Sở Nội vụ sẽ tổng hợp, báo cáo Chủ tịch {committee} xem "
        "xét, xử lý trách nhiệm người đứng đầu theo quy định./."
    ),
    "recipients_title": "Nơi nhận:",
    "recipients": [
        "- Như trên;",
        "- {committee_short} (để báo cáo);",
        "- Giám đốc Sở (để báo cáo);",
        "- Lưu: VT, CCHC.",
    ],
    "page_number": "{page}",
    "xlsx_sheet": "Đơn vị chậm khắc phục",
    "xlsx_title": "DANH SÁCH ĐƠN VỊ CHẬM THỰC HIỆN KẾT LUẬN KIỂM TRA CÔNG TÁC CCHC",
    "xlsx_as_of": "Tính đến ngày {today}",
    "xlsx_head": [
        "TT",
        "Đơn vị",
        "Kế hoạch",
        "Năm",
        "Số kiến nghị quá hạn",
        "Trong đó: báo cáo không đạt yêu cầu",
        "Tổng số kiến nghị",
        "Thời hạn sớm nhất",
        "Số ngày quá hạn nhiều nhất",
        "Các kiến nghị quá hạn (số)",
    ],
    "no_overdue": "{unit} không có kiến nghị nào quá hạn đến ngày {today}",
    "bad_format": "Định dạng không hỗ trợ: {fmt} (chọn pdf hoặc docx)",
    "no_folder": "Không có thư mục {folder}",
    "cannot_write": "Không ghi được tệp {path}: {error}",
    "bad_days": "Số ngày phải báo cáo phải lớn hơn 0",
}


@dataclass
class Letter:
    """The content of an official letter, independent of the file format."""

    parent_body: str
    issuer: str
    number: str
    subject: str
    place_date: str
    recipient: str
    paragraphs: list[str]
    table_head: list[str]
    table_rows: list[list[str]]
    closing: list[str]
    recipients_title: str
    recipients: list[str]
    signer_titles: list[str]
    signer_name: str
    meta: dict[str, Any] = field(default_factory=dict)


def _signer(store: Store, plan_id: str) -> tuple[list[str], str]:
    """Who signs for Sở Nội vụ: the rule every document of the Sở shares
    (desktop.domain.department_signer), from the delegation head on record."""
    for member in store.planning.members(plan_id):
        if member["role"] == "truong-doan":
            return department_signer(member["position_title"], member["full_name"])
    return department_signer(None, None)


# Where the conclusion notice's số and ngày are remembered per inspection when it is
# exported (desktop.reports.context.resolve_options, kind "ket-luan").
NOTICE_SETTING = "report.ket-luan.{inspection}.{field}"
NOTICE_SYMBOL = "TB-SNV"


def notice_reference(store: Store, inspection_id: str) -> str:
    """ " tại Thông báo số 12/TB-SNV ngày 05/01/2021": the conclusion notice a reminder
    chases, as exported for this inspection; "" when none was numbered yet."""
    number = store.settings.setting(NOTICE_SETTING.format(inspection=inspection_id, field="number"))
    if not number:
        return ""
    number = document_number(number.strip())
    if "/" not in number:
        number = f"{number}/{NOTICE_SYMBOL}"
    day = store.settings.setting(NOTICE_SETTING.format(inspection=inspection_id, field="date"))
    return f" tại Thông báo số {number}" + (f" ngày {format_date(day)}" if day else "")


def reminder_symbol(store: Store, given: str | None = None) -> str:
    """The letters' ký hiệu: `given` (then remembered), else the remembered one, else
    DEFAULT_SYMBOL."""
    from desktop.domain import nfc

    symbol = nfc(given or "").strip().strip("/")
    if symbol:
        store.settings.set_setting(SYMBOL_SETTING, symbol)
        return symbol
    return store.settings.setting(SYMBOL_SETTING) or DEFAULT_SYMBOL


def number_line(number: str, symbol: str) -> str:
    """ "Số: 88/SNV-CCHC" from "88" (or a full "88/SNV-CCHC"); a blank number for the
    clerk to fill in by hand before "/SNV-CCHC" when none is given yet."""
    number = number.strip()
    if number:
        number = document_number(number)  # "5" → "05" (Nghị định 30)
    if "/" in number:
        return TEXT["number"].format(number=number)
    return TEXT["number"].format(number=f"{number or TEXT['number_blank']}/{symbol}")


def reminder_letter(
    store: Store,
    inspection_id: str,
    *,
    today: dt.date | None = None,
    reply_days: int = DEFAULT_REPLY_DAYS,
    number: str = "",
    symbol: str | None = None,
) -> Letter:
    """The reminder (công văn đôn đốc) to one inspected unit about its overdue recommendations.

    `number` is the letter's số ("88"), `symbol` its ký hiệu (remembered; see
    reminder_symbol). UserError when the unit has none overdue: nothing to remind it of.
    """
    day = today or dt.date.today()
    if reply_days <= 0:
        raise UserError(TEXT["bad_days"])
    inspection = store.planning.inspection(inspection_id)
    if inspection is None:
        raise UserError(followup.MESSAGES["no_inspection"].format(id=inspection_id))
    unit = inspection["unit_name"]
    rows = [
        r
        for r in followup.register(store, inspection["plan_id"], overdue_only=True, today=day)
        if r["inspection_id"] == inspection_id
    ]
    if not rows:
        raise UserError(TEXT["no_overdue"].format(unit=unit, today=format_date(day)))
    plan = store.planning.plan(inspection["plan_id"]) or {}
    where = locality(plan.get("province"), plan.get("issuer"))
    names = {
        "level": where.level,
        "committee": where.committee,
        "committee_short": where.committee_short,
    }
    visit = f" ngày {format_date(inspection['visit_date'])}" if inspection["visit_date"] else ""
    plan_date = f"ngày {format_date(plan.get('issued_on'))} " if plan.get("issued_on") else ""
    titles, name = _signer(store, inspection["plan_id"])
    table_rows = [
        [
            str(r["number"]),
            r["text"]
            + (
                TEXT["rejected_mark"]
                if r["status"] == followup.FollowupStatus.KHONG_DAT_YEU_CAU
                else ""
            ),
            format_date(r["deadline"]),
            str(r["days_overdue"]),
        ]
        for r in rows
    ]
    return Letter(
        parent_body=where.parent_body,
        issuer=TEXT["issuer"],
        number=number_line(number, reminder_symbol(store, symbol)),
        subject=TEXT["subject"],
        place_date=official_date(where.place, day),
        recipient=TEXT["to"].format(unit=unit),
        paragraphs=[
            TEXT["opening"].format(
                plan=plan.get("number", ""),
                plan_date=plan_date,
                issuer=plan.get("issuer", ""),
                year=plan.get("year", ""),
                unit=unit,
                visit=visit,
                notice=notice_reference(store, inspection_id),
                **names,
            ),
            TEXT["status"].format(today=format_date(day), unit=unit, count=len(rows)),
        ],
        table_head=list(TEXT["table_head"]),
        table_rows=table_rows,
        closing=[
            TEXT["request"].format(
                unit=unit,
                days=reply_days,
                reply_by=format_date(day + dt.timedelta(days=reply_days)),
                **names,
            ),
            TEXT["warning"].format(**names),
        ],
        recipients_title=TEXT["recipients_title"],
        recipients=[line.format(**names) for line in TEXT["recipients"]],
        signer_titles=titles,
        signer_name=name,
        meta={"unit": unit, "inspection_id": inspection_id, "recommendations": rows},
    )


# -- escalation -------------------------------------------------------------------------------


def escalation(
    store: Store, plan_id: str | None = None, *, today: dt.date | None = None
) -> list[dict[str, Any]]:
    """Units (one row per inspection) with overdue recommendations, most overdue first."""
    day = today or dt.date.today()
    by_inspection: dict[str, dict[str, Any]] = {}
    for rec in followup.register(store, plan_id, today=day):
        entry = by_inspection.setdefault(
            rec["inspection_id"],
            {
                "inspection_id": rec["inspection_id"],
                "unit": rec["unit"],
                "unit_level": rec["unit_level"],
                "plan_id": rec["plan_id"],
                "plan_number": rec["plan_number"],
                "year": rec["plan_year"],
                "overdue": 0,
                "rejected": 0,
                "total": 0,
                "oldest_deadline": None,
                "max_days_overdue": 0,
                "numbers": [],
            },
        )
        entry["total"] += 1
        if not rec["overdue"]:
            continue
        entry["overdue"] += 1
        if rec["status"] == followup.FollowupStatus.KHONG_DAT_YEU_CAU:
            entry["rejected"] += 1
        entry["numbers"].append(rec["number"])
        entry["max_days_overdue"] = max(entry["max_days_overdue"], rec["days_overdue"])
        if entry["oldest_deadline"] is None or rec["deadline"] < entry["oldest_deadline"]:
            entry["oldest_deadline"] = rec["deadline"]
    rows = [e for e in by_inspection.values() if e["overdue"]]
    rows.sort(key=lambda e: (-e["max_days_overdue"], -e["overdue"], e["unit"]))
    return rows
