"""Start-up and memory, each in a fresh Python process.

start-up: spawn → main window shown and painted on a database of 200 units, vs spawn → a bare
PySide6 window showing a QLabel, shown and painted; run side by side (interleaved), median of 5.
Ours runs the `kiemtra --db FILE` entry point itself (desktop.launcher.main, what the console
script and `python -m desktop` call). Both stop at the same moment, measured the same way: when
the first paint of the window has finished (a zero timer started at the first Paint event runs
once that paint pass is over). Same interpreter, same environment, same byte-code cache, the
same screen: a 1366×768 laptop's (the offscreen platform's config file).
peak memory: open the 200 units × 10 years database, build the window, switch through 20
inspections, apply the filters and a search; peak RSS against the 400 MB limit.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from tests.bench.data import scale_db, workdir
from tests.bench.harness import Outcome, benchmark

ROOT = Path(__file__).resolve().parents[2]
RUNS = 5
SHOWN = "SHOWN"
MEMORY_LIMIT_MB = 400

# Both programs get the same watcher, armed as soon as their QApplication exists. Its first
# zero timer fires when the event loop starts, after show() and before the window is painted;
# it then watches the shown window's QWindow (a handful of events, so the watcher costs either
# side nothing measurable) and reports once the first expose/paint has been handled: the
# window is on screen. (A filter over every event of the application would tax ours, with
# thousands of events while the window is built, far more than the bare label.)
WATCHER = f"""
import sys


def watch_first_paint():
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    paint_events = (QEvent.Type.Expose, QEvent.Type.Paint, QEvent.Type.UpdateRequest)
    app = QApplication.instance() or QApplication(sys.argv[:1])

    class FirstPaint(QObject):
        seen = False

        def arm(self):
            for widget in app.topLevelWidgets():
                if widget.isVisible() and widget.windowHandle() is not None:
                    widget.windowHandle().installEventFilter(self)

        def eventFilter(self, obj, event):
            if not self.seen and event.type() in paint_events and obj.isExposed():
                self.seen = True  # handling this event paints the window; the timer runs after
                QTimer.singleShot(0, lambda: (print("{SHOWN}", flush=True), app.quit()))
            return False

    watcher = FirstPaint()
    QTimer.singleShot(0, watcher.arm)
    return watcher
"""

# Ours: the console script's entry point (`kiemtra --db FILE`), importing in its own order —
# the database layer before Qt, as a user's start does. Qt's QApplication is made by the
# program; the watcher is armed at the first import after PySide6.QtWidgets is loaded.
OURS = f"""
{WATCHER}


class ArmWhenQtLoaded:
    def find_spec(self, name, path=None, target=None):
        if "PySide6.QtWidgets" in sys.modules:
            sys.meta_path.remove(self)
            global watcher
            watcher = watch_first_paint()
        return None


sys.meta_path.insert(0, ArmWhenQtLoaded())
from desktop.launcher import main

main(["--db", sys.argv[1]])
"""

BARE = f"""
{WATCHER}
from PySide6.QtWidgets import QApplication, QLabel

app = QApplication(sys.argv[:1])
watcher = watch_first_paint()
label = QLabel("Kiểm tra CCHC")
label.show()
app.exec()
"""

BROWSE = """
import json, resource, sys, time
from pathlib import Path
from PySide6.QtWidgets import QApplication
from desktop.ui.app import create_window
app = QApplication(sys.argv[:1])
steps = []
def step(name, action):
    start = time.perf_counter()
    result = action()
    app.processEvents()
    steps.append((time.perf_counter() - start, name))
    return result
window = step("open", lambda: create_window(Path(sys.argv[1])))
step("show", window.show)
inspections = window.adapter.inspections(window.selection.plan_id)
for inspection in inspections[:20]:
    step("switch visit", lambda: window.select_inspection(inspection["id"]))
pane = window.pane
for action in (pane.unrecorded_action, pane.not_passed_action, pane.with_rec_action):
    step("filter", lambda: action.setChecked(True))
    step("filter", lambda: action.setChecked(False))
step("search", lambda: window.pane.search_edit.setText("niem yet"))
shown = window.proxy.rowCount()
step("search", lambda: window.pane.search_edit.setText(""))
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
# The slowest step once the window is open (opening is the start-up benchmark's business).
slowest = max(s for s in steps[2:])
print(json.dumps({"peak_kb": peak_kb(), "inspections": len(inspections), "search_rows": shown,
                  "slowest_s": slowest[0], "slowest": slowest[1]}))
"""


# The screen both programs start on: the modest laptop of the issue (1366×768 at 96 dpi),
# not the offscreen platform's default 800×800 square.
LAPTOP_SCREEN = {
    "screens": [
        {
            "name": "laptop",
            "x": 0,
            "y": 0,
            "width": 1366,
            "height": 768,
            "logicalDpi": 96,
            "logicalBaseDpi": 96,
            "dpr": 1,
        }
    ]
}


def _env() -> dict[str, str]:
    import json

    screen = workdir() / "laptop-screen.json"
    if not screen.exists():
        screen.write_text(json.dumps(LAPTOP_SCREEN))
    # Byte-code cached as in an installed copy (pip and the bundle ship .pyc files): without
    # it every start would compile the project's sources, which the bare window never does.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(
        QT_QPA_PLATFORM=f"offscreen:configfile={screen}",
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
    watchdog = threading.Timer(120, proc.kill)  # a window that never shows fails, not hangs
    watchdog.start()
    try:
        for line in proc.stdout:
            if line.strip() == SHOWN:
                elapsed = time.perf_counter() - start
                break
        else:
            proc.wait()
            raise RuntimeError(f"the window never showed (exit {proc.returncode})")
        proc.wait(timeout=60)
    finally:
        watchdog.cancel()
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


# The province of the scale target: "200 units × 10 years (about 600,000 findings)". With the
# default checklist (77 items) 200 units give 126,400 findings in ten years; 950 units give the
# 600,000 the issue sizes the database by, so that is what is browsed.
PROVINCE = (950, 10)
PAUSE_LIMIT_S = 0.1  # a step answered within 100 ms feels immediate: no visible pause
_BROWSED: dict[str, object] = {}


def _browse() -> tuple[dict[str, object], dict[str, int]]:
    """Open the province's database in the window and browse it (once per run)."""
    import json

    path, counts = scale_db(*PROVINCE)
    if not _BROWSED:
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
        _BROWSED.update(json.loads(done.stdout.strip().splitlines()[-1]))
    return _BROWSED, counts


@benchmark
def peak_memory() -> Outcome:
    """Target (issue 8): under 400 MB with a decade of a province open and browsed."""
    result, counts = _browse()
    peak_mb = int(result["peak_kb"]) / 1024  # type: ignore[call-overload]
    return Outcome(
        f"peak memory, {PROVINCE[0]} units × {PROVINCE[1]} years browsed",
        peak_mb,
        MEMORY_LIMIT_MB,
        1.0,
        f"{counts['findings']:,} findings; 20 visits, 3 filters, a search",
        extra={"unit": "MB"},
    )


@benchmark
def browse_pause() -> Outcome:
    """Target (issue 8): switching visits, filtering and searching without a visible pause."""
    result, counts = _browse()
    return Outcome(
        "slowest browse step, same province",
        float(result["slowest_s"]),  # type: ignore[arg-type]
        PAUSE_LIMIT_S,
        1.0,
        f"{result['slowest']}; {result['inspections']} visits in the plan, "
        f"{counts['findings']:,} findings",
        extra={"unit": "ms"},
    )
