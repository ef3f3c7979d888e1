"""`kiemtra report`, `report-plan`, `summary`, `scores`: documents, compilation and scores."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from desktop.cli.common import AppContext, OutputFile, emit_json, pass_app
from desktop.cli.signing import SIGNING_OPTION_NAMES, render_signed, sign_options
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
@sign_options
@pass_app
def report(
    app: AppContext,
    /,
    inspection_id: str,
    kind: str,
    fmt: str,
    output: Path,
    number: str | None,
    date_text: str | None,
    signer: str | None,
    signer_title: str | None,
    place: str | None,
    sign_it: bool,
    **signing: Any,
) -> None:
    """Lập Biên bản kiểm tra hoặc Thông báo kết luận của một cuộc kiểm tra (--sign: ký số
    luôn)."""
    from desktop.reports.service import inspection_report
    from desktop.signing.evidence import evidence_signature_notes

    opts = _options(number, date_text, signer, signer_title, place)
    # The attached PDFs' signatures, cited with the findings' evidence (reports/ does not
    # verify signatures itself: the caller hands them over as text).
    signed = (
        evidence_signature_notes(app.store, app.db_path, inspection_id)
        if app.store.planning.inspection(inspection_id)
        else None
    )
    path = _write(
        lambda target: inspection_report(
            app.store, inspection_id, kind, fmt, target, opts, signatures=signed
        ),
        fmt,
        output,
        signer_title,
        sign_it,
        signing,
    )
    click.echo(f"Đã ghi và ký số {path}" if sign_it else f"Đã ghi {path}")


def _write(
    render: Callable[[Path], Path],
    fmt: str,
    output: Path,
    signer_title: str | None,
    sign_it: bool,
    signing: dict[str, Any],
) -> Path:
    """Render the document into `output`; with --sign, render then sign it in one step."""
    if not sign_it:
        _no_signing_options(signing)
        return render(output)
    if fmt != "pdf":
        raise UserError("Chỉ ký số được tệp PDF (--format pdf)")
    # The appearance shows the document's own position title unless --title says otherwise.
    signing["title"] = signing.get("title") or signer_title
    return render_signed(render, output, signing)


def _no_signing_options(signing: dict[str, Any]) -> None:
    given = [name for name in SIGNING_OPTION_NAMES if signing.get(name)]
    if given:
        flag = "--" + given[0].replace("_", "-")
        raise UserError(f"{flag} chỉ dùng cùng --sign")


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
@sign_options
@pass_app
def report_plan(
    app: AppContext,
    /,
    plan_id: str,
    fmt: str,
    output: Path,
    number: str | None,
    date_text: str | None,
    signer: str | None,
    signer_title: str | None,
    place: str | None,
    commend_min: float | None,
    sign_it: bool,
    **signing: Any,
) -> None:
    """Lập Báo cáo kết quả kiểm tra của cả kế hoạch (--sign: ký số luôn)."""
    from desktop.reports.service import plan_report

    opts = _options(number, date_text, signer, signer_title, place)
    opts.commend_min = commend_min
    path = _write(
        lambda target: plan_report(app.store, plan_id, fmt, target, opts),
        fmt,
        output,
        signer_title,
        sign_it,
        signing,
    )
    click.echo(f"Đã ghi và ký số {path}" if sign_it else f"Đã ghi {path}")


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
    from desktop.services.scoring import score_plan, standing

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
            "final_rank": r["final_rank"],
            "provisional": r["provisional"],
            "standing": standing(r),
            "judged": r["judged"],
            "to_judge": r["to_judge"],
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
        note = f" ({r['standing'].lower()})" if r["provisional"] else ""
        click.echo(
            f"{r['unit']:<45} {r['total']:>6g}/{r['max']:<6g} {r['percent']:>6.2f}%  "
            f"hạng {rank}{note}"
        )


def register(group: click.Group) -> None:
    for command in (report, report_plan, summary, scores):
        group.add_command(command)
