"""Vietnamese output through a pipe whose encoding cannot hold it (issue 19, bug A).

Windows gives a stream that is not a console its ANSI code page (cp1252, cp1258); Python on
Linux does the same with PYTHONIOENCODING=cp1252, so the bug reproduces here: before the fix
every command did its work and then died on its last message with UnicodeEncodeError.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.launcher import utf8_streams


def _run(args: list[str], encoding: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": encoding, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("PYTHONUTF8", None)
    return subprocess.run(
        [sys.executable, "-X", "utf8=0", "-m", "desktop", *args],
        capture_output=True,
        env=env,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("encoding", ["cp1252", "cp1258"])
def test_json_in_vietnamese_reaches_a_pipe_in_an_ansi_code_page(
    tmp_path: Path, encoding: str
) -> None:
    db = tmp_path / "kiem tra.sqlite"
    assert _run(["--db", str(db), "demo"], encoding).returncode == 0
    done = _run(["--db", str(db), "plans", "--json"], encoding)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    plans = json.loads(done.stdout.decode("utf-8"))
    assert any("Sóc Trăng" in plan["issuer"] for plan in plans)


def test_an_error_in_vietnamese_reaches_a_pipe_in_an_ansi_code_page(tmp_path: Path) -> None:
    done = _run(["--db", str(tmp_path / "x.sqlite"), "findings", "khong-co"], "cp1252")
    assert done.returncode != 0
    message = done.stderr.decode("utf-8")
    assert "UnicodeEncodeError" not in message and "Traceback" not in message
    assert message.startswith("Lỗi") or "Không" in message, message


def test_streams_already_in_utf8_are_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    ansi = io.TextIOWrapper(io.BytesIO(), encoding="cp1252")
    utf8 = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    monkeypatch.setattr(sys, "stdout", ansi)
    monkeypatch.setattr(sys, "stderr", utf8)
    utf8_streams()
    assert ansi.encoding == "utf-8" and utf8.encoding == "utf-8"
    print("Kiểm tra ở đơn vị", file=ansi, end="")
    ansi.flush()
    assert ansi.buffer.getvalue().decode("utf-8") == "Kiểm tra ở đơn vị"  # type: ignore[attr-defined]
