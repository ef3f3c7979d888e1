"""`kiemtra report`, `report-plan`, `summary`, `scores`: documents, compilation and scores."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from desktop.cli.common import AppContext, OutputFile, emit_json, pass_app
from desktop.services.errors import UserError

if TYPE_CHECKING:  # imported by the commands only when run: `kiemtra --help` stays fast
    from desktop.reports.context import ReportOptions

F = TypeVar("F", bound=Callable[..., Any])


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    from desktop.domain import parse_date

    try:
        return parse_date(value)
    except ValueError as exc:
        raise UserError(f"Ngày không hợp lệ: {value} (cần dạng dd/mm/yyyy)") from exc


def document_options(func: F) -> F:
    """--format, -o, then --number, --date, --signer, --signer-title, --place (remembered)."""
    for option in reversed(
        [
            click.option(
                "--format",
                "fmt",
                type=click.Choice(["pdf", "docx"]),
                default="pdf",
                show_default=True,
                help="Định dạng tệp.",
            ),
            click.option(
                "-o",
                "--output",
                type=OutputFile(),
                required=True,
                help="Tệp kết quả.",
            ),
            click.option("--number", help="Số/ký hiệu văn bản, ví dụ 12 hoặc 12/TB-SNV."),
            click.option(
                "--date",
                "date_text",
                help="Ngày ban hành dd/mm/yyyy (biên bản: mặc định ngày kiểm tra; "
                "văn bản khác: hôm nay). Số và ngày của biên bản, thông báo được nhớ theo "
                "từng cuộc kiểm tra.",
            ),
            click.option(
                "--signer",
                help="Họ tên người ký (mặc định: biên bản do Trưởng đoàn ký; văn bản của Sở "
                "Nội vụ do Trưởng đoàn ký khi là Giám đốc/Phó Giám đốc, nếu không để trống "
                "dưới chức danh GIÁM ĐỐC).",
            ),
            click.option(
                "--signer-title",
                help="Chức danh ký, các dòng cách nhau bởi “|”, ví dụ “KT. GIÁM ĐỐC|PHÓ GIÁM ĐỐC”.",
            ),
            click.option("--place", help="Địa danh ghi trước ngày tháng (mặc định tên tỉnh)."),
        ]
    ):
        func = option(func)
    return func


def _options(
    number: str | None,
    date_text: str | None,
    signer: str | None,
    signer_title: str | None,
    place: str | None,
) -> ReportOptions:
    from desktop.reports.context import ReportOptions

    return ReportOptions(number, _date(date_text), signer, signer_title, place)


@click.command()
@click.argument("inspection_id")
@click.option(
    "--kind",
    type=click.Choice(["bien-ban", "ket-luan"]),
    required=True,
    help="bien-ban: Biên bản kiểm tra; ket-luan: Thông báo kết luận kiểm tra.",
)
@document_options
@pass_app
def report(
    app: AppContext,
    inspection_id: str,
    kind: str,
    fmt: str,
    output: Path,
    number: str | None,
    date_text: str | None,
    signer: str | None,
    signer_title: str | None,
    place: str | None,
) -> None:
    """Lập Biên bản kiểm tra hoặc Thông báo kết luận của một cuộc kiểm tra."""
    from desktop.reports.service import inspection_report

    opts = _options(number, date_text, signer, signer_title, place)
    path = inspection_report(app.store, inspection_id, kind, fmt, output, opts)
    click.echo(f"Đã ghi {path}")


@click.command("report-plan")
@click.argument("plan_id")
@document_options
@click.option(
    "--commend-min",
    type=click.FloatRange(0, 1000),
    default=None,
    metavar="PERCENT",
    help="Tỷ lệ điểm tối thiểu (%) để đề nghị biểu dương một đơn vị đã ghi nhận đủ kết quả "
    "(mặc định 80).",
)
@pass_app
def report_plan(
    app: AppContext,
    plan_id: str,
    fmt: str,
    output: Path,
    number: str | None,
    date_text: str | None,
    signer: str | None,
    signer_title: str | None,
    place: str | None,
    commend_min: float | None,
) -> None:
    """Lập Báo cáo kết quả kiểm tra của cả kế hoạch."""
    from desktop.reports.service import plan_report

    opts = _options(number, date_text, signer, signer_title, place)
    opts.commend_min = commend_min
    path = plan_report(app.store, plan_id, fmt, output, opts)
    click.echo(f"Đã ghi {path}")


@click.command()
@click.argument("plan_id")
@click.option(
    "-o",
    "--output",
    type=OutputFile(),
    required=True,
    help="Tệp Excel kết quả (.xlsx).",
)
@pass_app
def summary(app: AppContext, plan_id: str, output: Path) -> None:
    """Tổng hợp kết quả kiểm tra của kế hoạch ra Excel (sheet Tổng hợp và từng đơn vị)."""
    from desktop.reports.service import plan_summary

    if output.suffix.lower() != ".xlsx":
        raise UserError("Tệp tổng hợp phải có đuôi .xlsx")
    path = plan_summary(app.reader, plan_id, output)
    click.echo(f"Đã ghi {path}")


@click.command()
@click.argument("plan_id")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@pass_app
def scores(app: AppContext, plan_id: str, as_json: bool) -> None:
    """Điểm của từng cuộc kiểm tra trong kế hoạch, xếp hạng trong từng cấp."""
    from desktop.services.scoring import score_plan

    rows = [
        {
            "id": r["id"],
            "unit": r["unit"],
            "level": r["level"],
            "month": r["month"],
            "total": r["total"],
            "self_total": r["self_total"],
            "max": r["max"],
            "percent": r["percent"],
            "rank": r["rank"],
            "not_passed": r["not_passed"],
            "recommendations": r["recommendations"],
            "areas": [
                {k: a[k] for k in ("code", "name", "score", "max", "percent", "self_score")}
                for a in r["areas"]
            ],
        }
        for r in score_plan(app.reader, plan_id)
    ]
    if as_json:
        emit_json(rows)
        return
    for r in rows:
        rank = r["rank"] if r["rank"] is not None else "—"
        click.echo(
            f"{r['unit']:<45} {r['total']:>6g}/{r['max']:<6g} {r['percent']:>6.2f}%  hạng {rank}"
        )


def register(group: click.Group) -> None:
    for command in (report, report_plan, summary, scores):
        group.add_command(command)
