"""Where an attachment's content lives: <data_dir>/attachments/<sha[:2]>/<sha>."""

from __future__ import annotations

import re
from pathlib import Path

_SHA = re.compile(r"^[0-9a-f]{64}$")


def attachment_path(data_dir: Path, sha256: str) -> Path:
    """The same path desktop.services.attachments.path_of gives (kept in step by a test)."""
    if not _SHA.match(sha256):
        raise ValueError(f"not a sha256: {sha256!r}")
    return Path(data_dir) / "attachments" / sha256[:2] / sha256
