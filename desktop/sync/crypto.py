"""Encrypting a package's payload: for one recipient device, or with a passphrase.

Only primitives from `cryptography`: X25519 (ephemeral-static) + HKDF-SHA256 + AES-256-GCM for
a recipient; scrypt (n=2**17, r=8, p=1: OWASP's baseline) + AES-256-GCM for a passphrase. The
package id is the associated data, so a payload cannot be moved into another package.

A key check travels with the parameters (HMAC-SHA256 of a fixed label under the derived key,
16 bytes): a key that fails it is the wrong key (or passphrase); one that passes it but fails
the GCM tag opened a corrupt payload. Packages made before carry no check: for them the two
cannot be told apart. The scrypt cost is read from the package but bounded (SCRYPT_ACCEPTED):
a hostile N must not take the memory of the laptop (128·r·N bytes).
"""

from __future__ import annotations

import os
from typing import Any

from desktop.sync.keys import b64, unb64

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**17, 8, 1  # for new packages
# What a package may ask for: 2^15 (packages made before) up to 2^17, i.e. at most 128 MB.
SCRYPT_ACCEPTED = frozenset({2**15, 2**16, 2**17})
HKDF_INFO = b"kiemtra-sync v1 recipient"
KEY_CHECK = True  # write the key check (tests turn it off to make a package of before)
_KEY_CHECK_LABEL = b"kiemtra-sync v1 key check"


class DecryptionError(Exception):
    """The key or passphrase does not open the payload (packages without a key check: or the
    payload is corrupt, which cannot be told apart)."""


class WrongKeyError(DecryptionError):
    """The key check says: not the key (or passphrase) this payload was sealed with."""


class CorruptPayloadError(DecryptionError):
    """The key is right (its check passes) but the payload does not decrypt: damaged."""


class UnsupportedParametersError(DecryptionError):
    """KDF parameters this version does not run (cost beyond the bound, unknown values)."""


def _key_check(key: bytes) -> str:
    import hashlib
    import hmac

    return b64(hmac.new(key, _KEY_CHECK_LABEL, hashlib.sha256).digest()[:16])


def _with_check(params: dict[str, Any], key: bytes) -> dict[str, Any]:
    if KEY_CHECK:
        params["key_check"] = _key_check(key)
    return params


def _open(key: bytes, params: dict[str, Any], ciphertext: bytes, aad: bytes) -> bytes:
    """Decrypt with AES-256-GCM, telling a wrong key from a corrupt payload when it can."""
    import hmac

    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    check = params.get("key_check")
    if check is not None:
        if not isinstance(check, str):
            raise TypeError("key_check")
        if not hmac.compare_digest(_key_check(key), check):
            raise WrongKeyError
    try:
        return AESGCM(key).decrypt(unb64(params["nonce"], 12), ciphertext, aad)
    except InvalidTag as exc:
        raise (CorruptPayloadError if check is not None else DecryptionError)() from exc


def _recipient_key(shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    hkdf = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=HKDF_INFO + ephemeral + recipient
    )
    return hkdf.derive(shared)


def encrypt_for_recipient(
    plaintext: bytes, recipient_key: str, aad: bytes
) -> tuple[dict[str, Any], bytes]:
    """Encrypt for the holder of an X25519 public key (base64 raw)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    recipient = unb64(recipient_key, 32)
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient))
    key = _recipient_key(shared, ephemeral_public, recipient)
    nonce = os.urandom(12)
    params = {"ephemeral_key": b64(ephemeral_public), "nonce": b64(nonce), "cipher": "AES-256-GCM"}
    return _with_check(params, key), AESGCM(key).encrypt(nonce, plaintext, aad)


CIPHER, KDF = "AES-256-GCM", "scrypt"  # what every package names (since the first version)


def _named_as_used(params: dict[str, Any], kdf: str | None) -> None:
    """The cipher (and KDF) a package names are the ones this code runs: another name is
    refused as unsupported, never ignored."""
    if params.get("cipher") != CIPHER or (kdf is not None and params.get("kdf") != kdf):
        named = f"kdf={params.get('kdf')!r}, " if kdf is not None else ""
        raise UnsupportedParametersError(f"{named}cipher={params.get('cipher')!r}")


def decrypt_for_recipient(
    ciphertext: bytes, params: dict[str, Any], private_key: Any, aad: bytes
) -> bytes:
    _named_as_used(params, None)
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

    ephemeral_public = unb64(params["ephemeral_key"], 32)
    recipient = private_key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    shared = private_key.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
    key = _recipient_key(shared, ephemeral_public, recipient)
    return _open(key, params, ciphertext, aad)


def _passphrase_key(passphrase: str, salt: bytes, n: int = SCRYPT_N) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    kdf = Scrypt(salt=salt, length=32, n=n, r=SCRYPT_R, p=SCRYPT_P)
    return kdf.derive(passphrase.encode("utf-8"))


def encrypt_with_passphrase(
    plaintext: bytes, passphrase: str, aad: bytes
) -> tuple[dict[str, Any], bytes]:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    salt, nonce = os.urandom(16), os.urandom(12)
    key = _passphrase_key(passphrase, salt, SCRYPT_N)
    params: dict[str, Any] = {
        "kdf": "scrypt",
        "salt": b64(salt),
        "n": SCRYPT_N,
        "r": SCRYPT_R,
        "p": SCRYPT_P,
        "nonce": b64(nonce),
        "cipher": "AES-256-GCM",
    }
    return _with_check(params, key), AESGCM(key).encrypt(nonce, plaintext, aad)


def decrypt_with_passphrase(
    ciphertext: bytes, params: dict[str, Any], passphrase: str, aad: bytes
) -> bytes:
    _named_as_used(params, KDF)
    n, r, p = params.get("n"), params.get("r"), params.get("p")
    if not (type(n) is int and n in SCRYPT_ACCEPTED and (r, p) == (SCRYPT_R, SCRYPT_P)):
        # Bounded cost: a package must not make us spend unbounded memory or time.
        raise UnsupportedParametersError(f"scrypt n={n!r}, r={r!r}, p={p!r}")
    key = _passphrase_key(passphrase, unb64(params["salt"], 16), n)
    return _open(key, params, ciphertext, aad)
