"""Backups: `kiemtra backup`, `kiemtra backups`, `kiemtra restore`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from desktop.cli.common import AppContext, OutputFile, emit_json, pass_app


def _size(n: int) -> str:
    return f"{n / 1024:,.0f} KB".replace(",", ".") if n >= 1024 else f"{n} B"


@click.command()
@click.option(
    "-o",
    "--output",
    type=OutputFile(),
    help="Tệp sao lưu (mặc định: thư mục backups cạnh cơ sở dữ liệu, tên có ngày giờ).",
)
@pass_app
def backup(app: AppContext, output: Path | None) -> None:
    """Sao lưu cơ sở dữ liệu ngay (an toàn cả khi chương trình đang mở)."""
    from desktop.services.backup import backup_now

    target = backup_now(app.reader, output)
    click.echo(f"Đã sao lưu vào {target}")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@pass_app
def backups(app: AppContext, as_json: bool) -> None:
    """Liệt kê các bản sao lưu (mới nhất trước): path, created, size, reason."""
    from desktop.services.backup import list_backups

    rows = list_backups(app.db_path)
    if as_json:
        emit_json(rows)
        return
    if not rows:
        click.echo("Chưa có bản sao lưu nào.")
    for b in rows:
        created = dt.datetime.fromisoformat(b["created"]).strftime("%d/%m/%Y %H:%M")
        click.echo(f"{created}  {_size(b['size']):>10}  {b['label']:<34} {b['path']}")


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@pass_app
def restore(app: AppContext, file: Path) -> None:
    """Khôi phục cơ sở dữ liệu từ tệp sao lưu FILE (kiểm tra tệp trước, sao lưu dữ liệu
    hiện tại, rồi thay thế)."""
    from desktop.services.backup import restore as restore_backup

    app.close()
    safety = restore_backup(app.db_path, file, app="Kiểm tra CCHC (dòng lệnh)")
    click.echo(f"Đã khôi phục cơ sở dữ liệu {app.db_path} từ {file}")
    if safety is not None:
        click.echo(f"Dữ liệu trước khi khôi phục được lưu tại {safety}")


def register(group: click.Group) -> None:
    for command in (backup, backups, restore):
        group.add_command(command)
