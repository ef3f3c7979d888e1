"""On-site recording: search, conclusion drafts, recommendations, audit verification."""

from __future__ import annotations

import click

from desktop.cli.common import AppContext, emit_json, pass_app
from desktop.domain import format_date

JSON_HELP = "In kết quả dạng JSON."
KIND_LABELS = {"item": "Nội dung", "finding": "Nhận xét", "evidence": "Tài liệu"}


@click.command()
@click.argument("text", nargs=-1, required=True)
@click.option("--inspection", "inspection_id", help="Chỉ tìm trong cuộc kiểm tra này.")
@click.option("--limit", type=click.IntRange(1, 10000), default=200, show_default=True)
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
@pass_app
def search(
    app: AppContext, text: tuple[str, ...], inspection_id: str | None, limit: int, as_json: bool
) -> None:
    """Tìm nội dung, nhận xét, tài liệu kiểm chứng (gõ có hoặc không dấu đều được)."""
    from desktop.services.errors import UserError
    from desktop.services.search import search as run_search

    if inspection_id is not None and app.reader.planning.inspection(inspection_id) is None:
        raise UserError(f"Không có cuộc kiểm tra {inspection_id}")
    hits = run_search(app.reader, " ".join(text), inspection_id=inspection_id, limit=limit)
    rows = [
        {k: h[k] for k in ("kind", "inspection_id", "item_code", "text", "snippet")} for h in hits
    ]
    if as_json:
        emit_json(rows)
        return
    if not rows:
        click.echo("Không tìm thấy kết quả nào.")
    for r in rows:
        click.echo(f"{KIND_LABELS.get(r['kind'], r['kind']):<9} {r['item_code']:<9} {r['snippet']}")


@click.group()
def conclusion() -> None:
    """Kết luận kiểm tra: ưu điểm, tồn tại, hạn chế theo lĩnh vực."""


@conclusion.command("draft")
@click.argument("inspection_id")
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
@pass_app
def conclusion_draft(app: AppContext, inspection_id: str, as_json: bool) -> None:
    """Gợi ý ưu điểm và tồn tại, hạn chế theo lĩnh vực từ kết quả đã ghi."""
    from desktop.services.conclusions import draft

    areas = draft(app.reader, inspection_id)
    if as_json:
        emit_json(areas)
        return
    for area in areas:
        click.echo(f"{area['area']}. {area['name']}")
        for line in area["strengths"]:
            click.echo(f"  + {line}")
        for line in area["limitations"]:
            click.echo(f"  - {line}")
        for line in area["observations"]:
            click.echo(f"  * {line}")


@conclusion.command("set")
@click.argument("inspection_id")
@click.option("--area", "area_code", default="", help="Mã lĩnh vực, ví dụ A1 (trống: chung).")
@click.option("--strengths", help="Ưu điểm (mỗi dòng một ý).")
@click.option("--limitations", help="Tồn tại, hạn chế (mỗi dòng một ý).")
@click.option("--causes", help="Nguyên nhân (mỗi dòng một ý).")
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
@pass_app
def conclusion_set(
    app: AppContext,
    inspection_id: str,
    area_code: str,
    strengths: str | None,
    limitations: str | None,
    causes: str | None,
    as_json: bool,
) -> None:
    """Ghi kết luận của Thư ký cho một lĩnh vực (phần không nhập giữ như đã ghi); thông báo
    kết luận in lời văn này, lĩnh vực chưa ghi giữ tồn tại, hạn chế rút từ kết quả."""
    from desktop.services.conclusions import set_conclusion

    row = set_conclusion(
        app.store, inspection_id, area_code.strip(), strengths, limitations, causes
    )
    if as_json:
        emit_json(row)
        return
    click.echo(f"Đã ghi kết luận lĩnh vực {row['area_code'] or 'chung'}.")


@click.group()
def recommendation() -> None:
    """Kiến nghị, yêu cầu khắc phục của một cuộc kiểm tra."""


@recommendation.command("add")
@click.argument("inspection_id")
@click.option("--text", required=True, help="Nội dung kiến nghị.")
@click.option("--item", "item_code", help="Mã nội dung liên quan (ví dụ A3.2.1).")
@click.option("--deadline", help="Thời hạn khắc phục dd/mm/yyyy (mặc định: ngày kiểm tra + 30).")
@click.option("--responsible", default="", help="Đơn vị, người chịu trách nhiệm.")
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
@pass_app
def recommendation_add(
    app: AppContext,
    inspection_id: str,
    text: str,
    item_code: str | None,
    deadline: str | None,
    responsible: str,
    as_json: bool,
) -> None:
    """Thêm một kiến nghị (đánh số tiếp theo) với thời hạn khắc phục."""
    from desktop.services.conclusions import add_recommendation

    row = add_recommendation(
        app.store,
        inspection_id,
        text,
        item_code=item_code,
        deadline=deadline,
        responsible=responsible,
    )
    if as_json:
        emit_json(row)
        return
    click.echo(f"Đã thêm kiến nghị số {row['number']}, thời hạn {format_date(row['deadline'])}")


