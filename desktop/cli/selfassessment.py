"""`kiemtra findings template|import`: the self-assessment / inspection form as a workbook."""

from __future__ import annotations

from pathlib import Path
from typing import cast

import click

from desktop.cli.common import AppContext, OutputFile, emit_json, pass_app


@click.command("template")
@click.argument("inspection_id")
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    type=OutputFile(),
    help="Tệp .xlsx sẽ ghi.",
)
@pass_app
def template(app: AppContext, inspection_id: str, output: Path) -> None:
    """Ghi phiếu tự đánh giá / kết quả kiểm tra của cuộc kiểm tra ra Excel (in được A4)."""
    from desktop.services.selfassessment_workbook import write_form

    path = write_form(app.reader, inspection_id, output)
    click.echo(f"Đã ghi phiếu: {path}")


@click.command("import")
@click.argument("inspection_id")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--as",
    "side",
    required=True,
    type=click.Choice(["self", "inspector"]),
    help="self: phần đơn vị tự đánh giá; inspector: phần kết quả của đoàn kiểm tra.",
)
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@pass_app
def import_(app: AppContext, inspection_id: str, file: Path, side: str, as_json: bool) -> None:
    """Nạp phiếu đã điền FILE vào cuộc kiểm tra (cả tệp bị từ chối nếu có dòng sai)."""
    from desktop.services.selfassessment_workbook import Side, import_form

    # click.Choice has checked `side` against the two values of Side
    summary = import_form(app.store, inspection_id, file, cast(Side, side))
    if as_json:
        emit_json(summary)
        return
    click.echo(f"Đã cập nhật {summary['updated']} nội dung, {summary['unchanged']} không đổi")


def register(group: click.Group) -> None:
    """The commands hang on the existing `findings` group, not on the top level."""
    from desktop.cli.core import findings

    findings.add_command(template)
    findings.add_command(import_)
