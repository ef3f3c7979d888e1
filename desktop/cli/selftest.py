"""`kiemtra --selftest` (or the hidden `kiemtra selftest`): check that an installed copy works.

On a temporary database: the demo plan, the main window shown offscreen, one finding
recorded through it, a PDF minutes written and read back. Exit 0 when all went well; one
line "Lỗi tự kiểm tra: …" and exit 1 otherwise. Used on the bundle built by PyInstaller.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import click

T_STEP = "  ✓ {}"
T_OK = "Tự kiểm tra: đạt (phiên bản {version})"
T_FAILED = "Lỗi tự kiểm tra: {step}: {error}"
MIN_PDF_BYTES = 2000


def _check_pdf(path: Path) -> None:
    data = path.read_bytes()
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-1024:]:
        raise RuntimeError(f"{path.name} không phải tệp PDF hoàn chỉnh")
    if len(data) < MIN_PDF_BYTES:
        raise RuntimeError(f"{path.name} quá nhỏ ({len(data)} byte)")
    if b"/FontFile2" not in data:
        raise RuntimeError(f"{path.name} không nhúng phông chữ")


def run_selftest(echo: Callable[[str], object] = click.echo) -> int:
    """Run every step; the exit code."""
    from desktop import __version__

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    step = "chuẩn bị"
    try:
        with tempfile.TemporaryDirectory(prefix="kiemtra-selftest-") as tmp:
            folder = Path(tmp)
            db_path = folder / "selftest.sqlite"

            step = "tạo cơ sở dữ liệu mẫu"
            from db import Store
            from desktop.services.demo import build_demo

            store = Store.open(db_path)
            try:
                build_demo(store)
            finally:
                store.close()
            echo(T_STEP.format("cơ sở dữ liệu mẫu"))

            step = "mở cửa sổ chính và ghi một kết quả"
            from desktop.ui.selftest import exercise_window

            inspection_id = exercise_window(db_path)
            echo(T_STEP.format("cửa sổ chính, ghi kết quả"))

            step = "xuất biên bản PDF"
            from desktop.reports.service import inspection_report

            store = Store.open(db_path)
            try:
                pdf = inspection_report(store, inspection_id, "bien-ban", "pdf", folder / "bb.pdf")
            finally:
                store.close()
            _check_pdf(pdf)
            echo(T_STEP.format(f"biên bản PDF ({pdf.stat().st_size // 1024} KB)"))
    except Exception as exc:  # noqa: BLE001 - any failure is the answer of a self-test
        click.echo(T_FAILED.format(step=step, error=exc), err=True)
        return 1
    echo(T_OK.format(version=__version__))
    return 0


def selftest_option(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """Callback of the root `--selftest` flag (eager: runs before any command)."""
    if value and not ctx.resilient_parsing:
        ctx.exit(run_selftest())


@click.command("selftest", hidden=True)
def selftest() -> None:
    """Tự kiểm tra bản cài đặt (giống `kiemtra --selftest`)."""
    raise SystemExit(run_selftest())


def register(group: click.Group) -> None:
    group.add_command(selftest)
