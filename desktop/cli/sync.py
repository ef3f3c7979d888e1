"""Devices and sync by files: `kiemtra device ...` and `kiemtra sync ...`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from desktop.cli.common import AppContext, OutputFile, emit_json, pass_app
from desktop.services.errors import UserError

MESSAGES = {
    "bad_fingerprint": "Mã vân tay {fingerprint} không hợp lệ (cần 64 chữ số thập lục phân)",
    "self": "Không thể thu hồi khóa của chính máy này",
    "passphrase_file": "Không đọc được tệp mật khẩu {path}: {error}",
    "empty_passphrase": "Tệp mật khẩu {path} trống",
    "both": "Chỉ chọn một trong --for và --passphrase-file",
    "resolve_what": "Cần --keep mine|theirs hoặc ít nhất một --field NAME=mine|theirs",
    "bad_field": "--field “{text}” không hợp lệ: dùng TÊN=mine hoặc TÊN=theirs",
    "empty_name": "Tên thiết bị không được để trống",
}


def _fingerprint(text: str) -> str:
    from desktop.sync.keys import normalize_fingerprint

    fingerprint = normalize_fingerprint(text)
    if fingerprint is None:
        raise UserError(MESSAGES["bad_fingerprint"].format(fingerprint=text))
    return fingerprint


def _passphrase(path: Path | None) -> str | None:
    if path is None:
        return None
    from desktop.domain import nfc

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(MESSAGES["passphrase_file"].format(path=path, error=exc)) from exc
    text = nfc(text.rstrip("\r\n"))
    if not text:
        raise UserError(MESSAGES["empty_passphrase"].format(path=path))
    return text


@click.group()
def device() -> None:
    """Thiết bị: khóa của máy này và các máy được tin cậy."""


@device.command("show")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@pass_app
def device_show(app: AppContext, as_json: bool) -> None:
    """Mã, tên, mã vân tay và khóa công khai của máy này (tạo khóa nếu chưa có)."""
    from desktop.sync.identity import device_info

    info = device_info(app.store)
    if as_json:
        emit_json(info)
        return
    click.echo(f"Máy: {info['name']} ({info['id']})")
    click.echo(f"Mã vân tay: {info['fingerprint']}")


@device.command("new-identity")
@pass_app
def device_new_identity(app: AppContext) -> None:
    """Cho máy này mã thiết bị và khóa mới (lịch sử giữ nguyên; các máy khác cần tin cậy lại)."""
    from desktop.sync.identity import ensure_identity, new_identity

    before = app.store.device_id
    ensure_identity(app.store)  # a copied database may have just taken one
    keys = new_identity(app.store) if app.store.device_id == before else ensure_identity(app.store)
    click.echo(f"Mã thiết bị mới: {app.store.device_id}")
    click.echo(f"Mã vân tay mới: {keys.fingerprint}")


@device.command("list")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@pass_app
def device_list(app: AppContext, as_json: bool) -> None:
    """Các thiết bị đã biết: máy này, máy được tin cậy, máy đã thu hồi."""
    rows = [
        {
            "id": d["id"],
            "name": d["name"],
            "fingerprint": d["fingerprint"],
            "public_key": d["public_key"],
            "is_self": bool(d["is_self"]),
            "trusted": bool(d["trusted"] or d["is_self"]),
            "revoked": bool(d["revoked"]),
            "introduced_by": d.get("introduced_by"),
            "trusted_directly": bool(d.get("trusted_directly")),
        }
        for d in app.reader.sync.devices.devices()
    ]
    if as_json:
        emit_json(rows)
        return
    for d in rows:
        state = (
            "máy này"
            if d["is_self"]
            else "đã thu hồi"
            if d["revoked"]
            else "tin cậy"
            if d["trusted"]
            else "chưa tin cậy"
        )
        click.echo(f"{d['fingerprint'] or '—'}  {d['name']}  ({state})")


@device.command("trust")
@click.argument("fingerprint")
@click.option("--name", help="Tên gợi nhớ của thiết bị.")
@pass_app
def device_trust(app: AppContext, fingerprint: str, name: str | None) -> None:
    """Tin cậy thiết bị có mã vân tay FINGERPRINT: nhận các gói nó ký."""
    from desktop.domain import nfc

    fp = _fingerprint(fingerprint)
    app.store.sync.devices.set_device_trust(fp, trusted=True, name=nfc(name) if name else None)
    click.echo(f"Đã tin cậy thiết bị {fp}")


@device.command("rename")
@click.argument("name")
@pass_app
def device_rename(app: AppContext, name: str) -> None:
    """Đổi tên máy này (tên đi kèm các gói đồng bộ và hiện ở máy khác)."""
    from desktop.domain import nfc

    cleaned = " ".join(nfc(name).split())
    if not cleaned:
        raise UserError(MESSAGES["empty_name"])
    app.store.sync.devices.rename_self_device(cleaned)
    click.echo(f"Đã đổi tên máy này thành “{cleaned}”")


@device.command("revoke")
@click.argument("fingerprint")
@pass_app
def device_revoke(app: AppContext, fingerprint: str) -> None:
    """Thu hồi thiết bị có mã vân tay FINGERPRINT: từ chối mọi gói nó ký."""
    fp = _fingerprint(fingerprint)
    if app.store.sync.devices.self_device().get("fingerprint") == fp:
        raise UserError(MESSAGES["self"])
    withdrawn = app.store.sync.devices.set_device_trust(fp, trusted=False, name=None)
    click.echo(f"Đã thu hồi thiết bị {fp}")
    for device in withdrawn:
        click.echo(
            f"Đã rút lại tin cậy của “{device['name']}” ({device['fingerprint']}), "
            "khóa do thiết bị này giới thiệu"
        )


@click.group()
def sync() -> None:
    """Đồng bộ bằng tệp: xuất, nhập gói và giải quyết xung đột."""


@sync.command("export")
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    type=OutputFile(),
    help="Tệp gói (.kiemtra) sẽ ghi.",
)
@click.option("--plan", "plan_id", help="Chỉ dữ liệu của kế hoạch này.")
@click.option("--full", is_flag=True, help="Toàn bộ dữ liệu, không chỉ phần thay đổi.")
@click.option("--for", "recipient", metavar="FINGERPRINT", help="Mã hóa cho thiết bị này.")
@click.option(
    "--passphrase-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Mã hóa bằng mật khẩu đọc từ tệp này.",
)
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@pass_app
def sync_export(
    app: AppContext,
    output: Path,
    plan_id: str | None,
    full: bool,
    recipient: str | None,
    passphrase_file: Path | None,
    as_json: bool,
) -> None:
    """Xuất một gói đồng bộ: mặc định là các thay đổi kể từ lần xuất trước."""
    from desktop.sync.export import export_package

    if recipient and passphrase_file:
        raise UserError(MESSAGES["both"])
    summary = export_package(
        app.store,
        output,
        plan_id=plan_id,
        full=full,
        recipient=recipient,
        passphrase=_passphrase(passphrase_file),
    )
    if as_json:
        emit_json(summary)
        return
    click.echo(
        f"Đã xuất {summary['rows']} bản ghi, {summary['attachments']} tệp đính kèm vào {output}"
    )


@sync.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--passphrase-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Mật khẩu (đọc từ tệp) của gói được mã hóa bằng mật khẩu.",
)
@click.option(
    "--trust-new",
    is_flag=True,
    help="Chấp nhận và tin cậy thiết bị gửi chưa biết và các khóa mới mà gói mang theo "
    "(xem trước bằng --dry-run).",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Chỉ cho biết việc nhập sẽ làm gì (khóa sẽ tin cậy, số bản ghi), không ghi gì.",
)
@click.option(
    "--sha256",
    "expected",
    metavar="HEX",
    help="Chỉ nhập nếu tệp đúng là các byte đã xem trước (mã sha256 do --dry-run --json cho).",
)
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@pass_app
def sync_import(
    app: AppContext,
    file: Path,
    passphrase_file: Path | None,
    trust_new: bool,
    dry_run: bool,
    expected: str | None,
    as_json: bool,
) -> None:
    """Nhập một gói đồng bộ: kiểm tra toàn bộ rồi áp dụng trọn vẹn, hoặc không gì cả."""
    from desktop.sync.importer import PINNED_CHANGED, dry_run_verdict, import_package
    from desktop.sync.pinned import pin

    # One private copy, hashed as it is copied: the verdict's sha256 is of the bytes judged,
    # and `--sha256` imports exactly the bytes a dry run judged (a file swapped in between
    # is refused), as the window does.
    if not dry_run and expected is None:
        result = import_package(
            app.store, file, passphrase=_passphrase(passphrase_file), trust_new=trust_new
        )
        _show_imported(result, as_json)
        return
    try:
        pinned = pin(app.store, file)
    except UserError:
        if not dry_run:
            raise
        # Missing, unreadable or too big: the verdict says so, as it always did.
        verdict = dry_run_verdict(
            app.store, file, passphrase=_passphrase(passphrase_file), trust_new=trust_new
        )
        _show_verdict(verdict, as_json)
        return
    try:
        if dry_run:
            verdict = dry_run_verdict(
                app.store,
                pinned.copy,
                passphrase=_passphrase(passphrase_file),
                trust_new=trust_new,
            )
            verdict["sha256"] = pinned.sha256
            _show_verdict(verdict, as_json)
            return
        if expected is not None and expected.strip().lower() != pinned.sha256:
            raise UserError(PINNED_CHANGED)
        result = import_package(
            app.store,
            pinned.copy,
            passphrase=_passphrase(passphrase_file),
            trust_new=trust_new,
            expected_sha256=pinned.sha256,
        )
    finally:
        pinned.release()
    _show_imported(result, as_json)


def _show_imported(result: dict[str, Any], as_json: bool) -> None:
    if as_json:
        emit_json(result)
        return
    click.echo(
        f"Đã nhập gói từ {result['from']['name']}: {result['inserted']} mới, "
        f"{result['updated']} cập nhật, {result['unchanged']} không đổi, "
        f"{result['conflicts']} xung đột"
    )


def _show_verdict(verdict: dict[str, Any], as_json: bool) -> None:
    """A dry run's verdict; exit status 1 when the import would be refused."""
    if as_json:
        emit_json(verdict)
    else:
        sender = verdict["from"] or {}
        click.echo(f"Gói từ: {sender.get('name', '—')} ({verdict['fingerprint'] or '—'})")
        for key in verdict["keys_to_trust"]:
            # The keys a package lists are introduced by its sender: named, not its id.
            by = key["introduced_by"]
            if by and by == sender.get("id"):
                by = sender.get("name") or by
            by = f" (do “{by}” giới thiệu)" if by else ""
            click.echo(f"Sẽ tin cậy: {key['name']}  {key['fingerprint']}{by}")
        click.echo(
            f"Sẽ nhập: {verdict['inserted']} mới, {verdict['updated']} cập nhật, "
            f"{verdict['unchanged']} không đổi, {verdict['conflicts']} xung đột"
        )
    if verdict["refused"]:
        if not as_json:
            click.echo(f"Lỗi: {verdict['refused']}", err=True)
        raise SystemExit(1)


