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
    PINNED_CHANGED,
    dry_run_verdict,
    file_sha256,
    keys_to_trust,
    trust_state,
)
from desktop.sync.keys import fingerprint_of, unb64

TRUST_SELF, TRUST_TRUSTED, TRUST_UNKNOWN, TRUST_REVOKED = "self", "trusted", "unknown", "revoked"


def preview_package(
    store: Store,
    path: Path,
    *,
    passphrase: str | None = None,
    sha256: str | None = None,
    shown_as: Path | None = None,
) -> dict[str, Any]:
    """Read and verify the package at `path`; the facts the import screen shows.

    Returns {"package", "file", "source": {id, name, fingerprint}, "trust", "created",
    "app_version", "encryption", "needs_passphrase", "scope": {plan_id, full, plan}, "tables":
    {table: rows}, "rows", "attachments", "keys_to_trust", "inserted", "updated",
    "unchanged", "conflicts", "sha256"}: the verdict of the import itself (importer's
    dry_run_verdict, the same checks and the same merge rolled back), as if the sender were
    trusted. When the package is encrypted with a passphrase and none was given, only the
    manifest's facts are filled and `needs_passphrase` is True. `sha256`: the bytes must be
    these (a pinned copy). Raises UserError (refused: broken, forged, revoked, wrong
    passphrase ...). Writes nothing.
    """
    if sha256 is not None and file_sha256(Path(path)) != sha256:
        raise UserError(PINNED_CHANGED)
    with pkg.read_signed(Path(path)) as signed:  # the manifest only; the verdict reads again
        manifest = signed.manifest
    source = manifest["source"]
    fingerprint = fingerprint_of(unb64(source["public_key"], 32))
    trust = trust_state(store, fingerprint)
    if trust == TRUST_REVOKED:
        raise UserError(MESSAGES["revoked"].format(name=source["name"], fingerprint=fingerprint))
    scope = manifest.get("scope") or {}
    plan_id = scope.get("plan_id")
    plan = store.planning.plan(plan_id) if plan_id else None
    out: dict[str, Any] = {
        "package": manifest["package_id"],
        "file": str(shown_as or path),
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
        "keys_to_trust": keys_to_trust(store, manifest),
        "sha256": sha256,
    }
    if manifest["encryption"] == "passphrase" and passphrase is None:
        out["needs_passphrase"] = True
        return out
    seen: dict[str, Any] = {}
    # The window imports an unknown sender only with the user's trust (trust_new).
    verdict = dry_run_verdict(store, Path(path), passphrase=passphrase, trust_new=True, seen=seen)
    if verdict["refused"]:
        raise UserError(verdict["refused"])
    for key in ("inserted", "updated", "unchanged", "conflicts", "keys_to_trust", "sha256"):
        out[key] = verdict[key]
    out["tables"] = verdict["tables"]
    out["rows"] = sum(out["tables"].values())
    out["attachments"] = verdict["attachments"]
    versions = seen.get("versions", {})
    if plan_id and out["scope"]["plan"] is None:
        carried = next((r for r in versions.get("plans", []) if r["id"] == plan_id), None)
        out["scope"]["plan"] = _plan_label(carried) if carried else None
    return out


def _plan_label(plan: dict[str, Any]) -> str:
    title = plan.get("title") or ""
    return f"{plan['number']} — {title}" if title else str(plan["number"])
