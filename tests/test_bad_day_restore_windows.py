"""Issue 16 item 4 (issue 19, bug B): restore flushes the new database file through a handle
opened for writing — Windows' FlushFileBuffers refuses a read-only handle, so an O_RDONLY
fsync made every restore fail there."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from db import Store
from db.connection import replace_database


def test_replace_database_fsyncs_a_writable_handle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, live = tmp_path / "nguon.sqlite", tmp_path / "kiemtra.sqlite"
    Store.open(source).close()
    Store.open(live).close()
    flags: dict[int, int] = {}
    synced: list[int] = []
    real_open, real_fsync = os.open, os.fsync

    def recording_open(path: object, flag: int, *args: object, **kwargs: object) -> int:
        fd = real_open(path, flag, *args, **kwargs)  # type: ignore[arg-type]
        flags[fd] = flag
        return fd

    def recording_fsync(fd: object) -> None:
        if isinstance(fd, int) and fd in flags:
            synced.append(flags[fd])
        real_fsync(fd)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", recording_open)
    monkeypatch.setattr(os, "fsync", recording_fsync)
    replace_database(live, source)
    assert synced, "the new database file was never flushed"
    for flag in synced:
        assert flag & (os.O_WRONLY | os.O_RDWR), f"fsync on a handle opened {oct(flag)}"
