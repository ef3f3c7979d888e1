"""The audit chain's head signed with the device key (issue 15, finding 8).

The chain (db/store/core.py) links every entry to the one before, and the newest entry's seq
and hash are kept beside it: that catches an edit, not an editor who deletes the tail, moves
the stored head and relinks the chain. So the head is signed with this laptop's Ed25519 key
as it moves: every append made by the app (Core.head_signer, installed for every store this
process opens for writing by `install()`) signs "seq:hash" of the new head in the same
transaction and keeps it (setting `audit_head_signed`). Every export records the head it
signed (`sync_exports.audit_head`) and carries it (manifest `audit_head`); a receiver keeps
the newest one per sending device (`audit_heads_seen`).

`audit verify` then checks, beyond the chain's links: the signature; that entry `seq` still
has that hash (a rewrite, or a truncation, up to the signed head); that no entry follows it
(an entry appended outside the app has no signature); that every head an export recorded is
still in the chain and none is newer than the stored one (an older signed head put back);
and that a signed head exists once an export recorded one (both stored heads deleted).
Forging any of that needs the key. A head signed by an earlier version (at export only,
context v1) allows entries after it: they were made before signing at every write.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from db.store.core import SIGNED_HEAD_KEY

if TYPE_CHECKING:
    from desktop.sync.keys import DeviceKeys

_CONTEXT = b"kiemtra-audit-head\x00"  # signed at export only (before signing at every write)
_CONTEXT_LIVE = b"kiemtra-audit-head-v2\x00"  # signed as the head moves: nothing may follow

MESSAGES = {
    "moved": (
        "Nhật ký bị cắt cụt hoặc viết lại: mục số {seq} đã ký lúc {at} không còn như đã ký; "
        "{n} mục trong nhật ký"
    ),
    "bad_signature": "Nhật ký bị sửa đổi: chữ ký đầu nhật ký không hợp lệ",
    "unsigned": (
        "Nhật ký bị sửa đổi: {k} mục sau mục số {seq} (mục cuối cùng đã ký) không có chữ ký "
        "của máy này, tức được thêm ngoài chương trình; {n} mục trong nhật ký"
    ),
    "head_deleted": (
        "Nhật ký bị sửa đổi: đầu nhật ký đã ký bị xóa, dù lần xuất gói lúc {at} đã ký đến mục "
        "số {seq}; {n} mục trong nhật ký"
    ),
    "older_head": (
        "Nhật ký bị cắt cụt: đầu nhật ký đã ký (mục số {seq}) cũ hơn đầu đã ký khi xuất gói "
        "lúc {at} (mục số {exported}); {n} mục trong nhật ký"
    ),
}


def _message(device_id: str, seq: int, digest: str, *, live: bool = True) -> bytes:
    return (_CONTEXT_LIVE if live else _CONTEXT) + f"{device_id}\x00{seq}:{digest}".encode()


def _signed(device_id: str, seq: int, digest: str, keys: DeviceKeys) -> dict[str, Any]:
    return {
        "v": 2,
        "device_id": device_id,
        "seq": seq,
        "hash": digest,
        "at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "signature": base64.b64encode(keys.signing.sign(_message(device_id, seq, digest))).decode(
            "ascii"
        ),
    }


def sign_head(store: Any, keys: DeviceKeys) -> dict[str, Any] | None:
    """Sign the chain's current head and keep it; the signed head (None: an empty log)."""
    last = store.core.audit_last()
    if last is None:
        return None
    seq, digest = last
    signed = _signed(store.device_id, seq, digest, keys)
    store.settings.set_setting(SIGNED_HEAD_KEY, json.dumps(signed, sort_keys=True))
    return signed


# -- signing as the head moves --------------------------------------------------------------
def head_signer(store: Any) -> Callable[[int, str], str | None] | None:
    """The signer Core calls at every append of `store` (opened for writing): the key is
    loaded at the first append and kept, made then for a database that has none yet (as
    `device show` makes it). A database found away from where its keys were made (restored on
    a replacement laptop, copied) takes its new identity here, at opening."""
    if store.path is None or str(store.path) == ":memory:":
        return None
    cache: dict[str, Any] = {}

    def sign(seq: int, digest: str) -> str | None:
        if cache.get("device") != store.device_id:
            from desktop.sync.keys import current_keys

            cache["device"] = store.device_id
            # The keys on disk first: a new identity being taken (below) has them already,
            # and its own entries (take-over) are signed without asking for it again.
            cache["keys"] = current_keys(store) or _signing_keys(store)
        keys = cache["keys"]
        if keys is None:
            return None
        return json.dumps(_signed(store.device_id, seq, digest, keys), sort_keys=True)

    if _moved(store):
        # Copied or restored here: take the new identity now, before any write is stamped
        # with the old device id (whose key is not here to sign anything); what taking it
        # writes to the log is signed by the new key.
        store.core.head_signer = sign
        _signing_keys(store)
    return sign


