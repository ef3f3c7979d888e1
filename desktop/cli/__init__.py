"""The `kiemtra` command line: a thin click layer over the services.

Each topic lives in its own module with a `register(group)` function; add new modules to
COMMAND_MODULES. Heavy libraries (openpyxl, reportlab, cryptography, Qt) are imported inside
the commands that need them, so `kiemtra --help` and the GUI start fast.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

import click

from desktop.cli.common import AppContext, KiemtraError, default_db, emit_json, pass_app
from desktop.services.errors import StoreError, UserError

# The shared helpers live in desktop.cli.common (the command modules import them from there,
# so no command module imports this package back); re-exported here for callers of old.
__all__ = ["AppContext", "KiemtraError", "cli", "default_db", "emit_json", "main", "pass_app"]

COMMAND_MODULES = [
    "desktop.cli.core",
    "desktop.cli.sync",
    "desktop.cli.recording",
    "desktop.cli.inspection",
    "desktop.cli.checklist",
    "desktop.cli.plan",
    "desktop.cli.selfassessment",
    "desktop.cli.backup",
    "desktop.cli.followup",
    "desktop.cli.reports",
    "desktop.cli.signing",
    "desktop.cli.selftest",
]


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    # desktop.__version__ reads the package metadata only now, not at every start.
    if value and not ctx.resilient_parsing:
        import desktop

        click.echo(desktop.__version__)
        ctx.exit()


def _selftest(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    from desktop.cli.selftest import selftest_option

    selftest_option(ctx, param, value)


class KiemtraGroup(click.Group):
    """The root group: turns UserError/StoreError from any command into KiemtraError, so the
    message is the same whether run as `kiemtra` or through click's test runner."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (UserError, StoreError) as exc:
            raise KiemtraError(str(exc)) from exc


@click.group(
    cls=KiemtraGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="KIEMTRA_DB",
    help="Tệp cơ sở dữ liệu (mặc định: thư mục dữ liệu của người dùng; hoặc biến KIEMTRA_DB).",
)
@click.option(
    "--as",
    "actor",
    envvar="KIEMTRA_ACTOR",
    help="Tên người thực hiện ghi vào nhật ký (mặc định: tên máy; hoặc biến KIEMTRA_ACTOR).",
)
@click.option(
    "--version",
    "-V",
    is_flag=True,
    is_eager=True,
    expose_value=False,
    callback=_print_version,
    help="In số phiên bản rồi thoát.",
)
@click.option(
    "--selftest",
    is_flag=True,
    is_eager=True,
    expose_value=False,
    callback=_selftest,
    help="Tự kiểm tra bản cài đặt (cửa sổ, ghi kết quả, PDF) trên dữ liệu tạm rồi thoát.",
)
@click.pass_context
def cli(ctx: click.Context, db_path: Path | None, actor: str | None) -> None:
    """Kiểm tra CCHC: ghi nhận kết quả kiểm tra cải cách hành chính, không cần mạng.

    Không có lệnh nào: mở cửa sổ chương trình.
    """
    from desktop.domain import nfc
    from desktop.sync.audit_head import install

    install()  # every store this command opens for writing signs its audit head as it moves
    app = AppContext(db_path or default_db(), nfc(actor).strip() if actor else None)
    ctx.obj = app
    if db_path is not None:
        from desktop.services.paths import unprotected_note

        note = unprotected_note(db_path)
        if note:
            click.echo(note, err=True)
    ctx.call_on_close(app.close)
    if ctx.invoked_subcommand is None:
        from desktop.cli.core import run_gui

        ctx.exit(run_gui(app.db_path))


for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(cli)


def main(argv: list[str] | None = None) -> None:
    """Entry point: one clear line on stderr and a non-zero exit for every user-facing error."""
    try:
        # Without standalone mode click *returns* the code given to ctx.exit(); keep it.
        rc = cli.main(args=argv, prog_name="kiemtra", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.UsageError as exc:
        command = exc.ctx.command_path if exc.ctx else "kiemtra"
        click.echo(f"Lỗi: {exc.format_message()} (xem “{command} --help”)", err=True)
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("Đã hủy.", err=True)
        sys.exit(1)
    except (UserError, StoreError) as exc:
        click.echo(f"Lỗi: {exc}", err=True)
        sys.exit(1)
    sys.exit(rc if isinstance(rc, int) else 0)
