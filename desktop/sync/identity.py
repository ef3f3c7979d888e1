"""A device identity per database (issue 15, finding 7).

A database's device id is made with it (db/store/core.py); its keys live in
`keys/<device id>/` beside it, so two databases in one folder never share a key. The
database remembers where it was when its keys were made (setting `device_binding`, the
database file's real path). Found elsewhere — copied, or restored on another laptop — or
with its published key missing, it takes a new identity on first need: a new device id and
new keys, its history kept. Its own versions, signed with the old key while it is at hand,
still travel as the old device's, which stays known here; without the old key, those it
never signed (edited, then never exported) are re-issued as the new device's, so nothing it
carries becomes unprovable. `kiemtra device new-identity` does the same on demand.
"""

from __future__ import annotations

import os
from typing import Any

from db.migrations import SYNCED_TABLES
from db.store.core import new_id, now_iso
from desktop.domain import nfc
from desktop.sync import authorship
from desktop.sync import package as pkg
from desktop.sync.keys import (
    DeviceKeys,
    data_dir_of,
    keys_of,
    load_or_create_keys,
)

BINDING = "device_binding"


def _here(store: Any) -> str:
    return os.path.normcase(os.path.realpath(str(store.path)))


def ensure_identity(store: Any) -> DeviceKeys:
    """This database's keys, made on first need, published in its device row; a database
    found away from where its keys were made (or whose published key is gone) first takes a
    new identity."""
    me = store.sync.devices.self_device()
    published = me.get("public_key")
    binding = store.settings.setting(BINDING)
    keys = keys_of(store, store.device_id, published)
    copied = (binding is not None and binding != _here(store)) or (keys is None and published)
    if copied:
        return new_identity(store)
    if keys is None:
        keys = load_or_create_keys(data_dir_of(store), store.device_id)
    if binding is None:
        store.settings.set_setting(BINDING, _here(store))
    if (published, me.get("encryption_key")) != (keys.public_key, keys.encryption_key):
        store.sync.devices.set_self_keys(keys.public_key, keys.fingerprint, keys.encryption_key)
    return keys


def device_info(store: Any) -> dict[str, str]:
    """{"id", "name", "fingerprint", "public_key"} of this laptop."""
    keys = ensure_identity(store)
    return {
        "id": store.device_id,
        "name": store.device_name,
        "fingerprint": keys.fingerprint,
        "public_key": keys.public_key,
    }


ensure_device_keys = ensure_identity


def _own_heads(store: Any, device_id: str) -> list[tuple[str, dict[str, Any], bytes]]:
    """(table, version, digest) of every head version this device wrote: what an export
    carries as its own (the digest as export.py computes it)."""
    heads = []
    for table in SYNCED_TABLES:
        for version in store.sync.takeover.heads_of_origin(table, device_id):
            line = pkg.canonical_json(
                {k: nfc(v) if isinstance(v, str) else v for k, v in version.items()}
            )
            heads.append((table, version, authorship.digest(table, line)))
    return heads


def _unproven(store: Any, device_id: str) -> list[tuple[str, dict[str, Any], bytes]]:
    """This device's head versions no attestation by it covers."""
    signed: set[bytes] = set()
    for attestation in store.sync.proofs.of_devices([device_id]):
        signed.update(authorship.split(attestation["digests"]))
    return [head for head in _own_heads(store, device_id) if head[2] not in signed]


def _attest_own_rows(store: Any, keys: DeviceKeys, device_id: str) -> None:
    """Sign, with the key about to be retired, every head version this device wrote that
    carries no proof yet: they travel on as the old device's."""
    unsigned = [digest for _table, _version, digest in _unproven(store, device_id)]
    if unsigned:
        store.sync.proofs.add([authorship.sign(keys.signing, device_id, unsigned)])


def _take_over(store: Any, old_id: str) -> int:
    """Re-issue, as this (new) device's, the old device's head versions no attestation
    covers: with its key gone nobody could prove them again (db/store/sync/takeover.py).
    One audit entry says how many, and from which device. Inside the caller's transaction,
    after the switch to the new id."""
    stamps: dict[str, dict[str, set[str]]] = {}
    for table, version, _digest in _unproven(store, old_id):
        stamps.setdefault(table, {}).setdefault(version["id"], set()).add(version["hlc"])
    taken: dict[str, int] = {
        table: int(store.sync.takeover.reissue(table, rows)) for table, rows in stamps.items()
    }
    total = sum(taken.values())
    if total:
        store.core.append_audit(
            "take-over",
            "devices",
            store.device_id,
            {"device_id": old_id},
            {
                "device_id": store.device_id,
                "versions": total,
                "tables": {t: n for t, n in sorted(taken.items()) if n},
            },
        )
    return total


def new_identity(store: Any) -> DeviceKeys:
    """Give this database a new device id and new keys; the old id stays known (with its
    published key) so its history still reads and travels as its own.

    Every head version of the old device must stay provable: with the old key at hand, those
    not yet signed are signed with it first; without it (a copied or restored database),
    those no attestation covers are re-issued as the new device's (`_take_over`)."""
    me = store.sync.devices.self_device()
    old_id = store.device_id
    old_keys = keys_of(store, old_id, me.get("public_key"))
    if old_keys is not None:
        _attest_own_rows(store, old_keys, old_id)
    device_id = new_id()
    keys = load_or_create_keys(data_dir_of(store), device_id)
    try:
        with store.transaction():
            store.sync.devices.retire_self(
                old_id, device_id, keys.public_key, keys.fingerprint, keys.encryption_key, now_iso()
            )
            store.settings.set_setting(BINDING, _here(store))
            store.core.device_id = device_id
            store.clock.device_id = device_id
            if old_keys is None:
                _take_over(store, old_id)
    except BaseException:
        store.core.device_id = old_id
        store.clock.device_id = old_id
        raise
    return keys
