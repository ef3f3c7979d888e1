"""The one atomic file writer (db.files) and its file-mode policy: the application's records
private (0600), the documents a user hands on ordinary files (0666 less the umask)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from db import files


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


@pytest.mark.skipif(os.name == "nt", reason="POSIX file modes")
def test_modes(tmp_path: Path) -> None:
    assert files.DOCUMENT == 0o666 & ~_umask()
    private = files.write_bytes(tmp_path / "device.key", b"secret", private=True)
    document = files.write_bytes(tmp_path / "bao-cao.pdf", b"%PDF")
    assert _mode(private) == 0o600 and private.read_bytes() == b"secret"
    assert _mode(document) == files.DOCUMENT and document.read_bytes() == b"%PDF"
    folder = files.private_folder(tmp_path / "a" / "b")
    assert folder.is_dir() and _mode(folder) == 0o700


def test_a_failure_keeps_the_old_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = files.write_bytes(tmp_path / "x.xlsx", b"old")
    with pytest.raises(RuntimeError), files.atomic_open(target) as handle:
        handle.write(b"half")
        raise RuntimeError("the writer failed")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.xlsx"]


def test_the_temporary_keeps_the_suffix_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "mau.xlsx"
    with files.atomic_path(target) as temp:
        assert temp.parent == tmp_path and temp.name.startswith(".") and temp.suffix == ".xlsx"
        assert _mode(temp) == 0o600 or os.name == "nt"  # private while being written
        temp.write_bytes(b"new")
        assert not target.exists()
    assert target.read_bytes() == b"new" and not temp.exists()


@pytest.mark.skipif(os.name == "nt", reason="POSIX file modes")
def test_exported_workbook_is_a_document(tmp_path: Path) -> None:
    from openpyxl import Workbook

    from desktop.services.workbook_io import save_workbook

    path = save_workbook(Workbook(), tmp_path / "out" / "mau.xlsx")
    assert _mode(path) == files.DOCUMENT
    assert [p.name for p in path.parent.iterdir()] == ["mau.xlsx"]


def test_no_other_atomic_writer_in_the_plain_layers() -> None:
    """services, reports, sync and cli write files through db.files only (one writer, one
    file-mode policy): no hand-made temporary-then-rename left there."""
    root = Path(__file__).resolve().parents[1] / "desktop"
    patterns = ("os.replace(", ".replace(tmp", "mkstemp(", "NamedTemporaryFile(", "os.chmod(")
    # The log handler renames old log files to rotate them: a rename, not a file written.
    renames_only = {"services/applog.py"}
    found = [
        f"{path.relative_to(root).as_posix()}: {pattern}"
        for folder in ("services", "reports", "sync", "cli")
        for path in sorted((root / folder).rglob("*.py"))
        for pattern in patterns
        if pattern in path.read_text(encoding="utf-8")
        and path.relative_to(root).as_posix() not in renames_only
    ]
    assert found == []
