"""A device identity per database (issue 15, finding 7).

A database's device id is made with it (db/store/core.py); its keys live in
`keys/<device id>/` beside it, so two databases in one folder never share a key. The
database remembers where it was when its keys were made (setting `device_binding`, the
database file's real path). Found elsewhere — copied, or restored on another laptop — or
with its published key missing, it takes a new identity on first need: a new device id and
new keys, its history kept (its own versions, signed with the old key while it is at hand,
still travel as the old device's, which stays known here). `kiemtra device new-identity`
does the same on demand.
"""

from __future__ import annotations

import os
from typing import Any

from db.migrations import SYNCED_TABLES
from db.store.core import new_id, now_iso
from desktop.domain import nfc
from desktop.sync import authorship
from desktop.sync import package as pkg
from desktop.sync.keys import DeviceKeys, data_dir_of, load_keys, load_or_create_keys

BINDING = "device_binding"


def _here(store: Any) -> str:
    return os.path.normcase(os.path.realpath(str(store.path)))


def _keys_of(store: Any, device_id: str, published: str | None) -> DeviceKeys | None:
    """This device's keys: in its own folder, or (made before) in `keys/` when they are the
    very key it published."""
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
    return _keys_of(store, store.device_id, store.sync.devices.self_device().get("public_key"))


def ensure_identity(store: Any) -> DeviceKeys:
    """This database's keys, made on first need, published in its device row; a database
    found away from where its keys were made (or whose published key is gone) first takes a
    new identity."""
    me = store.sync.devices.self_device()
    published = me.get("public_key")
    binding = store.settings.setting(BINDING)
    keys = _keys_of(store, store.device_id, published)
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


def _attest_own_rows(store: Any, keys: DeviceKeys, device_id: str) -> None:
    """Sign, with the key about to be retired, every current version this device wrote that
    carries no proof yet: they travel on as the old device's."""
    signed: set[bytes] = set()
    for attestation in store.sync.proofs.of_devices([device_id]):
        signed.update(authorship.split(attestation["digests"]))
    unsigned = []
    for table in SYNCED_TABLES:
        for row in store.sync.versions.rows_of_origin(table, device_id):
            line = pkg.canonical_json(
                {k: nfc(v) if isinstance(v, str) else v for k, v in row.items()}
            )
            digest = authorship.digest(table, line)
            if digest not in signed:
                unsigned.append(digest)
    if unsigned:
        store.sync.proofs.add([authorship.sign(keys.signing, device_id, unsigned)])


def new_identity(store: Any) -> DeviceKeys:
    """Give this database a new device id and new keys; the old id stays known (with its
    published key) so its history still reads and travels as its own."""
    me = store.sync.devices.self_device()
    old_id = store.device_id
    old_keys = _keys_of(store, old_id, me.get("public_key"))
    if old_keys is not None:
        _attest_own_rows(store, old_keys, old_id)
    device_id = new_id()
    keys = load_or_create_keys(data_dir_of(store), device_id)
    with store.transaction():
        store.sync.devices.retire_self(
            old_id, device_id, keys.public_key, keys.fingerprint, keys.encryption_key, now_iso()
        )
        store.settings.set_setting(BINDING, _here(store))
    store.core.device_id = device_id
    store.clock.device_id = device_id
    return keys
