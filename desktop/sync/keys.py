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
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from db.files import PRIVATE, private_folder

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


def keys_dir(data_dir: Path) -> Path:
    return Path(data_dir) / KEYS_DIR


def _write_private(path: Path, pem: bytes) -> None:
    """Create a key file PRIVATE (db.files' policy). Not db.files.write_bytes: O_EXCL keeps a
    second process from replacing a key the first one already uses."""
    private_folder(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
        handle.flush()
        os.fsync(handle.fileno())


def _load(path: Path) -> Any:
    from cryptography.hazmat.primitives import serialization

    return serialization.load_pem_private_key(path.read_bytes(), password=None)


def load_keys(data_dir: Path) -> DeviceKeys | None:
    """The keys already on disk, or None (never creates anything)."""
    folder = keys_dir(data_dir)
    signing, exchange = folder / SIGNING_FILE, folder / EXCHANGE_FILE
    if not (signing.exists() and exchange.exists()):
        return None
    return DeviceKeys(_load(signing), _load(exchange))


def load_or_create_keys(data_dir: Path) -> DeviceKeys:
    """The laptop's keys, generating whichever is missing."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    folder = keys_dir(data_dir)
    for name, generate in (
        (SIGNING_FILE, Ed25519PrivateKey.generate),
        (EXCHANGE_FILE, X25519PrivateKey.generate),
    ):
        path = folder / name
        if not path.exists():
            pem = generate().private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            _write_private(path, pem)
    keys = load_keys(data_dir)
    assert keys is not None
    return keys


def data_dir_of(store: Any) -> Path:
    from desktop.services.errors import UserError
    from desktop.services.paths import data_dir_for

    if store.path is None:
        raise UserError("Cơ sở dữ liệu trong bộ nhớ không có thư mục dữ liệu để giữ khóa")
    return data_dir_for(Path(store.path))


def ensure_device_keys(store: Any) -> DeviceKeys:
    """Load (creating on first need) the keys and publish them in this device's row."""
    keys = load_or_create_keys(data_dir_of(store))
    me = store.sync.devices.self_device()
    if (me.get("public_key"), me.get("encryption_key")) != (keys.public_key, keys.encryption_key):
        store.sync.devices.set_self_keys(keys.public_key, keys.fingerprint, keys.encryption_key)
    return keys


def device_info(store: Any) -> dict[str, str]:
    """{"id", "name", "fingerprint", "public_key"} of this laptop."""
    keys = ensure_device_keys(store)
    return {
        "id": store.device_id,
        "name": store.device_name,
        "fingerprint": keys.fingerprint,
        "public_key": keys.public_key,
    }
