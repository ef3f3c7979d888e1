"""One writer per database: a second program is told who holds it; a dead holder's lock is
recovered. Real second processes (tests/crash_writer.py) hold the lock."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from db import DatabaseLockedError, Store, StoreError
from db.errors import READ_ONLY_MESSAGE
from db.lock import lock_path, read_holder

ROOT = Path(__file__).resolve().parents[1]
HELPER = ROOT / "tests" / "crash_writer.py"
TIMEOUT = 60


class Holder:
    """Another copy of the app holding the database open for writing."""

    def __init__(self, db_path: Path, app: str = "Kiểm tra CCHC (máy thư ký)") -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(HELPER), str(db_path), "hold", app],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=ROOT,
            encoding="utf-8",
        )
        assert self.proc.stdout is not None
        first = self.proc.stdout.readline()
        if not first:
            raise AssertionError(self.proc.stderr.read() if self.proc.stderr else "no output")
        self.pid = json.loads(first)["pid"]
        assert self.proc.stdout.readline().strip() == "ready"

    def close(self) -> None:
        """Close the Store normally and exit."""
        out, _ = self.proc.communicate("close\n", timeout=TIMEOUT)
        assert out.strip() == "closed"

    def kill(self) -> None:
        """Kill it without warning: SIGKILL on POSIX, TerminateProcess on Windows."""
        self.proc.kill()
        self.proc.communicate(timeout=TIMEOUT)


def try_in_other_process(db_path: Path) -> str:
    out = subprocess.run(
        [sys.executable, str(HELPER), str(db_path), "try"],
        capture_output=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=TIMEOUT,
        check=True,
    )
    return out.stdout.strip()


@pytest.fixture
def made(db_path: Path) -> Path:
    from desktop.services.demo import build_demo

    store = Store.open(db_path)
    build_demo(store)
    store.close()
    return db_path


@pytest.fixture
def holder(made: Path) -> Iterator[Holder]:
    h = Holder(made)
    yield h
    if h.proc.poll() is None:
        h.kill()


def test_second_program_is_told_who_holds_the_database(made: Path, holder: Holder) -> None:
    with pytest.raises(DatabaseLockedError) as caught:
        Store.open(made)
    message = str(caught.value)
    assert message.startswith(
        "Cơ sở dữ liệu đang được mở để ghi bởi Kiểm tra CCHC (máy thư ký) "
        f"trên máy {socket.gethostname()} (tiến trình {holder.pid}) từ "
    )
    assert re.search(r"từ \d{2}/\d{2}/\d{4} \d{2}:\d{2}$", message), message
    assert caught.value.holder is not None and caught.value.holder["pid"] == holder.pid
    # The same answer for another process, and for the command line.
    assert try_in_other_process(made).startswith("locked Cơ sở dữ liệu đang được mở để ghi bởi")


def test_command_line_refuses_while_another_program_writes(
    made: Path, holder: Holder, kiemtra: Any
) -> None:
    result = kiemtra("device", "rename", "Máy mới", ok=False)  # a command that writes
    assert result.exit_code != 0
    assert "đang được mở để ghi bởi Kiểm tra CCHC (máy thư ký)" in result.output
    assert f"(tiến trình {holder.pid})" in result.output


def test_read_only_open_works_while_another_program_writes(made: Path, holder: Holder) -> None:
    reader = Store.open(made, read_only=True)
    try:
        assert [p["number"] for p in reader.planning.plans()] == ["21/KH-UBND"]
        with pytest.raises(StoreError) as caught:
            reader.settings.set_setting("x", "y")
        assert str(caught.value) == READ_ONLY_MESSAGE
    finally:
        reader.close()
    assert holder.proc.poll() is None  # the writer is undisturbed


def test_closing_releases_the_lock(made: Path, holder: Holder) -> None:
    holder.close()
    if sys.platform == "win32":
        # An open file cannot be removed there: the lock file is emptied instead.
        assert lock_path(made).read_bytes() == b""
    else:
        assert not lock_path(made).exists()
    store = Store.open(made)
    try:
        assert try_in_other_process(made).startswith("locked ")
    finally:
        store.close()
    assert try_in_other_process(made) == "ok"


def test_lock_of_a_killed_holder_is_recovered(made: Path, holder: Holder) -> None:
    holder.kill()
    # The crashed program left its lock file behind, describing a process that is gone ...
    stale = read_holder(lock_path(made))
    assert stale is not None and stale["pid"] == holder.pid
    # ... but the operating system dropped its lock with it: the file is taken over.
    store = Store.open(made)
    try:
        now = read_holder(lock_path(made))
        assert now is not None
        import os

        assert now["pid"] == os.getpid()
        assert try_in_other_process(made).startswith("locked ")
    finally:
        store.close()


def test_same_process_may_open_twice_and_lock_lasts_until_both_close(made: Path) -> None:
    first = Store.open(made)
    second = Store.open(made)
    try:
        assert try_in_other_process(made).startswith("locked ")
        first.close()
        assert try_in_other_process(made).startswith("locked ")
    finally:
        second.close()
        first.close()  # closing twice is harmless
    assert try_in_other_process(made) == "ok"
