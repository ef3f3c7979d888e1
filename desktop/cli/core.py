"""Core commands: init, plans, inspections, findings, finding set, demo, gui."""

from __future__ import annotations

from pathlib import Path

import click

from desktop.cli.common import AppContext, emit_json, pass_app
from desktop.domain import Result, kind_caption
from desktop.services.errors import UserError


def run_gui(db_path: Path) -> int:
    """Start the window on a database (imports Qt only now)."""
    from desktop.ui.app import run

    return run(db_path)


class DefaultCommandGroup(click.Group):
    """A group that runs `default_command` when the first word is not one of its commands.

    So `kiemtra findings ID --json` lists findings while `kiemtra findings template ID`
    still reaches the subcommand.
    """

    default_command = "list"

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)


@click.command()
@pass_app
def init(app: AppContext) -> None:
    """Tạo (hoặc nâng cấp) cơ sở dữ liệu và nạp bộ tiêu chí mặc định. Chạy lại an toàn."""
    from desktop.services.checklists import ensure_checklist

    ensure_checklist(app.store)
    click.echo(f"Cơ sở dữ liệu sẵn sàng: {app.db_path}")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@pass_app
def plans(app: AppContext, as_json: bool) -> None:
    """Liệt kê các kế hoạch kiểm tra."""
    rows = [
        {
            "id": p["id"],
            "number": p["number"],
            "year": p["year"],
            "issuer": p["issuer"],
            "units": p["units"],
        }
        for p in app.reader.planning.plans()
    ]
    if as_json:
        emit_json(rows)
        return
    if not rows:
        click.echo("Chưa có kế hoạch nào. Dùng “kiemtra plan import” để nạp kế hoạch.")
    for p in rows:
        click.echo(
            f"{p['id']}  {p['number']}  năm {p['year']}  {p['issuer']}  ({p['units']} đơn vị)"
        )


@click.command()
@click.option("--plan", "plan_id", help="Chỉ các cuộc kiểm tra của kế hoạch này.")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@pass_app
def inspections(app: AppContext, plan_id: str | None, as_json: bool) -> None:
    """Liệt kê các cuộc kiểm tra với tiến độ ghi nhận."""
    rows = [
        {
            "id": i["id"],
            "unit": i["unit"],
            "level": i["level"],
            "month": i["month"],
            "kind": i["kind"],
            "mode": i["mode"],
            "status": i["status"],
            "parent_id": i["parent_id"],
            "done": i["done"],
            "total": i["total"],
            "visit_date": i["visit_date"],
            "plan_id": i["plan_id"],
            "level_name": i["level_name"],
            "team": i["team"],
            "reinspects_id": i["reinspects_id"],
        }
        for i in app.reader.planning.inspections(plan_id)
    ]
    if as_json:
        emit_json(rows)
        return
    parents = {i["id"]: i["parent_id"] for i in rows}
    for i in rows:
        depth, up = 0, i["parent_id"]
        while up in parents and depth < len(rows):  # sub-units at any depth
            depth, up = depth + 1, parents[up]
        kind = kind_caption(i["kind"], i["mode"])
        when = f"tháng {i['month']}" if i["month"] else "chưa xếp lịch"
        click.echo(
            f"{i['id']}  {'    ' * depth}{i['unit']}"
            + (f" ({kind})" if kind else "")
            + f"  {when}  {i['done']}/{i['total']}"
        )


@click.group(cls=DefaultCommandGroup)
def findings() -> None:
    """Kết quả kiểm tra của một cuộc kiểm tra: `kiemtra findings INSPECTION_ID --json`."""


@findings.command("list")
@click.argument("inspection_id")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@pass_app
def findings_list(app: AppContext, inspection_id: str, as_json: bool) -> None:
    """Mọi nội dung áp dụng cho cuộc kiểm tra và kết quả đã ghi (null nếu chưa ghi)."""
    if app.reader.planning.inspection(inspection_id) is None:
        raise UserError(f"Không có cuộc kiểm tra {inspection_id}")
    rows = [
        {
            "code": r["code"],
            "area": r["area_code"],
            "text": r["text"],
            "type": r["type"],
            "result": r["result"],
            "score": r["score"],
            "max_score": r["max_score"],
            "note": r["note"] or None,
        }
        for r in app.reader.findings.inspection_items(inspection_id)
    ]
    if as_json:
        emit_json(rows)
        return
    for r in rows:
        shown = Result(r["result"]).label if r["result"] else "—"
        click.echo(f"{r['code']:<9} {shown:<14} {r['text'][:70]}")


@click.group()
def finding() -> None:
    """Ghi kết quả cho một nội dung."""


@finding.command("set")
@click.argument("inspection_id")
@click.argument("item_code")
@click.option("--result", type=click.Choice([r.value for r in Result]), help="Kết quả.")
@click.option("--score", type=float, help="Điểm (không vượt điểm tối đa của nội dung).")
@click.option("--note", help="Nhận xét.")
@pass_app
def finding_set(
    app: AppContext,
    inspection_id: str,
    item_code: str,
    result: str | None,
    score: float | None,
    note: str | None,
) -> None:
    """Ghi kết quả, điểm, nhận xét cho nội dung ITEM_CODE của cuộc kiểm tra."""
    from desktop.services import findings as service

    if result is None and score is None and note is None:
        raise UserError("Cần ít nhất một trong --result, --score, --note")
    row = service.record(
        app.store,
        inspection_id,
        item_code,
        result=Result(result) if result else None,
        score=score,
        note=note,
    )
    click.echo(
        f"Đã ghi {item_code}: {Result(row['result']).label if row['result'] else '—'}"
        + (f", {row['score']:g} điểm" if row["score"] is not None else "")
    )


@click.command()
@click.option("--units", type=click.IntRange(1, 5000), help="Tạo dữ liệu lớn: số đơn vị mỗi năm.")
@click.option(
    "--years",
    type=click.IntRange(1, 50),
    default=10,
    show_default=True,
    help="Số năm (một kế hoạch mỗi năm), dùng với --units.",
)
@click.option("--seed", type=int, default=1, show_default=True, help="Hạt giống ngẫu nhiên.")
@click.option("--json", "as_json", is_flag=True, help="In số bản ghi đã tạo dạng JSON.")
@pass_app
def demo(app: AppContext, units: int | None, years: int, seed: int, as_json: bool) -> None:
    """Tạo dữ liệu mẫu: Kế hoạch kiểm tra CCHC năm 2021 của tỉnh Sóc Trăng.

    Với --units N --years Y: một cơ sở dữ liệu lớn (Y kế hoạch, mỗi kế hoạch N đơn vị,
    mọi nội dung đã ghi nhận) để đo hiệu năng.
    """
    from desktop.services.demo import build_demo, build_scale_demo

    if units is None:
        plan_id = build_demo(app.store)
        if as_json:
            emit_json({"plan": plan_id})
        else:
            click.echo(f"Đã tạo dữ liệu mẫu (kế hoạch {plan_id}) trong {app.db_path}")
        return
    counts = build_scale_demo(
        app.store,
        units=units,
        years=years,
        seed=seed,
        progress=lambda done, total: click.echo(f"  năm {done}/{total}", err=True),
    )
    if as_json:
        emit_json(counts)
    else:
        click.echo(", ".join(f"{k}: {v}" for k, v in counts.items()))


@click.command()
@pass_app
def gui(app: AppContext) -> None:
    """Mở cửa sổ chương trình."""
    raise SystemExit(run_gui(app.db_path))


def register(group: click.Group) -> None:
    for command in (init, plans, inspections, findings, finding, demo, gui):
        group.add_command(command)
