"""The audit chain's head signed with the device key (issue 15, finding 8).

The chain (db/store/core.py) links every entry to the one before, and the newest entry's seq
and hash are kept beside it: that catches an edit, not an editor who deletes the tail, moves
the stored head and relinks the chain. Every export signs "seq:hash" of the head with this
laptop's Ed25519 key, keeps it (setting `audit_head_signed`) and carries it in the package's
manifest (`audit_head`). `audit verify` then checks the signature against the key file and
that entry `seq` still has that hash: truncating or rewriting anything up to the last export
is reported, whatever the stored head says. Forging that needs the key.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any

from desktop.sync.keys import DeviceKeys, current_keys

SIGNED_HEAD_KEY = "audit_head_signed"
_CONTEXT = b"kiemtra-audit-head\x00"

MESSAGES = {
    "moved": (
        "Nhật ký bị cắt cụt hoặc viết lại: mục số {seq} đã ký khi xuất gói lúc {at} không còn "
        "như đã ký; {n} mục trong nhật ký"
    ),
    "bad_signature": "Nhật ký bị sửa đổi: chữ ký đầu nhật ký (đã ký khi xuất gói) không hợp lệ",
}


def _message(device_id: str, seq: int, digest: str) -> bytes:
    return _CONTEXT + f"{device_id}\x00{seq}:{digest}".encode()


def sign_head(store: Any, keys: DeviceKeys) -> dict[str, Any] | None:
    """Sign the chain's current head and keep it; the signed head (None: an empty log)."""
    last = store.core.audit_last()
    if last is None:
        return None
    seq, digest = last
    signed = {
        "device_id": store.device_id,
        "seq": seq,
        "hash": digest,
        "at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "signature": base64.b64encode(
            keys.signing.sign(_message(store.device_id, seq, digest))
        ).decode("ascii"),
    }
    store.settings.set_setting(SIGNED_HEAD_KEY, json.dumps(signed, sort_keys=True))
    return signed


def carry_signed_head(store: Any, old_keys: DeviceKeys | None, keys: DeviceKeys) -> None:
    """A new identity (desktop/sync/identity.py) carries the signed head on: the same seq and
    hash, signed again by the new device, so `audit verify` keeps checking it against the key
    now here. Only when the old key still vouches for it; with the old key gone (a copied
    database) there is nothing to check it against, as at the copy's first export, which
    signs its head anyway. A head the old key does not vouch for is left as it is: reported."""
    from cryptography.exceptions import InvalidSignature

    text = store.settings.setting(SIGNED_HEAD_KEY)
    if not text:
        return
    try:
        signed = json.loads(text)
        seq, digest = int(signed["seq"]), str(signed["hash"])
        if old_keys is not None:
            old_keys.signing.public_key().verify(
                base64.b64decode(signed["signature"]),
                _message(str(signed["device_id"]), seq, digest),
            )
    except (ValueError, KeyError, TypeError, InvalidSignature):
        return
    signature = keys.signing.sign(_message(store.device_id, seq, digest))
    carried = {
        **signed,
        "device_id": store.device_id,
        "signature": base64.b64encode(signature).decode("ascii"),
    }
    store.settings.set_setting(SIGNED_HEAD_KEY, json.dumps(carried, sort_keys=True))


def check_signed_head(store: Any) -> dict[str, Any] | None:
    """None when the signed head holds (or none was ever signed); else {"ok": False,
    "broken_seq", "broken_at", "message"} as audit.verify reports."""
    from cryptography.exceptions import InvalidSignature

    text = store.settings.setting(SIGNED_HEAD_KEY)
    if not text:
        return None
    count = store.core.audit_count()
    try:
        signed = json.loads(text)
        seq, digest = int(signed["seq"]), str(signed["hash"])
        public = _signer_key(store, str(signed["device_id"]))
        if public is None:
            return None  # the key is not here (a copied database): nothing to check against
        public.verify(
            base64.b64decode(signed["signature"]), _message(signed["device_id"], seq, digest)
        )
    except (ValueError, KeyError, TypeError, InvalidSignature):
        return _broken(None, None, MESSAGES["bad_signature"])
    if store.core.audit_hash_at(seq) != digest:
        at = str(signed.get("at") or "")
        shown = _at_text(at)
        return _broken(seq, at, MESSAGES["moved"].format(seq=seq, at=shown, n=count))
    return None


def _signer_key(store: Any, device_id: str) -> Any:
    """The public key that signed the head: this device's own (None when its key file is not
    here), or, for a head signed before a new identity (`device new-identity`, a restore on
    another laptop), the key that device published, which its retired row keeps."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    from desktop.sync.keys import unb64

    if device_id == store.device_id:
        keys = current_keys(store)
        return None if keys is None else keys.signing.public_key()
    device = store.sync.devices.device_by_id(device_id)
    if device is None or not device.get("public_key"):
        raise ValueError(device_id)  # a head signed by a device this database never was
    return Ed25519PublicKey.from_public_bytes(unb64(device["public_key"], 32))


def _at_text(at: str) -> str:
    try:
        return dt.datetime.fromisoformat(at).strftime("%d/%m/%Y %H:%M")
    except ValueError:
        return at or "?"


def _broken(seq: int | None, at: str | None, message: str) -> dict[str, Any]:
    return {"ok": False, "broken_seq": seq, "broken_at": at, "message": message}
