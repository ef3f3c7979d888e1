"""What a package holds, checked as an import would check it, without changing anything.

The import screen shows this before the secretary decides: who sent it (name and key
fingerprint, whether this laptop trusts that key), when, for which plan, encrypted or not, how
many rows of each table and how many attached files. The whole package is verified (signature,
every part's size and hash, every row against the schema, references) so that a broken or
forged file is refused here with the same message the import would give.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from db import Store
from desktop.services.errors import UserError
from desktop.sync import package as pkg
from desktop.sync.importer import (
    MESSAGES,
    _decryptor,
    check_content,
)
from desktop.sync.keys import fingerprint_of, unb64

TRUST_SELF, TRUST_TRUSTED, TRUST_UNKNOWN, TRUST_REVOKED = "self", "trusted", "unknown", "revoked"


def preview_package(store: Store, path: Path, *, passphrase: str | None = None) -> dict[str, Any]:
    """Read and verify the package at `path`; the facts the import screen shows.

    Returns {"package", "file", "source": {id, name, fingerprint}, "trust", "created",
    "app_version", "encryption", "needs_passphrase", "scope": {plan_id, full, plan}, "tables":
    {table: rows}, "rows", "attachments"}. When the package is encrypted with a passphrase and
    none was given, only the manifest's facts are filled and `needs_passphrase` is True.
    Raises UserError (refused: broken, forged, revoked, wrong passphrase ...). Writes nothing.
    """
    signed = pkg.read_signed(Path(path))
    manifest = signed.manifest
    source = manifest["source"]
    fingerprint = fingerprint_of(unb64(source["public_key"], 32))
    known = store.sync.devices.device_by_fingerprint(fingerprint)
    if known is None:
        trust = TRUST_UNKNOWN
    elif known["is_self"]:
        trust = TRUST_SELF
    elif known["revoked"]:
        raise UserError(MESSAGES["revoked"].format(name=source["name"], fingerprint=fingerprint))
    else:
        trust = TRUST_TRUSTED if known["trusted"] else TRUST_UNKNOWN
    scope = manifest.get("scope") or {}
    plan_id = scope.get("plan_id")
    plan = store.planning.plan(plan_id) if plan_id else None
    out: dict[str, Any] = {
        "package": manifest["package_id"],
        "file": str(path),
        "source": {"id": source["id"], "name": source["name"], "fingerprint": fingerprint},
        "trust": trust,
        "created": manifest.get("created"),
        "app_version": manifest.get("app_version"),
        "encryption": manifest["encryption"],
        "needs_passphrase": False,
        "scope": {
            "plan_id": plan_id,
            "full": bool(scope.get("full")),
            "plan": _plan_label(plan) if plan else None,
        },
        "tables": {},
        "rows": 0,
        "attachments": 0,
    }
    if manifest["encryption"] == "passphrase" and passphrase is None:
        out["needs_passphrase"] = True
        return out
    content = pkg.read_content(signed, _decryptor(store, manifest, passphrase))
    versions = check_content(store, manifest, content).versions
    out["tables"] = {table: len(rows) for table, rows in versions.items() if rows}
    out["rows"] = sum(out["tables"].values())
    out["attachments"] = len(content.attachments)
    if plan_id and out["scope"]["plan"] is None:
        carried = next((r for r in versions.get("plans", []) if r["id"] == plan_id), None)
        out["scope"]["plan"] = _plan_label(carried) if carried else None
    return out


def _plan_label(plan: dict[str, Any]) -> str:
    title = plan.get("title") or ""
    return f"{plan['number']} — {title}" if title else str(plan["number"])
