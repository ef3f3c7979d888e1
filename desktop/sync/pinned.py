"""The bytes previewed are the bytes imported: a package is copied once, privately, hashed
as it is copied; the preview and the import both read that copy, and the import checks the
hash (a file swapped at the original path after the preview changes nothing)."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from pathlib import Path

from db.files import atomic_open, private_folder
from desktop.services.errors import UserError
from desktop.sync import package as pkg
from desktop.sync.keys import data_dir_of

INBOX = "inbox"  # under the data folder, 0700: packages being previewed or imported


@dataclass(frozen=True)
class Pinned:
    """A private copy of a package and the sha256 of its bytes."""

    original: Path
    copy: Path
    sha256: str

    def release(self) -> None:
        """Remove the copy (after the import, or when the preview is declined)."""
        self.copy.unlink(missing_ok=True)


def pin(store: object, path: Path) -> Pinned:
    """Copy `path` into the data folder's private inbox, hashing it; bounded in size."""
    path = Path(path)
    if not path.is_file():
        raise UserError(pkg.MESSAGES["missing_file"].format(path=path))
    limit = pkg.MAX_TOTAL_BYTES + pkg.MAX_MANIFEST_BYTES
    folder = private_folder(data_dir_of(store) / INBOX)
    target = folder / f"{uuid.uuid4()}{pkg.SUFFIX}"
    digest = hashlib.sha256()
    size = 0
    try:
        with open(path, "rb") as source, atomic_open(target, private=True) as out:
            while chunk := source.read(pkg.CHUNK * 16):
                size += len(chunk)
                if size > limit:
                    raise pkg.PackageError("too_big", limit=pkg.MAX_TOTAL_BYTES // 2**20)
                digest.update(chunk)
                out.write(chunk)
    except OSError as exc:
        raise UserError(f"Không đọc được tệp {path}: {exc.strerror or exc}") from exc
    return Pinned(path, target, digest.hexdigest())
