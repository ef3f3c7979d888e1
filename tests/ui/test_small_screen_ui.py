"""Every top-level window and dialog of the app fits a 1024×600 screen with its buttons whole.

The windows are found in the code (tests/ui/small_screen.py: `discover`), so a new dialog is
covered without a new test; they are built with demo data and measured in a process whose
offscreen screen is 1024×600 (Qt fixes the screen size when the application starts).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.ui.small_screen import FRAME, SMALL, discover

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]
WINDOWS = sorted(discover())


@pytest.fixture(scope="module")
def measured(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("small-screen")
    config = folder / "screen.json"
    width, height = SMALL
    config.write_text(
        json.dumps({"screens": [{"name": "small", "width": width, "height": height}]})
    )
    out = folder / "measured.json"
    # The config is named relative to the working folder: Qt splits the platform's options at
    # ":", so a Windows path ("C:\\…") would cut it (the probe died under Wine).
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": f"offscreen:configfile={config.name}",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    subprocess.run(
        [sys.executable, "-m", "tests.ui.small_screen", str(out)],
        cwd=folder,
        env=env,
        check=True,
        timeout=300,
        capture_output=True,
    )
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return result


def test_the_windows_are_found() -> None:
    names = {n.rsplit(".", 1)[1] for n in WINDOWS}
    assert {"MainWindow", "ConclusionDialog", "DashboardWindow", "FollowupWindow"} <= names
    assert {"ConflictsDialog", "ImportPreviewDialog", "GuideDialog"} <= names


@pytest.mark.parametrize("name", WINDOWS)
def test_fits_1024x600_with_every_button_whole(measured: dict[str, Any], name: str) -> None:
    assert measured["screen"] == [0, 0, *SMALL]
    window = measured["windows"][name]
    assert "error" not in window, window.get("error")
    width, height = window["size"]
    # With a window manager's frame and title bar around it, it stays on the screen.
    assert width + FRAME[0] <= SMALL[0] and height + FRAME[1] <= SMALL[1], window
    x, y, w, h = window["frame"]
    assert x >= 0 and y >= 0 and x + w <= SMALL[0] and y + h <= SMALL[1], window
    assert window["cut"] == []
