"""`kiemtra checklist ...`: the checklist template."""

from __future__ import annotations

from pathlib import Path

import click

from desktop.cli.common import AppContext, OutputFile, emit_json, pass_app


@click.group()
def checklist() -> None:
    """Bộ tiêu chí kiểm tra (xem, xuất ra Excel, nhập phiên bản mới)."""


@checklist.command("show")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@pass_app
def show(app: AppContext, as_json: bool) -> None:
    """Bộ tiêu chí hiện hành theo lĩnh vực."""
    from desktop.services.checklists import checklist_json

    data = checklist_json(app.reader)
    if as_json:
        emit_json(data)
        return
    click.echo(f"{data['name']} (phiên bản {data['version']})")
    for area in data["areas"]:
        click.echo(f"{area['code']}  {area['name']}  ({len(area['items'])} nội dung)")


@checklist.command("export")
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    type=OutputFile(),
    help="Tệp .xlsx sẽ ghi.",
)
@pass_app
def export(app: AppContext, output: Path) -> None:
    """Xuất bộ tiêu chí hiện hành ra sổ tính Excel để sửa."""
    from desktop.services.checklist_workbook import export_checklist

    path = export_checklist(app.reader, output)
    click.echo(f"Đã xuất bộ tiêu chí: {path}")


@checklist.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--version", "version", help="Tên phiên bản mới (mặc định: theo tệp).")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@pass_app
def import_(app: AppContext, file: Path, version: str | None, as_json: bool) -> None:
    """Nạp bộ tiêu chí từ sổ tính Excel FILE thành phiên bản mới.

    Các cuộc kiểm tra đã tạo giữ phiên bản cũ; kế hoạch nạp sau dùng phiên bản mới.
    """
    from desktop.services.checklist_workbook import import_checklist

    summary = import_checklist(app.store, file, version)
    if as_json:
        emit_json(summary)
        return
    click.echo(
        f"Đã nạp bộ tiêu chí phiên bản {summary['version']}: "
        f"{summary['areas']} lĩnh vực, {summary['items']} nội dung"
    )


def register(group: click.Group) -> None:
    group.add_command(checklist)
