"""`kiemtra sign`, `kiemtra verify`, `kiemtra ca add|list`: digital signatures of PDFs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from desktop.cli.common import AppContext, KiemtraError, OutputFile, emit_json, pass_app

if TYPE_CHECKING:
    from desktop.signing.keys import KeySource
    from desktop.signing.sign import Box, SignRequest

F = TypeVar("F", bound=Callable[..., Any])
_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)

SIGNING_OPTION_NAMES = (
    "pkcs12",
    "passphrase_file",
    "pkcs11_lib",
    "token_label",
    "pin_file",
    "key_label",
    "image",
    "title",
    "name",
    "as_organisation",
    "page",
    "box",
    "reason",
    "location",
    "tsa_url",
)


def signing_options(func: F) -> F:
    """The key (PKCS#12 file or PKCS#11 token) and the look of the signature."""
    for option in reversed(
        [
            click.option("--pkcs12", type=_FILE, help="Tệp khóa ký PKCS#12 (.p12, .pfx)."),
            click.option(
                "--passphrase-file",
                type=_FILE,
                help="Tệp chứa mật khẩu của tệp .p12 (dòng đầu; không có: hỏi khi chạy).",
            ),
            click.option(
                "--pkcs11-lib",
                type=_FILE,
                help="Thư viện PKCS#11 của thiết bị ký số (USB token), ví dụ "
                "/usr/lib/vnpt-ca/libcryptoki.so.",
            ),
            click.option("--token-label", help="Nhãn của thiết bị ký số."),
            click.option(
                "--pin-file",
                type=_FILE,
                help="Tệp chứa mã PIN (dòng đầu; không có: thiết bị tự hỏi PIN, hoặc hỏi khi "
                "chạy).",
            ),
            click.option("--key-label", help="Nhãn khóa trên thiết bị (mặc định: khóa duy nhất)."),
            click.option(
                "--image",
                type=_FILE,
                help="Ảnh PNG nền trong suốt: chữ ký của người ký, hoặc con dấu khi "
                "--as-organisation.",
            ),
            click.option(
                "--title",
                help="Chức vụ người ký, các dòng cách nhau bởi “|”, ví dụ "
                "“KT. GIÁM ĐỐC|PHÓ GIÁM ĐỐC”.",
            ),
            click.option(
                "--name",
                help="Họ tên (hoặc tên cơ quan) hiện trên chữ ký "
                "(mặc định: tên trong chứng thư số).",
            ),
            click.option(
                "--as-organisation",
                is_flag=True,
                help="Ký số của cơ quan, tổ chức: hình con dấu, tên cơ quan và thời gian ký, "
                "đè lên 1/3 bên trái chữ ký trước đó.",
            ),
            click.option(
                "--page",
                type=click.IntRange(min=1),
                help="Trang đặt chữ ký (mặc định: trang cuối).",
            ),
            click.option(
                "--box",
                metavar="X1,Y1,X2,Y2",
                help="Khung chữ ký tính bằng mm từ góc dưới trái trang (mặc định: góc dưới phải).",
            ),
            click.option("--reason", help="Lý do ký (mặc định: “Văn bản điện tử có ký số của …”)."),
            click.option("--location", help="Nơi ký."),
            click.option(
                "--tsa-url",
                help="Địa chỉ máy chủ cấp dấu thời gian (mặc định: không dùng mạng).",
            ),
        ]
    ):
        func = option(func)
    return func


def _box(text: str | None) -> Box | None:
    if not text:
        return None
    try:
        x1, y1, x2, y2 = (float(v) for v in text.split(","))
    except ValueError as exc:
        raise KiemtraError(f"--box cần 4 số x1,y1,x2,y2 (mm), không phải “{text}”") from exc
    return x1, y1, x2, y2


def key_source(options: dict[str, Any]) -> KeySource:
    """The PKCS#12 file or the PKCS#11 token the options name (exactly one of the two)."""
    from desktop.signing.keys import Pkcs11Key, Pkcs12Key, read_secret

    if options.get("pkcs12") and options.get("pkcs11_lib"):
        raise KiemtraError("Chỉ chọn một: --pkcs12 hoặc --pkcs11-lib")
    if options.get("pkcs12"):
        if options.get("passphrase_file"):
            secret = read_secret(options["passphrase_file"], "mật khẩu")
        else:
            secret = click.prompt("Mật khẩu tệp khóa", hide_input=True, err=True)
        return Pkcs12Key(options["pkcs12"], secret)
    if options.get("pkcs11_lib"):
        if not options.get("token_label"):
            raise KiemtraError("Cần --token-label: nhãn của thiết bị ký số")
        pin = read_secret(options["pin_file"], "mã PIN") if options.get("pin_file") else None
        return Pkcs11Key(
            options["pkcs11_lib"], options["token_label"], pin, options.get("key_label")
        )
    raise KiemtraError("Cần khóa ký: --pkcs12 TỆP hoặc --pkcs11-lib THƯ-VIỆN --token-label NHÃN")


def sign_request(source: Path, output: Path, options: dict[str, Any]) -> SignRequest:
    """A SignRequest from the signing options (see signing_options)."""
    from desktop.signing.sign import SignRequest

    title = tuple(t.strip() for t in (options.get("title") or "").split("|") if t.strip())
    return SignRequest(
        source=source,
        output=output,
        key=key_source(options),
        image=options.get("image"),
        title_lines=title,
        name=options.get("name"),
        organisation=bool(options.get("as_organisation")),
        page=options.get("page"),
        box=_box(options.get("box")),
        reason=options.get("reason"),
        location=options.get("location"),
        tsa_url=options.get("tsa_url"),
    )


def sign_options(func: F) -> F:
    """`--sign` and the signing options, for a command that renders a PDF (kiemtra report)."""
    func = signing_options(func)
    return click.option(
        "--sign",
        "sign_it",
        is_flag=True,
        help="Ký số ngay tệp PDF vừa lập (cần --pkcs12 hoặc --pkcs11-lib; xem “kiemtra sign”).",
    )(func)


def sign_asking_pin(request: SignRequest) -> Any:
    """sign_pdf; when the token cannot ask for its PIN itself and none was given, ask here
    (hidden) and sign with it. A warning of the signing (another person's certificate) goes
    to stderr."""
    from dataclasses import replace

    from desktop.signing.keys import PinNeeded, Pkcs11Key
    from desktop.signing.sign import sign_pdf

    try:
        result = sign_pdf(request)
    except PinNeeded as exc:
        assert isinstance(request.key, Pkcs11Key)  # only a token asks for a PIN
        pin = click.prompt(f"{exc}", hide_input=True, err=True)
        result = sign_pdf(replace(request, key=replace(request.key, pin=pin)))
    if result.warning:
        click.echo(result.warning, err=True)
    return result


def render_signed(render: Callable[[Path], Path], output: Path, options: dict[str, Any]) -> Path:
    """Render a PDF into a temporary folder with `render(path)`, then sign it into `output`:
    the unsigned document is never left at `output` (one step, nothing half-done)."""
    import tempfile
    from dataclasses import replace

    request = sign_request(output, output, options)  # the key is read before any work
    with tempfile.TemporaryDirectory(prefix="kiemtra-ky-") as folder:
        unsigned = render(Path(folder) / output.name)
        return Path(sign_asking_pin(replace(request, source=unsigned)).output)


@click.command()
@click.argument("file", type=_FILE)
@click.option("-o", "--output", type=OutputFile(), required=True, help="Tệp PDF đã ký.")
@signing_options
def sign(file: Path, output: Path, **options: Any) -> None:
    """Ký số tệp PDF FILE (PAdES), hiện chữ ký như Phụ lục I Nghị định 30/2020."""
    if output.resolve() == file.resolve():
        raise KiemtraError("Tệp đã ký (-o) phải khác tệp gốc")
    result = sign_asking_pin(sign_request(file, output, options))
    click.echo(f"Đã ký ({result.signer}, {result.signed_at}): {result.output}")


@click.command()
@click.argument("file", type=_FILE)
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@pass_app
def verify(app: AppContext, file: Path, as_json: bool) -> None:
    """Kiểm tra chữ ký số trong tệp PDF FILE: ai ký, khi nào, còn nguyên vẹn, có tin cậy."""
    from desktop.signing.trust import roots
    from desktop.signing.verify import MODIFICATION_LABELS, verify_pdf

    signatures = verify_pdf(file, roots(app.db_path))
    if as_json:
        emit_json({"file": str(file), "signatures": signatures})
        return
    if not signatures:
        click.echo("Tệp không có chữ ký số.")
    for n, s in enumerate(signatures, 1):
        state = "nguyên vẹn" if s["intact"] else "ĐÃ BỊ THAY ĐỔI sau khi ký"
        trust = "tin cậy" if s["trusted"] else "chưa tin cậy (CA chưa được thêm)"
        click.echo(f"{n}. {s['signer']} — {s['signed_at']} — {state}, {trust}")
        if s["modified_after"] is not None:
            allowed = "được phép" if s["modified_after"]["allowed"] else "KHÔNG được phép"
            what = MODIFICATION_LABELS[s["modified_after"]["kind"]]
            click.echo(f"   Sau khi ký có {what}: {allowed}")


@click.group()
def ca() -> None:
    """Chứng thư gốc (CA) được tin cậy khi kiểm tra chữ ký số."""


@ca.command("add")
@click.argument("file", type=_FILE)
@pass_app
def ca_add(app: AppContext, file: Path) -> None:
    """Tin cậy chứng thư gốc trong FILE (.cer, .pem, .crt; DER hoặc PEM)."""
    from desktop.signing.trust import add_root

    root = add_root(app.db_path, file)
    click.echo(f"Đã tin cậy {root['name']} (SHA-256 {root['sha256'][:16]}…)")


@ca.command("list")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@pass_app
def ca_list(app: AppContext, as_json: bool) -> None:
    """Liệt kê các chứng thư gốc được tin cậy."""
    from desktop.signing.trust import list_roots

    rows = list_roots(app.db_path)
    if as_json:
        emit_json(rows)
        return
    if not rows:
        click.echo("Chưa tin cậy chứng thư gốc nào (thêm bằng “kiemtra ca add TỆP”).")
    for r in rows:
        click.echo(f"{r['name']:<40} đến {r['valid_to'][:10]}  {r['sha256'][:16]}…")


def register(group: click.Group) -> None:
    for command in (sign, verify, ca):
        group.add_command(command)