@click.command()
@click.argument("inspection_id")
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
@pass_app
def recommendations(app: AppContext, inspection_id: str, as_json: bool) -> None:
    """Liệt kê các kiến nghị của một cuộc kiểm tra."""
    from desktop.services.conclusions import list_recommendations
    from desktop.services.followup import reinspected

    keys = ("id", "number", "text", "item_code", "area_code", "responsible", "deadline", "status")
    rows = [{k: r[k] for k in keys} for r in list_recommendations(app.reader, inspection_id)]
    # A re-inspection starts from the recommendations of the inspection it re-checks: they
    # follow its own, marked "earlier" (their "status" is the remediation status).
    earlier = [
        {
            **{k: r[k] for k in keys},
            "earlier": True,
            "inspection_id": r["inspection_id"],
            "plan_number": r["plan_number"],
            "status_label": r["status_label"],
            "fixed": r["fixed"],
        }
        for r in reinspected(app.reader, inspection_id)
    ]
    if as_json:
        emit_json(rows + earlier)
        return
    if not rows:
        click.echo("Chưa có kiến nghị nào.")
    for r in rows:
        click.echo(f"{r['number']}. {r['text']} (thời hạn {format_date(r['deadline'])})")
    if earlier:
        click.echo(f"Kiến nghị của lần kiểm tra trước (kế hoạch {earlier[0]['plan_number']}):")
        for r in earlier:
            click.echo(f"  {r['number']}. {r['text']} — {r['status_label']}")


@click.group()
def audit() -> None:
    """Nhật ký thay đổi (chuỗi băm, chỉ ghi thêm)."""


@audit.command("verify")
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
@pass_app
def audit_verify(app: AppContext, as_json: bool) -> None:
    """Kiểm tra tính toàn vẹn của nhật ký; mã thoát 1 nếu có mục bị sửa."""
    from desktop.services.audit import check_findings, verify
    from desktop.sync.audit_head import check_signed_head

    report = verify(app.reader)
    if report["ok"]:
        # The chain links; the head signed as it moved (and at each export) must be its end.
        report.update(check_signed_head(app.reader) or {})
    if report["ok"]:
        # Entries gone with the finding edited to match are seen by no hash: compare.
        report.update(check_findings(app.reader) or {})
    report["heads_seen"] = app.reader.sync.export_scope.heads_seen()
    if as_json:
        emit_json(report)
    elif report["ok"]:
        click.echo(report["message"])
        for head in report["heads_seen"]:
            # What other laptops' packages said their logs held: theirs must still hold it.
            click.echo(
                f"Đầu nhật ký của máy {head['device_name'] or head['device_id']} đã nhận: "
                f"mục số {head['seq']}, mã {head['hash'][:16]}… (gói {head['package_id']})"
            )
    else:
        click.echo(f"Lỗi: {report['message']}", err=True)
    if not report["ok"]:
        raise click.exceptions.Exit(1)


@click.group("attachments")
def attachments_group() -> None:
    """Tệp đính kèm trong thư mục dữ liệu."""


@attachments_group.command("gc")
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
@pass_app
def attachments_gc(app: AppContext, as_json: bool) -> None:
    """Xóa các tệp đính kèm không còn bản ghi nào dùng tới, kể cả trong các bản sao lưu
    (cũng chạy khi sao lưu)."""
    from desktop.services.backup import collect_attachments

    counts = collect_attachments(app.store) or {"removed": 0, "bytes": 0, "kept": 0}
    if as_json:
        emit_json(counts)
        return
    size = f"{counts['bytes'] / 2**20:.1f}".replace(".", ",")
    click.echo(
        f"Đã xóa {counts['removed']} tệp không còn dùng ({size} MB); giữ lại {counts['kept']} tệp."
    )


@audit.command("history")
@click.argument("inspection_id")
@click.argument("item_code")
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
@pass_app
def audit_history(app: AppContext, inspection_id: str, item_code: str, as_json: bool) -> None:
    """Lịch sử thay đổi kết quả của một nội dung (cả thay đổi nhận qua đồng bộ)."""
    from desktop.services.audit import finding_history
    from desktop.services.errors import UserError

    item = app.reader.findings.item_id_for_code(inspection_id, item_code)
    if item is None:
        raise UserError(f"Không có nội dung {item_code} trong cuộc kiểm tra {inspection_id}")
    rows = finding_history(app.reader, inspection_id, item)
    if as_json:
        emit_json(rows)
        return
    if not rows:
        click.echo("Chưa có thay đổi nào được ghi lại.")
    for r in rows:
        click.echo(f"{r['at_text']}  {r['who'] or '—'}  {r['field']}: {r['old']} → {r['new']}")


def register(group: click.Group) -> None:
    for command in (search, conclusion, recommendation, recommendations, audit, attachments_group):
        group.add_command(command)
