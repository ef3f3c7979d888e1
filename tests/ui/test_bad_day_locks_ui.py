"""The window keeps its SQLite locks for its whole life (issue 16).

Closing any file descriptor of the database file drops all of the process's POSIX locks on it;
an outside reader (DB Browser, an IT check) closing after that finds no one using the WAL and
deletes it under the window. After every export kind done through the window's controllers,
an outside `sqlite3` process reads the database; the -wal must still be there and what the
window writes next must be seen by the next outside reader.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget

from db import Store
from desktop.ui.backups.dialog import BackupsDialog
from desktop.ui.store_adapter import StoreAdapter
from desktop.ui.sync.controller import SyncController
from desktop.ui.sync.dialogs import SyncExportChoice, SyncExportDialog
from tests.ui.test_export_ui import controller_for, seams, wait_done

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("does not support propagateSizeHints", "does not support raise"),
]
__all__ = ["seams"]  # the export dialogs' patched seams (a fixture)

OUTSIDE = (
    "import sqlite3, sys\n"
    "c = sqlite3.connect(sys.argv[1])\n"
    "print(c.execute(\"SELECT value FROM settings WHERE key = 'test.mark'\").fetchone())\n"
    "c.close()\n"
)


def outside_read(db_path: Path) -> str:
    """What a separate process reading the database sees of the test's mark."""
    done = subprocess.run(
        [sys.executable, "-c", OUTSIDE, str(db_path)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def still_locked(store: Store, db_path: Path, n: int) -> None:
    outside_read(db_path)
    wal = Path(f"{db_path}-wal")
    assert wal.exists(), "an outside reader removed the window's WAL: its locks were dropped"
    store.settings.set_setting("test.mark", f"after-{n}")
    assert outside_read(db_path) == f"('after-{n}',)"
    assert wal.exists()


def test_every_export_keeps_the_windows_locks(
    qtbot: Any, demo_store: Store, db_path: Path, seams: dict[str, Any], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    host = QWidget()
    qtbot.addWidget(host)
    exports = controller_for(host, demo_store)
    adapter = StoreAdapter(demo_store, host)
    monkeypatch.setattr(
        SyncExportDialog, "ask", classmethod(lambda cls, *a: SyncExportChoice(full=True))
    )
    target = tmp_path / "goi.kiemtra"
    monkeypatch.setattr(SyncController, "ask_save_path", staticmethod(lambda *a: target))
    monkeypatch.setattr(SyncController, "show_info", staticmethod(lambda *a: None))
    monkeypatch.setattr(BackupsDialog, "show_info", staticmethod(lambda *a: None))
    sync = SyncController(
        adapter, host, current_plan=lambda: adapter.plans()[0]["id"], reopen=lambda _p: None
    )
    backups = BackupsDialog(adapter, lambda _p: None, parent=host)
    qtbot.addWidget(backups)

    def run_sync() -> None:
        with qtbot.waitSignal(sync.exported, timeout=60000):
            sync.export_package()

    def run_backup() -> None:
        with qtbot.waitSignal(backups.backedUp, timeout=60000):
            backups.backup_now()

    kinds: dict[str, Callable[[], Any]] = {
        "biên bản PDF": lambda: wait_done(
            qtbot, exports, lambda: exports.export_inspection("bien-ban", "pdf")
        ),
        "kết luận DOCX": lambda: wait_done(
            qtbot, exports, lambda: exports.export_inspection("ket-luan", "docx")
        ),
        "báo cáo PDF": lambda: wait_done(qtbot, exports, lambda: exports.export_plan_report("pdf")),
        "tổng hợp XLSX": lambda: wait_done(qtbot, exports, exports.export_summary),
        "gói đồng bộ": run_sync,
        "sao lưu": run_backup,
    }
    still_locked(demo_store, db_path, 0)
    for n, (name, run) in enumerate(kinds.items(), start=1):
        run()
        try:
            still_locked(demo_store, db_path, n)
        except AssertionError as exc:
            raise AssertionError(f"after {name}: {exc}") from exc


@pytest.mark.skipif(
    sys.platform == "win32",
    reason="POSIX only: closing any descriptor of a file drops its fcntl locks (not on Windows)",
)
def test_the_check_sees_a_dropped_lock(store: Store, db_path: Path) -> None:
    """The control: one open-and-close of the database file outside SQLite (what the checked
    paths must never do) and the outside reader takes the WAL away."""
    store.settings.set_setting("test.mark", "before")
    still_locked(store, db_path, 0)
    with open(db_path, "rb") as handle:  # closing it drops the process's POSIX locks
        handle.read(100)
    with pytest.raises(AssertionError, match="WAL"):
        still_locked(store, db_path, 1)
