"""Encrypting a package's payload: for one recipient device, or with a passphrase.

Only primitives from `cryptography`: X25519 (ephemeral-static) + HKDF-SHA256 + AES-256-GCM for
a recipient; scrypt (n=2**15, r=8, p=1) + AES-256-GCM for a passphrase. The package id is the
associated data, so a payload cannot be moved into another package.
"""

from __future__ import annotations

import os
from typing import Any

from desktop.sync.keys import b64, unb64

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
HKDF_INFO = b"kiemtra-sync v1 recipient"


class DecryptionError(Exception):
    """The key or passphrase does not open the payload."""


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
    return params, AESGCM(key).encrypt(nonce, plaintext, aad)


def decrypt_for_recipient(
    ciphertext: bytes, params: dict[str, Any], private_key: Any, aad: bytes
) -> bytes:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    ephemeral_public = unb64(params["ephemeral_key"], 32)
    nonce = unb64(params["nonce"], 12)
    recipient = private_key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    shared = private_key.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
    key = _recipient_key(shared, ephemeral_public, recipient)
    try:
        return AESGCM(key).decrypt(nonce, ciphertext, aad)
    except InvalidTag as exc:
        raise DecryptionError from exc


def _passphrase_key(passphrase: str, salt: bytes) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    kdf = Scrypt(salt=salt, length=32, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)
    return kdf.derive(passphrase.encode("utf-8"))


def encrypt_with_passphrase(
    plaintext: bytes, passphrase: str, aad: bytes
) -> tuple[dict[str, Any], bytes]:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    salt, nonce = os.urandom(16), os.urandom(12)
    params = {
        "kdf": "scrypt",
        "salt": b64(salt),
        "n": SCRYPT_N,
        "r": SCRYPT_R,
        "p": SCRYPT_P,
        "nonce": b64(nonce),
        "cipher": "AES-256-GCM",
    }
    return params, AESGCM(_passphrase_key(passphrase, salt)).encrypt(nonce, plaintext, aad)


def decrypt_with_passphrase(
    ciphertext: bytes, params: dict[str, Any], passphrase: str, aad: bytes
) -> bytes:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if (params.get("n"), params.get("r"), params.get("p")) != (SCRYPT_N, SCRYPT_R, SCRYPT_P):
        # Fixed cost: a package must not make us spend unbounded memory or time.
        raise DecryptionError("unsupported scrypt parameters")
    key = _passphrase_key(passphrase, unb64(params["salt"], 16))
    try:
        return AESGCM(key).decrypt(unb64(params["nonce"], 12), ciphertext, aad)
    except InvalidTag as exc:
        raise DecryptionError from exc
