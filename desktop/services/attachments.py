"""Files attached to a finding, stored once by content under the data folder.

A file lives at <data_dir>/attachments/<sha256[:2]>/<sha256> (mode 0600); the database row
holds its hash, original name, media type and size. The same content is stored once; it may
be attached to several findings (one row each), never twice to the same finding. Removing is a
tombstone on the row; the file stays (another row, or another laptop's package, may need it);
`collect_garbage` removes the files no row refers to.

A file is read once: hashed while it is copied, and the copy checked against that hash before
it takes its name, so a file saved by someone while it is attached can never give a row whose
hash is not its stored file's. A file larger than the limit (SETTING_MAX_MB, default 50 MB;
`--max-attachment-mb`) is refused when attached.

The original name is kept in the row (and shown); `display_name` is that name without control
or bidirectional characters (a right-to-left override cannot make "gnp.exe" read "exe.png"),
`safe_filename` a name Windows accepts (no reserved CON/AUX/COM1…, trailing dots or spaces).

Listing rows are plain dicts: {"id", "finding_id", "sha256", "filename", "display_name",
"safe_name", "media_type", "size", "added_at", "path" (str), "missing" (bool: the file is gone
from disk), "is_image" (bool)}. The data folder of a database is
desktop.services.paths.data_dir_for(db_path).
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import re
import time
import unicodedata
from pathlib import Path
from typing import Any

from db import Store
from db.files import is_temporary, private_folder, staged_file
from desktop.domain import nfc
from desktop.services.errors import UserError

ATTACHMENTS_DIR = "attachments"
_SHA = re.compile(r"^[0-9a-f]{64}$")
_CHUNK = 1 << 20
SETTING_MAX_MB = "attachments.max_mb"
DEFAULT_MAX_MB = 50
# A file copied in this long ago may still be waiting for its row (another thread attaching):
# collect_garbage leaves it alone.
GC_GRACE_SECONDS = 300

MESSAGES = {
    "missing": "Không tìm thấy tệp {path}",
    "not_file": "{path} không phải là một tệp",
    "unreadable": "Không đọc được tệp {path}: {error}",
    "no_space": "Không lưu được tệp đính kèm: {error}",
    "no_inspection": "Không có cuộc kiểm tra {id}",
    "no_item": "Nội dung không có trong cuộc kiểm tra này",
    "no_attachment": "Không có tệp đính kèm {id}",
    "too_big": (
        "Tệp {name} ({size} MB) vượt giới hạn {limit} MB cho mỗi tệp đính kèm; hãy nén hoặc "
        "chia nhỏ tệp (giới hạn đặt trong Cài đặt hoặc bằng --max-attachment-mb)"
    ),
    "bad_limit": "Giới hạn tệp đính kèm không hợp lệ: {value} (cần một số MB lớn hơn 0)",
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


def _mb(size: float) -> str:
    return f"{size / 2**20:.1f}".rstrip("0").rstrip(".").replace(".", ",")


def max_attachment_bytes(store: Store | None, max_mb: float | None = None) -> int:
    """The largest file that may be attached: `max_mb` when given (`--max-attachment-mb`),
    else the setting SETTING_MAX_MB (Cài đặt), else DEFAULT_MAX_MB."""
    value: Any = max_mb
    if value is None and store is not None:
        value = store.settings.setting(SETTING_MAX_MB)
    if value is None or value == "":
        value = DEFAULT_MAX_MB
    try:
        number = float(str(value).replace(",", "."))
    except ValueError:
        number = -1.0
    if not 0 < number < 1e6:
        raise UserError(MESSAGES["bad_limit"].format(value=value))
    return int(number * 2**20)


def store_copy(data_dir: Path, source: Path, max_bytes: int) -> tuple[str, int]:
    """Copy `source` into the content store, reading it once: hashed while copied, refused
    past `max_bytes`, the copy checked against the hash before it takes its name. Returns
    (sha256, size). A stored file that does not match its name is replaced (repaired)."""
    root = private_folder(Path(data_dir) / ATTACHMENTS_DIR)
    name = nfc(source.name)
    try:
        if source.stat().st_size > max_bytes:
            raise UserError(_too_big(name, source.stat().st_size, max_bytes))
    except OSError as exc:
        raise UserError(MESSAGES["unreadable"].format(path=source, error=exc)) from exc
    try:
        # An official record in the data folder: private (db.files), never half-written.
        with staged_file(root) as staged:
            digest = hashlib.sha256()
            size = 0
            try:
                with open(source, "rb") as src:
                    while chunk := src.read(_CHUNK):
                        size += len(chunk)
                        if size > max_bytes:
                            raise UserError(_too_big(name, size, max_bytes))
                        digest.update(chunk)
                        staged.handle.write(chunk)
            except OSError as exc:
                raise UserError(MESSAGES["unreadable"].format(path=source, error=exc)) from exc
            sha = digest.hexdigest()
            staged.handle.flush()
            if sha256_of(staged.temp) != sha:  # what reached the disk is what was hashed
                raise UserError(MESSAGES["no_space"].format(error="bản sao không khớp mã băm"))
            target = path_of(Path(data_dir), sha)
            if not (target.is_file() and sha256_of(target) == sha):
                private_folder(target.parent)
                staged.target = target
    except OSError as exc:
        raise UserError(MESSAGES["no_space"].format(error=exc)) from exc
    return sha, size


def _too_big(name: str, size: int, limit: int) -> str:
    return MESSAGES["too_big"].format(name=display_name(name), size=_mb(size), limit=_mb(limit))


# -- names ----------------------------------------------------------------------------------
# Marks that change the order characters are shown in: a name can hide its real extension.
_BIDI = dict.fromkeys(
    map(ord, "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)
_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{p}{n}" for p in ("COM", "LPT") for n in range(10)}
_NOT_ON_WINDOWS = re.compile(r'[<>:"/\\|?*]')
DEFAULT_NAME = "tep-dinh-kem"


def _controls(text: str, by: str) -> str:
    return "".join(by if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in text)


def display_name(name: str) -> str:
    """The name as shown: without bidirectional marks, control characters as spaces."""
    return _controls(nfc(name or "").translate(_BIDI), " ")


def safe_filename(name: str) -> str:
    """A file name Windows (and every viewer) accepts for `name`: bidirectional marks
    dropped, control and forbidden characters as "_", no trailing dots or spaces, reserved
    device names (CON, AUX, COM1…) prefixed with "_"."""
    text = _NOT_ON_WINDOWS.sub("_", _controls(nfc(name or "").translate(_BIDI), "_"))
    text = text.rstrip(". ").lstrip(" ")
    if text.split(".", 1)[0].rstrip(" ").upper() in _RESERVED:
        text = "_" + text
    if len(text) > 150:  # keep the extension, which chooses the viewer
        stem, dot, ext = text.rpartition(".")
        text = (stem[: 150 - len(ext) - 1] + dot + ext) if dot and len(ext) <= 10 else text[:150]
    return text or DEFAULT_NAME


def _view(data_dir: Path, row: dict[str, Any]) -> dict[str, Any]:
    path = path_of(data_dir, row["sha256"])
    return {
        "id": row["id"],
        "finding_id": row["finding_id"],
        "sha256": row["sha256"],
        "filename": row["filename"],
        "display_name": display_name(row["filename"]),
        "safe_name": safe_filename(row["filename"]),
        "media_type": row["media_type"],
        "size": row["size"],
        "added_at": row["added_at"],
        "path": str(path),
        "missing": not path.is_file(),
        "is_image": is_image(row),
    }


def add_attachment(
    store: Store,
    data_dir: Path,
    inspection_id: str,
    item_id: str,
    source_path: str | Path,
    *,
    max_mb: float | None = None,
) -> dict[str, Any]:
    """Attach a copy of `source_path` to the item's finding (created if needed); a file
    larger than max_attachment_bytes(store, max_mb) is refused."""
    source = Path(source_path)
    if not source.exists():
        raise UserError(MESSAGES["missing"].format(path=source))
    if not source.is_file():
        raise UserError(MESSAGES["not_file"].format(path=source))
    if store.planning.inspection(inspection_id) is None:
        raise UserError(MESSAGES["no_inspection"].format(id=inspection_id))
    if not any(r["item_id"] == item_id for r in store.findings.inspection_items(inspection_id)):
        raise UserError(MESSAGES["no_item"])
    sha, size = store_copy(Path(data_dir), source, max_attachment_bytes(store, max_mb))
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


def collect_garbage(
    store: Store,
    data_dir: Path,
    *,
    grace_seconds: float = GC_GRACE_SECONDS,
    also_referenced: set[str] | None = None,
) -> dict[str, int]:
    """Remove the stored files no row refers to (a tombstoned row still does: it may come
    back; `also_referenced`: hashes other databases need, the backups'), and dead runs'
    temporary copies; files younger than `grace_seconds` are left (their row may be on its
    way). Returns {"removed", "bytes", "kept"}. Use desktop.services.backup.collect_attachments,
    which adds what the backups refer to."""
    root = Path(data_dir) / ATTACHMENTS_DIR
    counts = {"removed": 0, "bytes": 0, "kept": 0}
    if not root.is_dir():
        return counts
    referenced = store.evidence.referenced_shas() | (also_referenced or set())
    horizon = time.time() - grace_seconds
    candidates = [p for p in root.glob("??/*") if _SHA.match(p.name)]
    candidates += [p for p in root.rglob("*") if is_temporary(p)]
    for path in candidates:
        try:
            info = path.stat()
        except OSError:
            continue
        if path.name in referenced or info.st_mtime > horizon:
            counts["kept"] += 1
            continue
        try:
            os.unlink(path)
        except OSError:
            counts["kept"] += 1
            continue
        counts["removed"] += 1
        counts["bytes"] += info.st_size
    return counts
