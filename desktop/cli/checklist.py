"""`kiemtra checklist ...`: the checklist template."""

from __future__ import annotations

import click

from desktop.cli import AppContext, emit_json

pass_app = click.make_pass_decorator(AppContext)


@click.group()
def checklist() -> None:
    """Bộ tiêu chí kiểm tra (xem, xuất ra Excel, nhập phiên bản mới)."""


@checklist.command("show")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@pass_app
def show(app: AppContext, as_json: bool) -> None:
    """Bộ tiêu chí hiện hành theo lĩnh vực."""
    from desktop.services.checklists import checklist_json

    data = checklist_json(app.store)
    if as_json:
        emit_json(data)
        return
    click.echo(f"{data['name']} (phiên bản {data['version']})")
    for area in data["areas"]:
        click.echo(f"{area['code']}  {area['name']}  ({len(area['items'])} nội dung)")


def register(group: click.Group) -> None:
    group.add_command(checklist)
