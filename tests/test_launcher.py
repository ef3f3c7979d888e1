"""The `kiemtra` entry point: the window without the command line, everything else via click."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from db import Store
from desktop.launcher import window_database

ROOT = Path(__file__).resolve().parents[1]


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("KIEMTRA_DB", "KIEMTRA_ACTOR")}
    env.update(QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT), **extra)
    return env


def test_only_window_options_take_the_fast_path(tmp_path: Path, monkeypatch) -> None:
    db = tmp_path / "a.sqlite"
    monkeypatch.setenv("KIEMTRA_DB", str(tmp_path / "env.sqlite"))
    assert window_database([]) == tmp_path / "env.sqlite"
    assert window_database(["--db", str(db)]) == db
    assert window_database([f"--db={db}"]) == db
    assert window_database(["--as", "Trần Văn A", "--db", str(db)]) == db
    assert window_database(["--as=Nguyễn B"]) == tmp_path / "env.sqlite"
    # Anything else is click's to parse (and to report).
    for argv in (
        ["plans"],
        ["--help"],
        ["-h"],
        ["--version"],
        ["--selftest"],
        ["--db"],
        ["--db", "--help"],
        ["--db", ""],
        ["--db", str(db), "--db", str(db)],
        ["--db", str(tmp_path)],  # a folder: click says why
        ["--db", str(db), "gui"],
    ):
        assert window_database(argv) is None, argv


def test_without_env_the_default_database_is_used(monkeypatch) -> None:
    from desktop.services.paths import default_db_path

    monkeypatch.delenv("KIEMTRA_DB", raising=False)
    assert window_database([]) == default_db_path()


# Runs the real entry point in a fresh process; the window, once shown, reports which modules
# are loaded and closes itself.
SHOW_AND_REPORT = """
import json, sys
import desktop.ui.app as app_module

real_run = app_module.run

def run(path):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    app = QApplication.instance() or QApplication(sys.argv[:1])
    def report():
        shown = [w.windowTitle() for w in app.topLevelWidgets() if w.isVisible()]
        print(json.dumps({"titles": shown, "modules": sorted(sys.modules)}), flush=True)
        app.quit()
    QTimer.singleShot(0, report)
    return real_run(path)

app_module.run = run
from desktop.launcher import main
main(sys.argv[1:])
"""


def test_the_window_opens_without_the_command_line(tmp_path: Path) -> None:
    db = tmp_path / "kiemtra.sqlite"
    Store.open(db).close()  # an existing, up-to-date database: nothing to migrate
    done = _run_window(SHOW_AND_REPORT, db)
    assert done.returncode == 0, done.stderr
    report = _last_json(done)
    assert report["titles"] == ["Kiểm tra CCHC — kiemtra.sqlite"]
    modules = set(report["modules"])
    assert "desktop.ui.main_window" in modules
    assert not [m for m in modules if m == "desktop.cli" or m.startswith("desktop.cli.")]
    # Showing the window only reads: neither click nor sqlite-utils (which pulls in click,
    # dateutil and pluggy) is imported before it is on screen.
    top_level = {m.split(".")[0] for m in modules}
    assert not top_level & {"click", "sqlite_utils", "dateutil", "pluggy"}


def test_a_new_database_is_created_from_the_window_path(tmp_path: Path) -> None:
    db = tmp_path / "new" / "kiemtra.sqlite"
    done = _run_window(SHOW_AND_REPORT, db)
    assert done.returncode == 0, done.stderr
    report = _last_json(done)
    assert report["titles"] == ["Kiểm tra CCHC — kiemtra.sqlite"]
    assert "sqlite_utils" in set(report["modules"])  # the migrations made the schema
    assert db.exists()


@pytest.mark.parametrize(
    ("argv", "expected"),
    [(["--version"], "0."), (["--help"], "Usage: kiemtra"), (["plans", "--help"], "kế hoạch")],
)
def test_commands_still_go_through_click(tmp_path: Path, argv: list[str], expected: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "desktop", *argv],
        capture_output=True,
        encoding="utf-8",  # the program writes UTF-8 to a pipe (Windows too)
        env=_env(KIEMTRA_DB=str(tmp_path / "k.sqlite")),
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert expected in done.stdout


def test_a_folder_as_database_is_refused_by_click(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "desktop", "--db", str(tmp_path)],
        capture_output=True,
        encoding="utf-8",
        env=_env(),
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode != 0
    assert done.stderr.startswith("Lỗi:")


# Runs the real entry point in a fresh process and evaluates PROBE (with `path`, the database,
# in scope) when the event loop starts — before the first paint — and again just after the
# window's first paint, then closes; prints {"before_paint": ..., "after_paint": ...}.
AROUND_FIRST_PAINT = """
import gc, json, sys
from pathlib import Path
import desktop.ui.app as app_module
from desktop.services.backup import list_backups

real_run = app_module.run
seen = {}

def probe(path):
    return PROBE

def run(path):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from desktop.ui.main_window import MainWindow
    app = QApplication.instance() or QApplication(sys.argv[:1])
    def shown():
        window = next(w for w in app.topLevelWidgets() if isinstance(w, MainWindow))
        seen["before_paint"] = probe(path)
        window.firstPainted.connect(lambda: QTimer.singleShot(0, painted))
    def painted():
        seen["after_paint"] = probe(path)
        app.quit()
    QTimer.singleShot(0, shown)
    return real_run(path)

app_module.run = run
from desktop.launcher import main
try:
    main(sys.argv[1:])
finally:
    print(json.dumps(seen), flush=True)
"""


def _run_window(script: str, db: Path) -> subprocess.CompletedProcess[str]:
    """The entry point run as `kiemtra --db DB` by `script`, in a fresh process."""
    return subprocess.run(
        [sys.executable, "-c", script, "--db", str(db)],
        capture_output=True,
        encoding="utf-8",
        env=_env(),
        cwd=ROOT,
        timeout=120,
    )


def _around_first_paint(probe: str, db: Path) -> subprocess.CompletedProcess[str]:
    return _run_window(AROUND_FIRST_PAINT.replace("PROBE", probe), db)


def _last_json(done: subprocess.CompletedProcess[str]) -> Any:
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_daily_backup_is_made_once_the_window_is_painted(tmp_path: Path) -> None:
    from db import Store
    from desktop.services.demo import build_demo

    db = tmp_path / "kiemtra.sqlite"
    store = Store.open(db)
    build_demo(store)
    store.close()
    done = _around_first_paint("len(list_backups(Path(path)))", db)
    assert done.returncode == 0, done.stderr
    assert _last_json(done) == {
        "before_paint": 0,
        "after_paint": 1,
    }


def test_the_collector_is_off_while_starting_and_on_once_painted(tmp_path: Path) -> None:
    db = tmp_path / "kiemtra.sqlite"
    Store.open(db).close()
    seen = _last_json(_around_first_paint("gc.isenabled()", db))
    assert seen == {"before_paint": False, "after_paint": True}
