"""Files attached to a finding, stored once by content under the data folder.

A file lives at <data_dir>/attachments/<sha256[:2]>/<sha256> (mode 0600); the database row
holds its hash, original name, media type and size. The same content is stored once; it may
be attached to several findings (one row each), never twice to the same finding. Removing is a
tombstone on the row; the file stays (another row, or another laptop's package, may need it).

Listing rows are plain dicts: {"id", "finding_id", "sha256", "filename", "media_type", "size",
"added_at", "path" (str), "missing" (bool: the file is gone from disk), "is_image" (bool)}.
The data folder of a database is desktop.services.paths.data_dir_for(db_path).
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
import shutil
from pathlib import Path
from typing import Any

from db import Store
from db.files import atomic_open, private_folder
from desktop.domain import nfc
from desktop.services.errors import UserError

ATTACHMENTS_DIR = "attachments"
_SHA = re.compile(r"^[0-9a-f]{64}$")
_CHUNK = 1 << 20

MESSAGES = {
    "missing": "Không tìm thấy tệp {path}",
    "not_file": "{path} không phải là một tệp",
    "unreadable": "Không đọc được tệp {path}: {error}",
    "no_space": "Không lưu được tệp đính kèm: {error}",
    "no_inspection": "Không có cuộc kiểm tra {id}",
    "no_item": "Nội dung không có trong cuộc kiểm tra này",
    "no_attachment": "Không có tệp đính kèm {id}",
}


def path_of(data_dir: Path, sha256: str) -> Path:
    """Where the content with this hash is (or would be) stored."""
    if not _SHA.match(sha256):
        raise ValueError(f"not a sha256: {sha256!r}")
    return Path(data_dir) / ATTACHMENTS_DIR / sha256[:2] / sha256


def is_image(row: dict[str, Any]) -> bool:
    """Whether the UI can show the attachment as a picture."""
    return str(row.get("media_type") or "").startswith("image/")


def media_type_of(filename: str) -> str:
    guessed, _ = mimetypes.guess_type(filename, strict=False)
    return guessed or "application/octet-stream"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _store_file(data_dir: Path, source: Path, sha256: str) -> Path:
    """Copy `source` into the content store unless that content is already there."""
    target = path_of(data_dir, sha256)
    if target.is_file():
        return target
    for folder in (target.parent.parent, target.parent):
        private_folder(folder)
    # An official record in the data folder: private (db.files), never half-written.
    with atomic_open(target, private=True) as out, open(source, "rb") as src:
        shutil.copyfileobj(src, out, _CHUNK)
    return target


def _view(data_dir: Path, row: dict[str, Any]) -> dict[str, Any]:
    path = path_of(data_dir, row["sha256"])
    return {
        "id": row["id"],
        "finding_id": row["finding_id"],
        "sha256": row["sha256"],
        "filename": row["filename"],
        "media_type": row["media_type"],
        "size": row["size"],
        "added_at": row["added_at"],
        "path": str(path),
        "missing": not path.is_file(),
        "is_image": is_image(row),
    }


def add_attachment(
    store: Store, data_dir: Path, inspection_id: str, item_id: str, source_path: str | Path
) -> dict[str, Any]:
    """Attach a copy of `source_path` to the item's finding (created if needed)."""
    source = Path(source_path)
    if not source.exists():
        raise UserError(MESSAGES["missing"].format(path=source))
    if not source.is_file():
        raise UserError(MESSAGES["not_file"].format(path=source))
    if store.planning.inspection(inspection_id) is None:
        raise UserError(MESSAGES["no_inspection"].format(id=inspection_id))
    if not any(r["item_id"] == item_id for r in store.findings.inspection_items(inspection_id)):
        raise UserError(MESSAGES["no_item"])
    try:
        sha = sha256_of(source)
        size = source.stat().st_size
    except OSError as exc:
        raise UserError(MESSAGES["unreadable"].format(path=source, error=exc)) from exc
    try:
        _store_file(Path(data_dir), source, sha)
    except OSError as exc:
        raise UserError(MESSAGES["no_space"].format(error=exc)) from exc
    filename = nfc(source.name)
    with store.transaction():
        row = store.evidence.add_attachment_row(
            inspection_id,
            item_id,
            {
                "sha256": sha,
                "filename": filename,
                "media_type": media_type_of(filename),
                "size": size,
            },
        )
    return _view(Path(data_dir), row)


def list_attachments(
    store: Store, data_dir: Path, inspection_id: str, item_id: str
) -> list[dict[str, Any]]:
    """The live attachments of one item at one inspection; `missing` marks a vanished file."""
    finding = store.findings.finding(inspection_id, item_id)
    if finding is None:
        return []
    return [_view(Path(data_dir), r) for r in store.evidence.attachment_rows(finding["id"])]


def remove_attachment(store: Store, attachment_id: str) -> None:
    """Tombstone an attachment row; the stored file is kept."""
    row = store.core.live_row("attachments", attachment_id)
    if row is None:
        raise UserError(MESSAGES["no_attachment"].format(id=attachment_id))
    store.core.delete_row("attachments", attachment_id)
