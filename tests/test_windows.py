"""Windows details users meet (issue 19): the data folder, a folder with Vietnamese letters and
spaces, the note when 0600 protects nothing, and bugs A and B as Windows itself shows them.
`make test-windows` runs the whole suite under Wine; the win32-only tests run there."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.services.paths import APP_NAME, default_data_dir, unprotected_note

ROOT = Path(__file__).resolve().parents[1]
windows_only = pytest.mark.skipif(sys.platform != "win32", reason="Windows only")


def kiemtra(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    """The command line in another process, its output through pipes (not a console)."""
    return subprocess.run(
        [sys.executable, "-m", "desktop", *args],
        capture_output=True,
        cwd=ROOT,
        env=env,
        timeout=180,
        check=False,
    )


def test_default_data_folder_is_the_users_own() -> None:
    """%LOCALAPPDATA%\\kiemtra-cchc on Windows (not roaming: the database is large and one
    per laptop); $XDG_DATA_HOME/kiemtra-cchc elsewhere (tests/conftest.py sets it)."""
    folder = default_data_dir()
    assert folder.name == APP_NAME
    if sys.platform == "win32":
        expected = os.environ["LOCALAPPDATA"]
    else:
        expected = os.environ["XDG_DATA_HOME"]
    assert os.path.normcase(folder.parent) == os.path.normcase(expected)


@pytest.fixture(params=["tam", "o-c"] if sys.platform == "win32" else ["tam"])
def vietnamese_folder(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path]:
    """A folder named with Vietnamese letters and spaces: under the test's own folder, and on
    Windows also at the top of drive C:, where users make one."""
    if request.param == "tam":
        yield tmp_path / "Dữ liệu kiểm tra"
        return
    top = Path("C:\\Dữ liệu kiểm tra") / uuid.uuid4().hex[:8]
    try:
        yield top
    finally:
        shutil.rmtree(top, ignore_errors=True)
        try:
            top.parent.rmdir()  # only when no other run uses it
        except OSError:
            pass


def test_a_folder_with_vietnamese_letters_and_spaces(vietnamese_folder: Path) -> None:
    db = vietnamese_folder / "Sổ tay kiểm tra.sqlite"
    made = kiemtra("--db", str(db), "demo")
    assert made.returncode == 0, made.stderr.decode("utf-8", "replace")
    listed = kiemtra("--db", str(db), "plans", "--json")
    assert listed.returncode == 0, listed.stderr.decode("utf-8", "replace")
    assert any("Sóc Trăng" in plan["issuer"] for plan in json.loads(listed.stdout))
    copy = vietnamese_folder / "Bản sao lưu" / "sao lưu 1.sqlite"
    saved = kiemtra("--db", str(db), "backup", "-o", str(copy))
    assert saved.returncode == 0 and copy.is_file(), saved.stderr.decode("utf-8", "replace")
    # Restore (bug B: it always failed on Windows) from and into the same folder.
    back = kiemtra("--db", str(db), "restore", str(copy))
    assert back.returncode == 0, back.stderr.decode("utf-8", "replace")
    assert not list(vietnamese_folder.glob("*.restore.tmp"))
    # The note about 0600: on Windows, only for the folder outside the user's profile.
    outside = sys.platform == "win32" and not vietnamese_folder.is_relative_to(Path.home())
    assert ("quyền 0600" in made.stderr.decode("utf-8")) == outside


def test_note_when_the_database_lies_outside_the_profile(tmp_path: Path) -> None:
    home = tmp_path / "home"
    outside = unprotected_note(tmp_path / "chung" / "k.sqlite", platform="win32", home=home)
    assert outside is not None and "quyền 0600" in outside and "ngoài thư mục người dùng" in outside
    assert "\n" not in outside
    inside = home / "AppData" / "Local" / APP_NAME / "kiemtra.sqlite"
    assert unprotected_note(inside, platform="win32", home=home) is None
    # Elsewhere 0600 is what protects the files: nothing to say.
    assert unprotected_note(tmp_path / "chung" / "k.sqlite", platform="linux", home=home) is None


@windows_only
def test_vietnamese_reaches_a_pipe_in_the_windows_code_page(tmp_path: Path) -> None:
    """Bug A as Windows shows it: no PYTHONIOENCODING, no UTF-8 mode, a pipe → the ANSI code
    page; every command used to die on its last Vietnamese line."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONIOENCODING", "PYTHONUTF8")}
    db = tmp_path / "k.sqlite"
    done = subprocess.run(
        [sys.executable, "-X", "utf8=0", "-m", "desktop", "--db", str(db), "demo"],
        capture_output=True,
        cwd=ROOT,
        env=env,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert "UnicodeEncodeError" not in done.stderr.decode("utf-8", "replace")
    assert done.stdout.decode("utf-8").strip()  # its Vietnamese summary, in UTF-8
