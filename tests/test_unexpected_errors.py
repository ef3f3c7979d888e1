"""An unexpected error (a bug): one Vietnamese message for the user, the traceback in the log
file beside the database (desktop.services.applog), never only on stderr."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from db import Store
from db.store.plans import Planning
from desktop.launcher import main
from desktop.services import applog


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "data" / "kiemtra.sqlite"
    Store.open(path).close()
    yield path
    applog.stop_logging()


def log_text(db: Path) -> str:
    return (db.parent / "logs" / "kiemtra.log").read_text(encoding="utf-8")


class Bug(Exception):
    pass


def test_nothing_is_written_until_something_is_logged(db: Path) -> None:
    assert applog.setup_logging(db) == db.parent / "logs" / "kiemtra.log"
    assert not (db.parent / "logs").exists()
    applog.setup_logging(db)  # again: still one handler
    try:
        raise Bug("lỗi thử")
    except Bug as exc:
        assert applog.log_unexpected((Bug, exc, exc.__traceback__), "thử") == applog.log_path_for(
            db
        )
    assert log_text(db).count("Bug: lỗi thử") == 1


def test_without_a_log_the_traceback_goes_to_stderr(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    applog.stop_logging()
    try:
        raise Bug("không có nhật ký")
    except Bug as exc:
        assert applog.log_unexpected((Bug, exc, exc.__traceback__), "thử") is None
    assert "Bug: không có nhật ký" in capsys.readouterr().err


def test_a_command_that_hits_a_bug_says_one_line_and_logs_the_traceback(
    db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(self: Planning) -> list[dict[str, object]]:
        raise KeyError("score")

    monkeypatch.setattr(Planning, "plans", broken)
    with pytest.raises(SystemExit) as exit_info:
        main(["--db", str(db), "plans"])
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("Lỗi: Đã xảy ra lỗi không mong muốn"), err
    assert "Traceback" not in err and str(db.parent / "logs" / "kiemtra.log") in err
    log = log_text(db)
    assert "Traceback" in log and "KeyError: 'score'" in log and "in broken" in log


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """The message boxes shown: (title, text); none is really opened."""
    from PySide6.QtWidgets import QMessageBox

    boxes: list[tuple[str, str]] = []

    def exec_(box: QMessageBox) -> int:
        boxes.append((box.windowTitle(), box.text()))
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    return boxes


@pytest.mark.gui
@pytest.mark.qt_no_exception_capture  # the program's own excepthook, not pytest-qt's
def test_an_exception_in_a_slot_shows_one_message_and_is_logged(
    qtbot, db: Path, shown: list[tuple[str, str]]
) -> None:
    from PySide6.QtWidgets import QApplication, QPushButton

    from desktop.ui.app import install_error_reporter

    reporter = install_error_reporter(QApplication.instance(), db)
    try:
        button = QPushButton("Lưu")
        qtbot.addWidget(button)

        def on_click() -> None:
            raise ZeroDivisionError("chia cho không")

        button.clicked.connect(on_click)
        button.click()
    finally:
        reporter.uninstall()
    assert len(shown) == 1
    title, text = shown[0]
    assert title == "Lỗi không mong muốn"
    assert text.startswith("Đã xảy ra lỗi không mong muốn (ZeroDivisionError)")
    assert str(db.parent / "logs" / "kiemtra.log") in text
    log = log_text(db)
    assert "Traceback" in log and "ZeroDivisionError: chia cho không" in log
    assert "in on_click" in log


@pytest.mark.gui
@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_worker_thread_is_shown_from_the_window_thread(
    qtbot, db: Path, shown: list[tuple[str, str]]
) -> None:
    from PySide6.QtWidgets import QApplication

    from desktop.ui.app import install_error_reporter

    reporter = install_error_reporter(QApplication.instance(), db)
    try:

        def work() -> None:
            raise ValueError("hỏng trong luồng")

        worker = threading.Thread(target=work, name="xuat-bao-cao")
        worker.start()
        worker.join()
        qtbot.waitUntil(lambda: len(shown) == 1)
    finally:
        reporter.uninstall()
    assert "ValueError" in shown[0][1]
    log = log_text(db)
    assert "luồng xuat-bao-cao" in log and "ValueError: hỏng trong luồng" in log


def test_the_log_rotates_and_keeps_a_few_old_files(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(applog, "LOG_MAX_BYTES", 2_000)
    applog.setup_logging(db)
    for n in range(200):
        applog.log.warning("ghi chú số %d %s", n, "x" * 50)
    logs = sorted(p.name for p in (db.parent / "logs").iterdir())
    assert logs == ["kiemtra.log", *(f"kiemtra.log.{i}" for i in range(1, applog.LOG_BACKUPS + 1))]
    assert all(p.stat().st_size < 2_200 for p in (db.parent / "logs").iterdir())
    assert "ghi chú số 199" in log_text(db)
    assert "ghi chú số 198" in log_text(db) or "số 198" in (
        db.parent / "logs" / "kiemtra.log.1"
    ).read_text(encoding="utf-8")
