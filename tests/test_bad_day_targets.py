"""Issue 16, item 1: `-o` never writes over the live database, its -wal/-shm/lock, the data
folder's managed parts, or anything that is not a regular file; `--db` naming a device or a
FIFO is refused without changing its mode. One Vietnamese line, a non-zero exit, for every
command that writes a file."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from db import Store, files
from tests.conftest import invoke

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs")

# command -> (its arguments before -o, given the demo's ids; the suffix it wants)
MANAGED = ("backups", "keys", "attachments", "logs")
Args = Callable[[dict[str, str]], list[str]]
COMMANDS: dict[str, tuple[Args, str]] = {
    "sync export": (lambda ids: ["sync", "export", "--full"], ".kiemtra"),
    "report": (lambda ids: ["report", ids["inspection"], "--kind", "bien-ban"], ".pdf"),
    "report-plan": (lambda ids: ["report-plan", ids["plan"]], ".pdf"),
    "checklist export": (lambda ids: ["checklist", "export"], ".xlsx"),
    "findings template": (lambda ids: ["findings", "template", ids["inspection"]], ".xlsx"),
    "reminder": (
        lambda ids: ["reminder", ids["inspection"], "--format", "pdf", "--today", "01/01/2030"],
        ".pdf",
    ),
    "plan template": (lambda ids: ["plan", "template"], ".xlsx"),
    "summary": (lambda ids: ["summary", ids["plan"]], ".xlsx"),
    "escalation": (lambda ids: ["escalation", "--today", "01/01/2030"], ".xlsx"),
    "backup": (lambda ids: ["backup"], ".sqlite"),
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    from desktop.services.demo import build_demo

    db_path = tmp_path_factory.mktemp("bad-day") / "data" / "kiemtra.sqlite"
    store = Store.open(db_path)
    try:
        build_demo(store)
        plan = store.planning.plans()[0]["id"]
        inspection = store.planning.inspections(plan)[0]["id"]
    finally:
        store.close()
    for part in MANAGED:
        (db_path.parent / part).mkdir(exist_ok=True)
    return db_path, {"plan": plan, "inspection": inspection}


def _temporary(path: Path) -> bool:
    return path.name.startswith(".") and ".tmp" in path.name


def _sound(path: Path) -> bool:
    """Still our database: an SQLite file whose plans are all there."""
    conn = sqlite3.connect(path)
    try:
        ok = conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        return ok and conn.execute("SELECT count(*) FROM plans").fetchone()[0] == 1
    finally:
        conn.close()


def _run(db_path: Path, args: list[str]) -> tuple[int, str]:
    return invoke(db_path, *args)


def _targets(db_path: Path, suffix: str, tmp_path: Path) -> dict[str, Path]:
    fifo = tmp_path / f"ong{suffix}"
    os.mkfifo(fifo)
    directory = tmp_path / f"thu-muc{suffix}"
    directory.mkdir()
    folder = db_path.parent
    return {
        "database": db_path,
        "wal": Path(f"{db_path}-wal"),
        "shm": Path(f"{db_path}-shm"),
        "lock": Path(f"{db_path}.lock"),
        **{part: folder / part / f"x{suffix}" for part in MANAGED},
        "fifo": fifo,
        "folder": directory,
    }


@pytest.mark.parametrize("command", list(COMMANDS))
def test_o_onto_the_database_its_parts_or_a_fifo_is_refused(
    demo: tuple[Path, dict[str, str]], command: str, tmp_path: Path
) -> None:
    db_path, ids = demo
    arguments, suffix = COMMANDS[command]
    for name, target in _targets(db_path, suffix, tmp_path).items():
        existed = target.exists()
        mode = target.lstat().st_mode if existed else None
        code, output = _run(db_path, [*arguments(ids), "-o", str(target)])
        assert code != 0, f"{command} -o {name}: {output}"
        lines = [line for line in output.splitlines() if line.strip()]
        assert lines and len(lines) == 1 and lines[0].startswith("Lỗi: "), (
            f"{command} -o {name}: {output}"
        )
        assert "Traceback" not in output and "Invalid value" not in output  # ours, not click's
        if existed:
            assert target.lstat().st_mode == mode, f"{command} -o {name} changed the file"
        else:
            assert not target.exists(), f"{command} -o {name} wrote {target}"
        assert _sound(db_path), f"{command} -o {name} damaged the database"
    assert stat.S_ISFIFO((tmp_path / f"ong{suffix}").lstat().st_mode)
    # No temporary file left anywhere.
    left = [p for p in db_path.parent.rglob("*") if _temporary(p)]
    assert left == [] and [p for p in tmp_path.iterdir() if _temporary(p)] == []


def test_a_document_elsewhere_is_still_written(
    demo: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    db_path, ids = demo
    code, output = _run(db_path, ["report-plan", ids["plan"], "-o", str(tmp_path / "bc.pdf")])
    assert code == 0, output
    assert (tmp_path / "bc.pdf").read_bytes().startswith(b"%PDF")


def test_db_naming_a_fifo_is_refused_without_chmod(tmp_path: Path) -> None:
    fifo = tmp_path / "kiemtra.sqlite"
    os.mkfifo(fifo, 0o644)
    for args in (["plans"], ["backup"], ["init"]):
        code, output = _run(fifo, args)
        assert code != 0 and output.strip().startswith("Lỗi: Không mở được cơ sở dữ liệu"), output
        assert "FIFO" in output and len(output.strip().splitlines()) == 1
        assert stat.S_IMODE(fifo.lstat().st_mode) == 0o644
        assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kiemtra.sqlite"]  # no lock file


def test_the_writer_refuses_devices_folders_and_side_files(tmp_path: Path) -> None:
    with pytest.raises(files.TargetRefusedError, match="thư mục"):
        files.write_bytes(tmp_path, b"x")
    fifo = tmp_path / "ong"
    os.mkfifo(fifo, 0o640)
    with pytest.raises(files.TargetRefusedError, match="FIFO"):
        files.write_bytes(fifo, b"x", private=True)
    assert stat.S_IMODE(fifo.lstat().st_mode) == 0o640
    # Another program's live database: a -wal beside it.
    other = tmp_path / "khac.sqlite"
    other.write_bytes(b"SQLite format 3\x00")
    Path(f"{other}-wal").write_bytes(b"")
    for target in (other, Path(f"{other}-wal"), Path(f"{other}-shm")):
        with pytest.raises(files.TargetRefusedError):
            files.write_bytes(target, b"x")
    assert other.read_bytes() == b"SQLite format 3\x00"
    assert not any(_temporary(p) for p in tmp_path.iterdir())
