"""Start-up and memory, each in a fresh Python process.

start-up: spawn → main window shown on a database of 200 units, vs spawn → a bare PySide6
window showing a QLabel; run side by side (interleaved), median of 5.
peak memory: open the 200 units × 10 years database, build the window, switch through 20
inspections, apply the filters and a search; peak RSS against the 400 MB limit.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from tests.bench.data import scale_db, workdir
from tests.bench.harness import Outcome, benchmark

ROOT = Path(__file__).resolve().parents[2]
RUNS = 5
SHOWN = "SHOWN"
MEMORY_LIMIT_MB = 400

OURS = f"""
import sys
from pathlib import Path
import desktop.cli  # the entry point: every command module registered
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from desktop.ui.app import create_window
app = QApplication(sys.argv[:1])
window = create_window(Path(sys.argv[1]))
window.show()
QTimer.singleShot(0, lambda: (print("{SHOWN}", flush=True), app.quit()))
app.exec()
window.adapter.close()
"""

BARE = f"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication(sys.argv[:1])
label = QLabel("Kiểm tra CCHC")
label.show()
QTimer.singleShot(0, lambda: (print("{SHOWN}", flush=True), app.quit()))
app.exec()
"""

BROWSE = """
import json, resource, sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
from desktop.ui.app import create_window
app = QApplication(sys.argv[:1])
window = create_window(Path(sys.argv[1]))
window.show()
app.processEvents()
inspections = window.adapter.inspections(window._plan_id)
for inspection in inspections[:20]:
    window.select_inspection(inspection["id"])
    app.processEvents()
for action in (window.unrecorded_action, window.not_passed_action, window.with_rec_action):
    action.setChecked(True)
    app.processEvents()
    action.setChecked(False)
window.search_edit.setText("niem yet")
app.processEvents()
shown = window.proxy.rowCount()
window.search_edit.setText("")
window.adapter.close()
def peak_kb():
    # VmHWM: this program's own peak. ru_maxrss would also count the parent's memory at
    # fork time, which Linux carries over exec.
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"peak_kb": peak_kb(),
                  "inspections": len(inspections), "search_rows": shown}))
"""


def _env() -> dict[str, str]:
    # Byte-code cached as in an installed copy (pip and the bundle ship .pyc files): without
    # it every start would compile the project's sources, which the bare window never does.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(
        QT_QPA_PLATFORM="offscreen",
        PYTHONPATH=str(ROOT),
        PYTHONPYCACHEPREFIX=str(workdir() / "pycache"),
    )
    return env


def _time_to_shown(script: str, *args: str) -> float:
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", script, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=_env(),
        cwd=ROOT,
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.strip() == SHOWN:
            elapsed = time.perf_counter() - start
            break
    else:
        proc.wait()
        raise RuntimeError(f"the window never showed (exit {proc.returncode})")
    proc.wait(timeout=60)
    return elapsed


@benchmark
def startup() -> Outcome:
    """Target (issue 8): ≤ 2× a bare PySide6 window with a QLabel."""
    path, counts = scale_db(200, 1)
    _time_to_shown(BARE)  # warm the file cache for both
    _time_to_shown(OURS, str(path))
    ours, bare = [], []
    for _ in range(RUNS):
        bare.append(_time_to_shown(BARE))
        ours.append(_time_to_shown(OURS, str(path)))
    return Outcome(
        "start-up to the main window",
        statistics.median(ours),
        statistics.median(bare),
        2.0,
        f"{counts['inspections']} inspections, {counts['findings']:,} findings; median of {RUNS}",
    )


@benchmark
def peak_memory() -> Outcome:
    """Target (issue 8): under 400 MB with a decade of a province open and browsed."""
    import json

    path, counts = scale_db(200, 10)
    done = subprocess.run(
        [sys.executable, "-c", BROWSE, str(path)],
        capture_output=True,
        text=True,
        env=_env(),
        cwd=ROOT,
        timeout=600,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    result = json.loads(done.stdout.strip().splitlines()[-1])
    peak_mb = result["peak_kb"] / 1024
    return Outcome(
        "peak memory, 200 units × 10 years browsed",
        peak_mb,
        MEMORY_LIMIT_MB,
        1.0,
        f"{counts['findings']:,} findings; 20 visits, 3 filters, a search",
        extra={"unit": "MB"},
    )
