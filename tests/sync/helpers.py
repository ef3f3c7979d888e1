"""Laptops for sync tests: each its own database file, device and keys."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from db import Store
from db.migrations import SYNCED_TABLES
from desktop.services.paths import data_dir_for
from desktop.sync import package as pkg
from desktop.sync.keys import load_keys
from tests.conftest import Kiemtra


class Laptop:
    """A device: a Store file in its own folder, and the `kiemtra` CLI against it."""

    def __init__(self, root: Path, name: str) -> None:
        self.name = name
        self.db_path = root / name / "kiemtra.sqlite"
        store = Store.open(self.db_path)
        # The Store names a device after the host; every test laptop shares one host.
        store.db.execute("UPDATE devices SET name = ? WHERE is_self = 1", [name])
        store.close()
        self.store = Store.open(self.db_path)
        self.cli = Kiemtra(self.db_path)

    @property
    def data_dir(self) -> Path:
        return data_dir_for(self.db_path)

    def info(self) -> dict[str, Any]:
        return self.cli.json("device", "show")  # type: ignore[no-any-return]

    def reopen(self) -> None:
        """See what the CLI (its own connection) wrote, with a fresh clock."""
        self.store.close()
        self.store = Store.open(self.db_path)

    def close(self) -> None:
        self.store.close()


def dump(store: Store) -> dict[str, Any]:
    """Everything that must agree between laptops: travelling rows and conflicts."""
    out: dict[str, Any] = {}
    for table in SYNCED_TABLES:
        out[table] = [dict(r) for r in store.db.query(f"SELECT * FROM {table} ORDER BY id")]
    out["sync_conflicts"] = [
        dict(r)
        for r in store.db.query(
            "SELECT id, table_name, row_id, local, remote, resolution FROM sync_conflicts "
            "ORDER BY id"
        )
    ]
    return out


def full_dump(db_path: Path) -> list[str]:
    """Every statement of the database, for "left exactly as it was"."""
    import sqlite3

    conn = sqlite3.connect(db_path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def read_members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def write_members(path: Path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)


def declare(members: dict[str, bytes], manifest: dict[str, Any]) -> None:
    """Recompute the parts list from the members present (as a forger with a key would)."""
    import hashlib

    parts = []
    for name, data in members.items():
        if name in (pkg.MANIFEST, pkg.SIGNATURE):
            continue
        rows = data.count(b"\n") if name.endswith(".jsonl") else 0
        parts.append(
            {
                "name": name,
                "sha256": hashlib.sha256(data).hexdigest(),
                "rows": rows,
                "size": len(data),
            }
        )
    manifest["parts"] = parts


def rebuild(
    source: Path,
    target: Path,
    laptop: Laptop | None,
    mutate: Callable[[dict[str, Any], dict[str, bytes]], None],
    *,
    redeclare: bool = True,
) -> Path:
    """Copy a package with `mutate(manifest, members)` applied, re-signed by `laptop`'s key."""
    members = read_members(source)
    manifest = json.loads(members[pkg.MANIFEST])
    proofs = members.get(pkg.PROOFS)
    mutate(manifest, members)
    if laptop is not None and proofs is not None and members.get(pkg.PROOFS) == proofs:
        reprove(members, laptop)  # (a mutation of the proofs themselves is left as it is)
    if redeclare:
        declare(members, manifest)
    manifest_bytes = pkg.canonical_json(manifest)
    members[pkg.MANIFEST] = manifest_bytes
    if laptop is not None:
        keys = load_keys(laptop.data_dir, laptop.store.device_id)
        assert keys is not None
        members[pkg.SIGNATURE] = keys.signing.sign(manifest_bytes)
    write_members(target, members)
    return target


def reprove(members: dict[str, bytes], laptop: Laptop) -> None:
    """Sign anew, with `laptop`'s key, every version it claims (as a forger holding that key
    would); the other devices' proofs are left as they came."""
    from desktop.sync import authorship

    keys = load_keys(laptop.data_dir, laptop.store.device_id)
    assert keys is not None
    me = laptop.store.device_id
    lines = [json.loads(line) for line in members.get(pkg.PROOFS, b"").splitlines()]
    kept = [line for line in lines if line["device"] != me]

    def claims_me(line: bytes) -> bool:
        try:
            return bool(json.loads(line)["origin"] == me)
        except (ValueError, TypeError, KeyError, RecursionError):
            return False  # a line the mutation broke: the import refuses it anyway

    mine = [
        authorship.digest(name[len("rows/") : -len(".jsonl")], line)
        for name, data in members.items()
        if name.startswith("rows/") and name.endswith(".jsonl")
        for line in data.split(b"\n")
        if line and claims_me(line)
    ]
    if mine:
        kept.append(authorship.to_line(authorship.sign(keys.signing, me, mine)))
    members[pkg.PROOFS] = pkg.jsonl(kept)


def rows_of(members: dict[str, bytes], table: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in members[f"rows/{table}.jsonl"].splitlines()]


def set_rows(members: dict[str, bytes], table: str, rows: list[dict[str, Any]]) -> None:
    members[f"rows/{table}.jsonl"] = pkg.jsonl(rows)


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def with_manifest(source: Path, target: Path, manifest: bytes, signer: Laptop | None) -> Path:
    """The package `source` with these exact manifest bytes at `target`, signed by `signer`'s
    key when given (a key holder), else carrying `source`'s now wrong signature."""
    from desktop.sync.keys import load_keys

    members = read_members(source)
    members[pkg.MANIFEST] = manifest
    if signer is not None:
        keys = load_keys(signer.data_dir, signer.store.device_id)
        assert keys is not None
        members[pkg.SIGNATURE] = keys.signing.sign(manifest)
    write_members(target, members)
    return target
