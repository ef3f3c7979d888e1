"""This laptop's keys: Ed25519 signs the packages it makes, X25519 receives encrypted ones.

Both private keys are PEM files (mode 0600) in `<data folder>/keys/`, beside the database,
created on first need and never put in a package. The public halves go in the `devices` row
(`public_key`, `encryption_key`, base64 of the raw 32 bytes) and in every manifest; the
X25519 key is signed along with the manifest, so it is bound to the device's identity.
The fingerprint is the sha256 of the raw Ed25519 public key, hex, in groups of four.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from db.errors import StoreError
from db.files import create_new, private_folder, storage_error
from desktop.services.errors import UserError

KEYS_DIR = "keys"
SIGNING_FILE = "device_ed25519.pem"
EXCHANGE_FILE = "device_x25519.pem"


@dataclass(frozen=True)
class DeviceKeys:
    signing: Any  # Ed25519PrivateKey
    exchange: Any  # X25519PrivateKey

    @property
    def public_key(self) -> str:
        return b64(raw_public(self.signing))

    @property
    def encryption_key(self) -> str:
        return b64(raw_public(self.exchange))

    @property
    def fingerprint(self) -> str:
        return fingerprint_of(raw_public(self.signing))


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str, length: int | None = None) -> bytes:
    """Decode base64, raising ValueError when malformed or of the wrong length."""
    data = base64.b64decode(text.encode("ascii"), validate=True)
    if length is not None and len(data) != length:
        raise ValueError("wrong key length")
    return data


def raw_public(private_key: Any) -> bytes:
    from cryptography.hazmat.primitives import serialization

    # private_key is Any: the key type is chosen at run time (Ed25519 or X25519)
    return private_key.public_key().public_bytes(  # type: ignore[no-any-return]
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )


def fingerprint_of(raw_public_key: bytes) -> str:
    digest = hashlib.sha256(raw_public_key).hexdigest()
    return "-".join(digest[i : i + 4] for i in range(0, len(digest), 4))


def normalize_fingerprint(text: str) -> str | None:
    """Accept any grouping or case; None when it is not 64 hex digits."""
    digits = re.sub(r"[\s:\-]", "", text).lower()
    if not re.fullmatch(r"[0-9a-f]{64}", digits):
        return None
    return "-".join(digits[i : i + 4] for i in range(0, 64, 4))


def keys_dir(data_dir: Path, device_id: str | None = None) -> Path:
    """Where a database's keys live: `keys/<device id>/` (one identity per database, even
    when two share a folder); `keys/` itself for keys made before (and for no device)."""
    folder = Path(data_dir) / KEYS_DIR
    return folder / device_id if device_id else folder


def _write_private(path: Path, pem: bytes) -> None:
    """Create a key file PRIVATE (db.files' policy), atomically: written and flushed under a
    temporary name, then linked to its name only when whole — a crash or a full disk never
    leaves an empty or half key. Linking (not renaming) fails when the name exists, so a second
    process never replaces a key the first one already uses."""
    try:
        if path.parent.name != KEYS_DIR:
            private_folder(path.parent.parent)  # keys/ itself, not only keys/<device id>/
        private_folder(path.parent)
        create_new(path, pem)  # False: another process made it first; its key is the one
    except OSError as exc:
        raise _storage(exc, path) from exc


def _storage(exc: OSError, path: Path) -> Exception:
    return storage_error(exc, path.parent.resolve(), "khóa thiết bị") or StoreError(
        f"Không tạo được khóa thiết bị {path}: {exc.strerror or exc}"
    )


def _load(path: Path) -> Any:
    from cryptography.hazmat.primitives import serialization

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"Không đọc được khóa thiết bị {path}: {exc.strerror or exc}") from exc
    try:
        return serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as exc:
        raise UserError(
            f"Tệp khóa thiết bị {path} bị hỏng. Hãy khôi phục thư mục {path.parent} từ bản sao; "
            "nếu không còn bản sao, đổi tên tệp này để chương trình tạo khóa mới (các máy khác "
            "sẽ phải xác nhận lại dấu vân tay của máy này)."
        ) from exc


def _empty(path: Path) -> bool:
    """An empty key file: an older version's creation cut short (a crash, a full disk). It was
    never loaded, so never published: it is safe to make the key again."""
    try:
        return path.stat().st_size == 0
    except OSError:
        return False


def load_keys(data_dir: Path, device_id: str | None = None) -> DeviceKeys | None:
    """The keys already on disk, or None (never creates anything)."""
    folder = keys_dir(data_dir, device_id)
    signing, exchange = folder / SIGNING_FILE, folder / EXCHANGE_FILE
    if not (signing.exists() and exchange.exists()) or _empty(signing) or _empty(exchange):
        return None
    return DeviceKeys(_load(signing), _load(exchange))


def load_or_create_keys(data_dir: Path, device_id: str | None = None) -> DeviceKeys:
    """The laptop's keys, generating whichever is missing."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    folder = keys_dir(data_dir, device_id)
    for name, generate in (
        (SIGNING_FILE, Ed25519PrivateKey.generate),
        (EXCHANGE_FILE, X25519PrivateKey.generate),
    ):
        path = folder / name
        if _empty(path):
            path.unlink(missing_ok=True)
        if not path.exists():
            pem = generate().private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            _write_private(path, pem)
    keys = load_keys(data_dir, device_id)
    assert keys is not None
    return keys


def data_dir_of(store: Any) -> Path:
    from desktop.services.errors import UserError
    from desktop.services.paths import data_dir_for

    if store.path is None:
        raise UserError("Cơ sở dữ liệu trong bộ nhớ không có thư mục dữ liệu để giữ khóa")
    return data_dir_for(Path(store.path))


def keys_of(store: Any, device_id: str, published: str | None) -> DeviceKeys | None:
    """The keys of this database's device `device_id` (its own, or one it was before a new
    identity): in the device's folder, or (made before) in `keys/` when they are the very key
    it published."""
    data_dir = data_dir_of(store)
    keys = load_keys(data_dir, device_id)
    if keys is not None:
        return keys
    legacy = load_keys(data_dir)
    if legacy is not None and published and legacy.public_key == published:
        return legacy
    return None


def current_keys(store: Any) -> DeviceKeys | None:
    """This database's keys if they are here (never creates anything)."""
    return keys_of(store, store.device_id, store.sync.devices.self_device().get("public_key"))
