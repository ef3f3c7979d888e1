"""Issue 16: `kiemtra backup` ("an toàn cả khi chương trình đang mở") and the commands that
only read work while the window holds the database; a command that writes says the window
is the writer."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from db import Store
from tests.conftest import invoke

WINDOW = """
import sys, time
from db import Store
store = Store.open(sys.argv[1], app="Kiểm tra CCHC")
print("ready", flush=True)
sys.stdin.readline()
store.close()
"""


@pytest.fixture
def window(db_path: Path) -> Iterator[tuple[Path, dict[str, str]]]:
    from desktop.services.demo import build_demo

    store = Store.open(db_path)
    try:
        build_demo(store, recommendations=True)
        plan = store.planning.plans()[0]["id"]
        inspection = store.planning.inspections(plan)[0]["id"]
    finally:
        store.close()
    holder = subprocess.Popen(
        [sys.executable, "-c", WINDOW, str(db_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        yield db_path, {"plan": plan, "inspection": inspection}
    finally:
        holder.communicate("\n", timeout=30)


_run = invoke


def test_read_only_commands_and_backup_work_while_the_window_is_open(
    window: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    db_path, ids = window
    for args in (
        ["plans", "--json"],
        ["inspections", "--json"],
        ["findings", "list", ids["inspection"], "--json"],
        ["recommendations", ids["inspection"], "--json"],
        ["scores", ids["plan"], "--json"],
        ["audit", "verify", "--json"],
    ):
        code, output = _run(db_path, *args)
        assert code == 0, f"{args}: {output}"
        json.loads(output)
    code, output = _run(db_path, "backup")
    assert code == 0, output
    made = Path(output.strip().rpartition(" ")[2])
    conn = sqlite3.connect(made)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM plans").fetchone()[0] == 1
    finally:
        conn.close()
    code, output = _run(db_path, "backup", "-o", str(tmp_path / "ngoai.sqlite"))
    assert code == 0, output and (tmp_path / "ngoai.sqlite").is_file()


def test_a_command_that_writes_names_the_window(window: tuple[Path, dict[str, str]]) -> None:
    db_path, ids = window
    code, output = _run(db_path, "device", "rename", "Máy mới")
    assert code == 1
    lines = output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Lỗi: Cơ sở dữ liệu đang được mở để ghi bởi")
    assert "cửa sổ" in lines[0]


def test_more_read_only_commands_work_while_the_window_is_open(
    window: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    db_path, ids = window
    for args in (
        ["search", "kế hoạch", "--json"],
        ["followup", "--json"],
        ["followup", "--unit-of", ids["inspection"], "--json"],
        ["escalation", "--json"],
        ["checklist", "show", "--json"],
        ["device", "list", "--json"],
        ["sync", "conflicts", "--json"],
        ["conclusion", "draft", ids["inspection"], "--json"],
    ):
        code, output = _run(db_path, *args)
        assert code == 0, f"{args}: {output}"
        json.loads(output)
    for args, made in (
        (["checklist", "export", "-o", str(tmp_path / "ds.xlsx")], tmp_path / "ds.xlsx"),
        (["summary", ids["plan"], "-o", str(tmp_path / "th.xlsx")], tmp_path / "th.xlsx"),
        (
            ["findings", "template", ids["inspection"], "-o", str(tmp_path / "p.xlsx")],
            tmp_path / "p.xlsx",
        ),
    ):
        code, output = _run(db_path, *args)
        assert code == 0, f"{args}: {output}"
        assert made.is_file()


def test_commands_that_write_say_the_window_is_the_writer(
    window: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    db_path, ids = window
    for args in (
        ["attachments", "gc"],
        ["finding", "set", ids["inspection"], "A1.1.1", "--result", "dat"],
        ["remediation", "add", "x", "--date", "01/01/2024", "--doc", "1", "--note", "x"],
        ["report", ids["inspection"], "--kind", "bien-ban", "--format", "pdf", "-o",
         str(tmp_path / "bb.pdf")],
    ):  # fmt: skip
        code, output = _run(db_path, *args)
        lines = output.strip().splitlines()
        assert code == 1 and len(lines) == 1, f"{args}: {output}"
        assert "cửa sổ" in lines[0] and "ghi" in lines[0], f"{args}: {output}"