@sync.command("conflicts")
@click.option("--all", "include_resolved", is_flag=True, help="Cả các xung đột đã giải quyết.")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@pass_app
def sync_conflicts(app: AppContext, include_resolved: bool, as_json: bool) -> None:
    """Các xung đột: cùng một bản ghi được hai máy sửa từ cùng một phiên bản."""
    from desktop.sync.merge import list_conflicts

    rows = list_conflicts(app.reader, include_resolved=include_resolved)
    if as_json:
        emit_json(rows)
        return
    if not rows:
        click.echo("Không có xung đột.")
    for c in rows:
        fields = ", ".join(d["field"] for d in c["differences"])
        click.echo(
            f"{c['id']}  {c['table']} {c['row_id']}: {fields} — "
            f"của máy này: {c['local']['who']}, bản kia: {c['remote']['who']}"
        )


@sync.command("resolve")
@click.argument("conflict_id")
@click.option(
    "--keep",
    type=click.Choice(["mine", "theirs"]),
    help="mine: giữ bản của máy này; theirs: lấy bản kia (mặc định mine cho các trường "
    "không nêu trong --field).",
)
@click.option(
    "--field",
    "field_choices",
    multiple=True,
    metavar="NAME=mine|theirs",
    help="Chọn riêng từng trường, ví dụ --field note=theirs (lặp lại được).",
)
@pass_app
def sync_resolve(
    app: AppContext, conflict_id: str, keep: str | None, field_choices: tuple[str, ...]
) -> None:
    """Giải quyết một xung đột; lựa chọn được ghi thành thay đổi mới và đồng bộ đi các máy."""
    from desktop.sync.merge import resolve

    if keep is None and not field_choices:
        raise UserError(MESSAGES["resolve_what"])
    fields: dict[str, str] = {}
    for text in field_choices:
        name, sep, choice = text.partition("=")
        if not sep or not name.strip() or choice.strip() not in ("mine", "theirs"):
            raise UserError(MESSAGES["bad_field"].format(text=text))
        fields[name.strip()] = choice.strip()
    resolve(app.store, conflict_id, keep or "mine", fields)
    click.echo(f"Đã giải quyết xung đột {conflict_id}")


def register(group: click.Group) -> None:
    for command in (device, sync):
        group.add_command(command)
