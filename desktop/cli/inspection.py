"""One visit: its date, place and status (`kiemtra inspection set`)."""

from __future__ import annotations

import datetime as dt

import click

from desktop.cli.common import AppContext, emit_json, pass_app
from desktop.services.errors import UserError

STATUSES = ("dang-kiem-tra", "da-kiem-tra", "da-ket-luan")


@click.group()
def inspection() -> None:
    """Một cuộc kiểm tra: ngày, địa điểm, trạng thái."""


def _visit_date(date_text: str | None) -> dt.date | None:
    """--date as a date (None when not given); one Vietnamese line when it is no date."""
    from desktop.domain import parse_date

    if date_text is None:
        return None
    try:
        return parse_date(date_text)
    except ValueError as exc:
        raise UserError(f"Ngày kiểm tra không hợp lệ: “{date_text}” (dạng dd/mm/yyyy)") from exc


@inspection.command("set")
@click.argument("inspection_id")
@click.option("--date", "date_text", help="Ngày kiểm tra dd/mm/yyyy.")
@click.option("--place", help="Địa điểm kiểm tra.")
@click.option(
    "--status",
    type=click.Choice(STATUSES),
    help="dang-kiem-tra (mở lại), da-kiem-tra (đã kiểm tra xong), da-ket-luan (đã kết luận).",
)
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@pass_app
def inspection_set(
    app: AppContext,
    inspection_id: str,
    date_text: str | None,
    place: str | None,
    status: str | None,
    as_json: bool,
) -> None:
    """Ghi ngày, địa điểm kiểm tra và/hoặc chuyển trạng thái của cuộc kiểm tra."""
    from desktop.services import inspections as service

    visit_date = _visit_date(date_text)
    store = app.store
    with store.transaction():
        row = service.set_visit(store, inspection_id, visit_date, place)
        if status is not None:
            row = service.set_status(store, inspection_id, status)
    if as_json:
        emit_json(row)
        return
    shown = f", ngày {row['visit_date_text']}" if row["visit_date_text"] else ""
    shown += f", tại {row['place']}" if row["place"] else ""
    click.echo(f"{row['unit']}: {row['status_label']}{shown}")


@inspection.command("add")
@click.option("--plan", "plan_id", required=True, help="Mã kế hoạch (xem “kiemtra plans”).")
@click.option("--unit", "unit", required=True, help="Tên đơn vị được kiểm tra.")
@click.option(
    "--level",
    required=True,
    help="Cấp như kế hoạch ghi: Sở/ngành, Chi cục, Phòng/Ban, Bộ phận Một cửa, Quận, Phường…",
)
@click.option("--parent", help="Tên đơn vị trong kế hoạch mà đơn vị này trực thuộc.")
@click.option(
    "--kind", required=True, help="theo-ke-hoach, dot-xuat, qua-bao-cao hoặc tai-kiem-tra."
)
@click.option("--date", "date_text", help="Ngày kiểm tra dd/mm/yyyy.")
@click.option("--reinspects", help="Mã cuộc kiểm tra trước mà cuộc tái kiểm tra này kiểm tra lại.")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@pass_app
def inspection_add(
    app: AppContext,
    plan_id: str,
    unit: str,
    level: str,
    parent: str | None,
    kind: str,
    date_text: str | None,
    reinspects: str | None,
    as_json: bool,
) -> None:
    """Thêm một cuộc kiểm tra vào kế hoạch (ví dụ đơn vị chọn ngẫu nhiên, kiểm tra đột xuất)."""
    from desktop.services.plans import add_inspection

    visit_date = _visit_date(date_text)
    row = add_inspection(
        app.store,
        plan_id,
        unit,
        level,
        kind,
        parent=parent,
        visit_date=visit_date,
        reinspects=reinspects,
    )
    out = {
        k: row[k]
        for k in (
            "id",
            "plan_id",
            "unit_id",
            "unit_name",
            "unit_level",
            "level_name",
            "parent_id",
            "month",
            "kind",
            "mode",
            "status",
            "visit_date",
            "reinspects_id",
        )
    }
    if as_json:
        emit_json(out)
        return
    click.echo(f"Đã thêm cuộc kiểm tra {row['unit_name']} (mã {row['id']})")


def register(group: click.Group) -> None:
    group.add_command(inspection)
