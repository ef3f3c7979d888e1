"""The one atomic file writer, with the one file-mode policy of the application.

Every file the application writes goes through `atomic_path` (or `write_bytes`): the content
is written to a temporary file in the target's folder, flushed to disk, given its mode, then
renamed over the target with os.replace. At every moment the target is either the old file or
the whole new one; a failure (or a cancelled export) leaves no temporary file behind.

File modes (one policy, decided by what the file is, not by who writes it):

- PRIVATE (0600, folders 0700): the application's own records in its data folder — the
  database and its backups, device keys, attachments (official records: readable by this
  user only). README: keys "mode 0600".
- DOCUMENT (0666 less the umask, as any program's "Save as"): what the user saves where they
  choose to hand it on — reports, letters, workbooks, sync packages. A colleague on the same
  machine or a shared folder must be able to open them; the folder was the user's choice.

Lives in db/ (the lowest layer) so the database code and desktop/ share it.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO

PRIVATE = 0o600
PRIVATE_DIR = 0o700


def _umask() -> int:
    # os.umask can only be read by setting it: do it once, at import, before any thread runs.
    current = os.umask(0o022)
    os.umask(current)
    return current


DOCUMENT = 0o666 & ~_umask()


def _fsync(path: Path) -> None:
    """Flush a file written by someone else (a library given the path) to the disk."""
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


@contextlib.contextmanager
def atomic_path(target: str | Path, *, private: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside `target` to write to; on success it becomes `target`
    (mode PRIVATE when `private`, else DOCUMENT). On any exception the temporary file is
    removed and the target is left as it was. The target's folder must exist."""
    target = Path(target)
    folder = target.parent
    # Created 0600 (O_EXCL): never readable by others, even for a moment.
    # The target's suffix last: some writers choose the format by the file name.
    temp = folder / f".{target.stem}.{os.getpid()}-{os.urandom(4).hex()}.tmp{target.suffix}"
    os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE))
    try:
        yield temp
        _fsync(temp)
        os.chmod(temp, PRIVATE if private else DOCUMENT)
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)


@contextlib.contextmanager
def atomic_open(target: str | Path, *, private: bool = False) -> Iterator[IO[bytes]]:
    """Like atomic_path, yielding the temporary file open for binary writing."""
    with atomic_path(target, private=private) as temp, open(temp, "wb") as handle:
        yield handle
        handle.flush()


def write_bytes(target: str | Path, data: bytes, *, private: bool = False) -> Path:
    """Write `data` to `target` atomically (see atomic_path)."""
    with atomic_open(target, private=private) as handle:
        handle.write(data)
    return Path(target)


def private_folder(folder: str | Path) -> Path:
    """Create `folder` (and missing parents) and make it PRIVATE_DIR (0700)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):  # a folder on a file system without modes
        os.chmod(folder, PRIVATE_DIR)
    return folder
