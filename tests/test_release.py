"""Release checks: the self-test, what start-up loads, one version everywhere, the bundle."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT_VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
    "version"
]
# pyhanko and pkcs11 (the token library): signing never runs at start-up (issue 18).
HEAVY = ("reportlab", "openpyxl", "docx", "cryptography", "PySide6.QtCharts", "pyhanko", "pkcs11")


def _env() -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONIOENCODING": "utf-8"}


def _run(args: list[str], timeout: float = 180, **kw) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    return subprocess.run(
        args, capture_output=True, text=True, encoding="utf-8", env=_env(), timeout=timeout, **kw
    )


def test_selftest_from_source_passes() -> None:
    done = _run([sys.executable, "-m", "desktop", "--selftest"], cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert f"Tự kiểm tra: đạt (phiên bản {PYPROJECT_VERSION})" in done.stdout
    assert "biên bản PDF" in done.stdout


def test_selftest_reports_a_failing_step(tmp_path: Path) -> None:
    # A resources folder without fonts: the PDF step must fail with a message and exit 1.
    script = (
        "import sys\n"
        "from desktop.services import paths\n"
        f"paths.resources_root = lambda: __import__('pathlib').Path({str(tmp_path)!r})\n"
        "from desktop.cli.selftest import run_selftest\n"
        "sys.exit(run_selftest())\n"
    )
    done = _run([sys.executable, "-c", script], cwd=ROOT)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1].startswith("Lỗi tự kiểm tra: ")


def test_hidden_selftest_command_is_the_same(kiemtra) -> None:  # type: ignore[no-untyped-def]
    import re

    from desktop.cli import cli

    shown = kiemtra("--help").stdout
    assert "--selftest" in shown
    assert not re.search(r"^\s+selftest\s", shown, re.MULTILINE)  # the command is hidden
    assert cli.commands["selftest"].hidden


STARTUP_PROBE = """
import sys
from pathlib import Path
import desktop.cli  # every command module registered, as `kiemtra` does
from PySide6.QtWidgets import QApplication
app = QApplication([])
from desktop.ui.app import create_window
window = create_window(Path(sys.argv[1]))
window.show()
app.processEvents()
print(window.isVisible())
window.adapter.close()
import json
print(json.dumps(sorted(sys.modules)))
"""


@pytest.mark.gui
def test_startup_loads_no_heavy_library(tmp_path: Path) -> None:
    db = tmp_path / "demo.sqlite"
    made = _run([sys.executable, "-m", "desktop", "--db", str(db), "demo"], cwd=ROOT)
    assert made.returncode == 0, made.stderr
    done = _run([sys.executable, "-c", STARTUP_PROBE, str(db)], cwd=ROOT)
    assert done.returncode == 0, done.stderr
    visible, modules = done.stdout.strip().splitlines()[-2:]
    assert visible == "True"
    loaded = json.loads(modules)
    assert "desktop.ui.main_window" in loaded  # the probe really built the window
    offenders = [m for m in loaded if any(m == h or m.startswith(h + ".") for h in HEAVY)]
    assert offenders == []


def test_version_is_the_one_in_pyproject(kiemtra) -> None:  # type: ignore[no-untyped-def]
    import desktop

    assert desktop.__version__ == PYPROJECT_VERSION
    assert kiemtra("--version").stdout.strip() == PYPROJECT_VERSION


def test_sync_manifest_carries_the_version(demo_store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from desktop.sync.export import export_package
    from desktop.sync.package import read_signed

    out = tmp_path / "goi.kiemtra"
    export_package(demo_store, out, full=True)
    signed = read_signed(out)
    try:
        assert signed.manifest["app_version"] == PYPROJECT_VERSION
    finally:
        signed.zf.close()


def test_changelog_records_the_current_version() -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## {PYPROJECT_VERSION}" in text


@pytest.mark.slow
def test_bundle_builds_and_passes_its_selftest(tmp_path: Path) -> None:
    pytest.importorskip("PyInstaller")
    pyinstaller = shutil.which("pyinstaller", path=str(Path(sys.executable).parent))
    if pyinstaller is None:
        pytest.skip("pyinstaller command not installed")
    dist, work = tmp_path / "dist", tmp_path / "build"
    built = _run(
        [
            pyinstaller,
            "--noconfirm",
            "--distpath",
            str(dist),
            "--workpath",
            str(work),
            str(ROOT / "build.spec"),
        ],
        timeout=900,
        cwd=ROOT,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    exe = dist / "kiemtra" / ("kiemtra.exe" if sys.platform == "win32" else "kiemtra")
    version = _run([str(exe), "--version"], cwd=tmp_path)
    assert version.returncode == 0, version.stderr
    assert version.stdout.strip() == PYPROJECT_VERSION
    selftest = _run([str(exe), "--selftest"], cwd=tmp_path)
    assert selftest.returncode == 0, selftest.stderr
    assert "Tự kiểm tra: đạt" in selftest.stdout
