"""`kiemtra plan ...`: the plan workbook (template to fill in, import)."""

from __future__ import annotations

from pathlib import Path

import click

from desktop.cli.common import AppContext, OutputFile, emit_json, pass_app


@click.group()
def plan() -> None:
    """Kế hoạch kiểm tra: mẫu Excel để điền và nạp kế hoạch từ Excel."""


@plan.command("template")
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    type=OutputFile(),
    help="Tệp .xlsx sẽ ghi.",
)
@click.option("--example", is_flag=True, help="Điền sẵn ví dụ: kế hoạch năm 2021 của Sóc Trăng.")
def template(output: Path, example: bool) -> None:
    """Ghi sổ tính Excel mẫu để điền kế hoạch, lịch kiểm tra và đoàn kiểm tra."""
    from desktop.services.plan_workbook import write_template

    spec = None
    if example:
        from desktop.services.demo import sample_plan

        spec = sample_plan()
    path = write_template(output, spec)
    click.echo(f"Đã ghi mẫu kế hoạch: {path}")


@plan.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--update",
    is_flag=True,
    help="Cập nhật kế hoạch đã nạp có cùng số và năm (thêm đơn vị, thành viên, ngày, hình thức).",
)
@click.option(
    "--allow-remove",
    is_flag=True,
    help="Với --update: cho xóa các đơn vị, thành viên không còn trong tệp (chưa có kết quả).",
)
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@pass_app
def import_(app: AppContext, file: Path, update: bool, allow_remove: bool, as_json: bool) -> None:
    """Nạp kế hoạch từ sổ tính Excel FILE (cả tệp bị từ chối nếu có lỗi)."""
    from desktop.services.errors import UserError
    from desktop.services.plan_workbook import import_plan

    if allow_remove and not update:
        raise UserError("--allow-remove chỉ dùng cùng --update")
    summary = import_plan(app.store, file, update=update, allow_remove=allow_remove)
    if as_json:
        emit_json(summary)
        return
    if update:
        click.echo(
            f"Đã cập nhật kế hoạch {summary['number']} năm {summary['year']}: "
            f"thêm {len(summary['added'])} cuộc kiểm tra, sửa {len(summary['changed'])}, "
            f"xóa {len(summary['removed'])}; thêm {len(summary['members_added'])} thành viên "
            f"(mã {summary['id']})"
        )
        for name in summary["added"]:
            click.echo(f"  + {name}")
        for name in summary["removed"]:
            click.echo(f"  - {name}")
        return
    click.echo(
        f"Đã nạp kế hoạch {summary['number']} năm {summary['year']}: "
        f"{summary['units']} đơn vị, {summary['members']} thành viên đoàn (mã {summary['id']})"
    )


def register(group: click.Group) -> None:
    group.add_command(plan)