def _moved(store: Any) -> bool:
    """Whether this database was found away from where its keys were made (cheap: no key is
    read, nothing of cryptography imported, as every opening asks)."""
    import os
    from pathlib import Path

    from desktop.services.paths import data_dir_for

    # desktop.sync.identity's BINDING and _here, and keys' folder and file names, without
    # importing them (~100 ms at start-up, which the window does not need).
    binding = store.settings.setting("device_binding")
    if binding is not None and binding != os.path.normcase(os.path.realpath(str(store.path))):
        return True
    if not store.sync.devices.self_device().get("public_key"):
        return False  # no identity yet: made at the first write
    keys = data_dir_for(Path(store.path)) / "keys"
    return not any(
        (folder / "device_ed25519.pem").exists() for folder in (keys / store.device_id, keys)
    )


def _signing_keys(store: Any) -> DeviceKeys | None:
    """This database's keys, made (or a new identity taken) on first need, as `device show`
    does; None (the write goes on unsigned) when they cannot be had: a key folder that cannot
    be written must not stop an inspector's work on site."""
    from db.errors import StoreError
    from desktop.services.errors import UserError
    from desktop.sync.identity import ensure_identity

    try:
        return ensure_identity(store)
    except (OSError, StoreError, UserError):
        return None


def attach(store: Any) -> Any:
    """Give a store opened before `install()` its signer (a no-op for one opened after, or
    read-only); the store."""
    if not store.read_only and store.core.head_signer is None:
        store.core.head_signer = head_signer(store)
    return store


def install() -> None:
    """Sign the audit head at every append of every store this process opens for writing."""
    from db import Store

    Store.head_signer_factory = head_signer


# -- checking --------------------------------------------------------------------------------
def check_signed_head(store: Any) -> dict[str, Any] | None:
    """None when the signed head holds (or none was ever signed); else {"ok": False,
    "broken_seq", "broken_at", "message"} as audit.verify reports."""
    from cryptography.exceptions import InvalidSignature

    count = store.core.audit_count()
    exported: list[dict[str, Any]] = []
    for text in store.sync.export_scope.exported_heads():
        try:
            head = json.loads(text)
            exported.append({"seq": int(head["seq"]), "hash": str(head["hash"]), **head})
        except (ValueError, KeyError, TypeError):
            return _broken(None, None, MESSAGES["bad_signature"])
    for head in exported:  # every head an export signed must still be in the chain
        if store.core.audit_hash_at(head["seq"]) != head["hash"]:
            at = str(head.get("at") or "")
            return _broken(
                head["seq"], at, MESSAGES["moved"].format(seq=head["seq"], at=_at_text(at), n=count)
            )
    newest = max(exported, key=lambda h: h["seq"], default=None)
    text = store.settings.setting(SIGNED_HEAD_KEY)
    if not text:
        if newest is None:
            return None  # a log from before signing: nothing to check against
        at = str(newest.get("at") or "")
        return _broken(
            None, at, MESSAGES["head_deleted"].format(at=_at_text(at), seq=newest["seq"], n=count)
        )
    try:
        signed = json.loads(text)
        seq, digest = int(signed["seq"]), str(signed["hash"])
        live = signed.get("v") == 2
        public = _signer_key(store, str(signed["device_id"]))
        if public is not None:  # None: the key is not here (a copied database)
            public.verify(
                base64.b64decode(signed["signature"]),
                _message(signed["device_id"], seq, digest, live=live),
            )
    except (ValueError, KeyError, TypeError, InvalidSignature):
        return _broken(None, None, MESSAGES["bad_signature"])
    at = str(signed.get("at") or "")
    if store.core.audit_hash_at(seq) != digest:
        return _broken(seq, at, MESSAGES["moved"].format(seq=seq, at=_at_text(at), n=count))
    if newest is not None and newest["seq"] > seq:
        exported_at = str(newest.get("at") or "")
        return _broken(
            seq,
            exported_at,
            MESSAGES["older_head"].format(
                seq=seq, at=_at_text(exported_at), exported=newest["seq"], n=count
            ),
        )
    last = store.core.audit_last()
    if live and last is not None and last[0] > seq:
        return _broken(
            seq + 1,
            None,
            MESSAGES["unsigned"].format(k=store.core.audit_count_after(seq), seq=seq, n=count),
        )
    return None


def _signer_key(store: Any, device_id: str) -> Any:
    """The public key that signed the head: this device's own (None when its key file is not
    here), or, for a head signed before a new identity (`device new-identity`, a restore on
    another laptop), the key that device published, which its retired row keeps."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    from desktop.sync.keys import current_keys, unb64

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
