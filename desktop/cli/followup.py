"""Follow-up commands: followup, remediation add/verify/form, reminder, escalation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from desktop.cli.common import AppContext, OutputFile, emit_json, pass_app
from desktop.domain import format_date, parse_date
from desktop.services.errors import UserError

TODAY_HELP = "Tính trạng thái như vào ngày này (dd/mm/yyyy; mặc định hôm nay)."


def _date(value: str | None, what: str) -> dt.date | None:
    """dd/mm/yyyy from the command line, or a one-line error."""
    if value is None:
        return None
    try:
        return parse_date(value)
    except ValueError:
        raise UserError(f"{what} không hợp lệ: “{value}” (cần dd/mm/yyyy)") from None


def _row(r: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": r["id"],
        "plan_id": r["plan_id"],
        "plan_number": r["plan_number"],
        "year": r["plan_year"],
        "inspection_id": r["inspection_id"],
        "unit": r["unit"],
        "number": r["number"],
        "text": r["text"],
        "responsible": r["responsible"],
        "deadline": r["deadline"],
        "deadline_text": format_date(r["deadline"]),
        "status": r["status"],
        "status_label": r["status_label"],
        "days_overdue": r["days_overdue"],
        "reported_on": r["reported_on"],
        "doc_number": r["doc_number"],
        "attachments": [
            a["filename"]
            for a in (r["remediations"][-1]["attachments"] if r["remediations"] else [])
        ],
    }


@click.command()
@click.option("--plan", "plan_id", help="Chỉ các kiến nghị của kế hoạch này.")
@click.option("--overdue", is_flag=True, help="Chỉ các kiến nghị quá hạn (kể cả bị trả lại).")
@click.option(
    "--unit-of",
    "unit_of",
    metavar="INSPECTION_ID",
    help="Các kiến nghị chưa được xác minh hoàn thành của cùng đơn vị từ các năm trước.",
)
@click.option("--today", help=TODAY_HELP)
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@pass_app
def followup(
    app: AppContext,
    plan_id: str | None,
    overdue: bool,
    unit_of: str | None,
    today: str | None,
    as_json: bool,
) -> None:
    """Sổ theo dõi khắc phục: mọi kiến nghị với đơn vị, thời hạn và trạng thái."""
    from desktop.services import followup as service

    day = _date(today, "Ngày")
    if unit_of:
        rows = service.open_recommendations_from_earlier(app.reader, unit_of, today=day)
        if plan_id:
            rows = [r for r in rows if r["plan_id"] == plan_id]
        if overdue:
            rows = [r for r in rows if r["overdue"]]
    else:
        rows = service.register(app.reader, plan_id, overdue_only=overdue, today=day)
    out = [_row(r) for r in rows]
    if as_json:
        emit_json(out)
        return
    if not out:
        click.echo("Không có kiến nghị nào.")
    for r in out:
        late = f", quá hạn {r['days_overdue']} ngày" if r["days_overdue"] else ""
        click.echo(
            f"{r['id']}  {r['unit']}  số {r['number']}  hạn {r['deadline_text'] or '—'}  "
            f"{r['status_label']}{late}  {r['text'][:60]}"
        )


@click.group()
def remediation() -> None:
    """Báo cáo kết quả khắc phục của đơn vị và việc xác minh."""


@remediation.command("add")
@click.argument("recommendation_ids", nargs=-1, required=True, metavar="RECOMMENDATION_ID...")
@click.option("--date", "date_text", required=True, help="Ngày báo cáo (dd/mm/yyyy).")
@click.option("--doc", required=True, help="Số/ký hiệu văn bản báo cáo.")
@click.option("--note", required=True, help="Nội dung đã khắc phục.")
@click.option(
    "--attach",
    "attach",
    multiple=True,
    metavar="FILE",
    help="Tệp đính kèm (văn bản báo cáo, tài liệu kiểm chứng); lặp lại cho nhiều tệp.",
)
@click.option(
    "--max-attachment-mb",
    "max_attachment_mb",
    type=click.FloatRange(min=0, min_open=True),
    help="Dung lượng tối đa của mỗi tệp đính kèm, MB (mặc định: theo Cài đặt, 50 MB).",
)
@pass_app
def remediation_add(
    app: AppContext,
    recommendation_ids: tuple[str, ...],
    date_text: str,
    doc: str,
    note: str,
    attach: tuple[str, ...],
    max_attachment_mb: float | None,
) -> None:
    """Ghi báo cáo kết quả khắc phục cho một hoặc nhiều kiến nghị (cùng một văn bản)."""
    from desktop.services import followup as service

    day = _date(date_text, "Ngày báo cáo")
    assert day is not None
    rows = service.record_report(
        app.store,
        recommendation_ids,
        day,
        doc,
        note,
        attachments=attach,
        max_mb=max_attachment_mb,
    )
    files = len(rows[0]["attachments"]) if rows else 0
    suffix = f", kèm {files} tệp" if files else ""
    click.echo(f"Đã ghi báo cáo khắc phục {doc} cho {len(rows)} kiến nghị{suffix}.")


@remediation.command("verify")
@click.argument("recommendation_id")
@click.option("--ok", "verdict", flag_value="ok", help="Chấp nhận: đã khắc phục.")
@click.option("--reject", "verdict", flag_value="reject", help="Không đạt yêu cầu.")
@click.option("--note", default="", help="Nhận xét (bắt buộc khi --reject).")
@click.option("--date", "date_text", help="Ngày xác minh (dd/mm/yyyy; mặc định hôm nay).")
@pass_app
def remediation_verify(
    app: AppContext, recommendation_id: str, verdict: str | None, note: str, date_text: str | None
) -> None:
    """Xác minh báo cáo khắc phục mới nhất của một kiến nghị: --ok hoặc --reject."""
    from desktop.services import followup as service

    if verdict is None:
        raise UserError("Cần chọn --ok hoặc --reject")
    day = _date(date_text, "Ngày xác minh")
    service.verify(app.store, recommendation_id, verdict == "ok", note, verified_on=day)
    label = (
        service.FollowupStatus.DA_XAC_MINH
        if verdict == "ok"
        else (service.FollowupStatus.KHONG_DAT_YEU_CAU)
    )
    click.echo(f"Đã xác minh: {label.label}.")


@remediation.command("form")
@click.argument("inspection_id")
@click.option("-o", "--output", required=True, type=OutputFile(), help="Tệp ra.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["pdf", "docx"], case_sensitive=False),
    default="pdf",
    show_default=True,
    help="Định dạng tệp ra.",
)
@pass_app
def remediation_form(app: AppContext, inspection_id: str, output: Path, fmt: str) -> None:
    """Mẫu báo cáo kết quả khắc phục để đơn vị điền và gửi lại Sở Nội vụ."""
    from desktop.reports.service import remediation_form as write_form

    write_form(app.store, inspection_id, fmt.lower(), output)
    click.echo(f"Đã tạo mẫu báo cáo kết quả khắc phục: {output}")


@click.command()
@click.argument("inspection_id", metavar="UNIT_INSPECTION_ID")
@click.option("--format", "fmt", required=True, help="pdf hoặc docx.")
@click.option("-o", "--output", required=True, type=OutputFile(), help="Tệp ra.")
@click.option("--days", type=int, default=15, show_default=True, help="Hạn báo cáo (ngày).")
@click.option("--number", default="", help="Số công văn, ví dụ 88 (để trống nếu chưa cấp số).")
@click.option(
    "--symbol",
    default=None,
    help="Ký hiệu công văn, ví dụ SNV-CCHC (được nhớ cho lần sau; mặc định SNV-CCHC).",
)
@click.option("--today", help="Ngày ký công văn (dd/mm/yyyy; mặc định hôm nay).")
@pass_app
def reminder(
    app: AppContext,
    inspection_id: str,
    fmt: str,
    output: Path,
    days: int,
    number: str,
    symbol: str | None,
    today: str | None,
) -> None:
    """Công văn đôn đốc thực hiện kết luận kiểm tra CCHC gửi một đơn vị có kiến nghị quá hạn."""
    from desktop.reports import reminders as drawing
    from desktop.services import reminders

    fmt = fmt.strip().lower()
    if fmt not in reminders.FORMATS:
        raise UserError(reminders.TEXT["bad_format"].format(fmt=fmt))
    letter = reminders.reminder_letter(
        app.store,
        inspection_id,
        today=_date(today, "Ngày"),
        reply_days=days,
        number=number,
        symbol=symbol,
    )
    drawing.write_reminder(letter, fmt, output)
    click.echo(f"Đã tạo công văn đôn đốc {letter.meta['unit']}: {output}")


@click.command()
@click.option("--plan", "plan_id", help="Chỉ các đơn vị của kế hoạch này.")
@click.option("--today", help=TODAY_HELP)
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@click.option("-o", "--output", type=OutputFile(), help="Ghi ra tệp .xlsx.")
@pass_app
def escalation(
    app: AppContext, plan_id: str | None, today: str | None, as_json: bool, output: Path | None
) -> None:
    """Danh sách đơn vị chậm khắc phục (để báo cáo UBND tỉnh): --json hoặc -o TỆP.xlsx."""
    from desktop.reports import reminders as drawing
    from desktop.services import reminders

    if not as_json and output is None:
        raise UserError("Cần --json hoặc -o TỆP.xlsx")
    if output is not None and output.suffix.lower() != ".xlsx":
        raise UserError(f"Tệp ra phải có đuôi .xlsx: {output}")
    day = _date(today, "Ngày")
    rows = reminders.escalation(app.reader, plan_id, today=day)
    if output is not None:
        drawing.write_escalation_xlsx(rows, output, today=day)
        if not as_json:
            click.echo(f"Đã ghi {len(rows)} đơn vị chậm khắc phục: {output}")
    if as_json:
        emit_json(rows)


def register(group: click.Group) -> None:
    for command in (followup, remediation, reminder, escalation):
        group.add_command(command)
