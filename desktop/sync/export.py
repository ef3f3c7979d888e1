"""Writing a package: what changed since the last export to the same target (or everything)."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from pathlib import Path
from typing import Any

from db import Store
from db.migrations import ATTACHMENT_TABLES, SYNCED_TABLES
from desktop import __version__
from desktop.domain import nfc
from desktop.services.errors import UserError
from desktop.sync import authorship
from desktop.sync import package as pkg
from desktop.sync.attachments_path import attachment_path
from desktop.sync.identity import ensure_device_keys
from desktop.sync.keys import data_dir_of, normalize_fingerprint

MIN_PASSPHRASE = 12  # characters (NFC), for the passphrase of a new package

MESSAGES = {
    "no_plan": "Không có kế hoạch {plan}",
    "bad_fingerprint": "Mã vân tay {fingerprint} không hợp lệ (cần 64 chữ số thập lục phân)",
    "unknown_recipient": (
        "Chưa biết khóa mã hóa của thiết bị {fingerprint}: hãy nhập một gói từ thiết bị đó trước"
    ),
    "revoked_recipient": "Thiết bị {fingerprint} đã bị thu hồi",
    "missing_attachment": "Thiếu tệp đính kèm {sha256} trong thư mục dữ liệu",
    "empty_passphrase": "Mật khẩu không được để trống",
    "short_passphrase": "Mật khẩu cần ít nhất {min} ký tự (mật khẩu đã cho có {length})",
    "write_failed": "Không ghi được tệp {path}: {error}",
}


def _nfc_row(row: dict[str, Any]) -> dict[str, Any]:
    return {k: nfc(v) if isinstance(v, str) else v for k, v in row.items()}


def _proofs(store: Store, keys: Any, carried: list[tuple[str, str, bytes]]) -> list[dict[str, Any]]:
    """The attestations that prove the carried versions (desktop/sync/authorship.py): those
    this laptop keeps, and one new one, signed now, for its own versions not yet signed.
    A relayed version with no proof here (received before proofs existed) travels without:
    a receiver takes it only if it has it already."""
    by_digest: dict[bytes, dict[str, Any]] = {}
    for attestation in store.sync.proofs.of_devices({origin for origin, _t, _d in carried}):
        for one in authorship.split(attestation["digests"]):
            by_digest.setdefault(one, attestation)
    wanted: dict[str, dict[str, Any]] = {}
    unsigned: list[bytes] = []
    for origin, _table, digest in carried:
        found = by_digest.get(digest)
        if found is not None and found["device_id"] == origin:
            wanted[found["id"]] = found
        elif origin == store.device_id:
            unsigned.append(digest)
    if unsigned:
        fresh = authorship.sign(keys.signing, store.device_id, unsigned)
        store.sync.proofs.add([fresh])
        wanted[fresh["id"]] = fresh
    return [authorship.to_line(a) for a in wanted.values()]


def export_package(
    store: Store,
    out: Path,
    *,
    plan_id: str | None = None,
    full: bool = False,
    recipient: str | None = None,
    passphrase: str | None = None,
) -> dict[str, Any]:
    """Write one package file; returns {"package", "file", "rows", "attachments",
    "encryption", "full", "bytes"} (bytes: the size of the file written)."""
    keys = ensure_device_keys(store)
    if plan_id is not None and store.planning.plan(plan_id) is None:
        raise UserError(MESSAGES["no_plan"].format(plan=plan_id))
    recipient_key = None
    target = None
    if recipient is not None:
        target = normalize_fingerprint(recipient)
        if target is None:
            raise UserError(MESSAGES["bad_fingerprint"].format(fingerprint=recipient))
        device = store.sync.devices.device_by_fingerprint(target)
        if device is not None and device["revoked"]:
            raise UserError(MESSAGES["revoked_recipient"].format(fingerprint=target))
        if device is None or not device.get("encryption_key"):
            raise UserError(MESSAGES["unknown_recipient"].format(fingerprint=target))
        recipient_key = device["encryption_key"]
    if passphrase is not None and not passphrase:
        raise UserError(MESSAGES["empty_passphrase"])
    if passphrase is not None and len(passphrase) < MIN_PASSPHRASE:
        # New packages only: importing one made before takes the passphrase it was made with.
        raise UserError(
            MESSAGES["short_passphrase"].format(min=MIN_PASSPHRASE, length=len(passphrase))
        )

    store.sync.conflicts.normalize_all_conflicts()
    up_to_seq = store.sync.versions.sync_max_seq()
    since = 0 if full else store.sync.export_scope.last_export_seq(target, plan_id)
    parts: list[pkg.Part] = []
    edges: list[list[str]] = []
    shas: set[str] = set()
    total_rows = 0
    max_hlc: str | None = None
    carried: list[tuple[str, str, bytes]] = []  # (origin, table, digest) of each version
    for table in SYNCED_TABLES:
        rows = store.sync.export_scope.sync_export_rows(table, plan_id, since)
        if not rows:
            continue
        total_rows += len(rows)
        # NFC, as the receiver stores it: a relay of this version re-exports the same line,
        # so the author's digest still matches it two laptops on.
        lines = [pkg.canonical_json(_nfc_row(r)) + b"\n" for r in rows]
        carried.extend(
            (r["origin"], table, authorship.digest(table, line[:-1]))
            for r, line in zip(rows, lines, strict=True)
        )
        parts.append(pkg.Part(f"rows/{table}.jsonl", data=b"".join(lines), rows=len(rows)))
        edges.extend(
            [table, *edge]
            for edge in store.sync.versions.sync_row_edges(table, (r["id"] for r in rows))
        )
        stamp = max(r["hlc"] for r in rows)
        max_hlc = stamp if max_hlc is None or stamp > max_hlc else max_hlc
        if table in ATTACHMENT_TABLES:
            shas.update(r["sha256"] for r in rows if not r["deleted"])
    if edges:
        parts.append(pkg.Part(pkg.VERSIONS, data=pkg.jsonl(edges), rows=len(edges)))
    proofs = _proofs(store, keys, carried)
    if proofs:
        parts.append(pkg.Part(pkg.PROOFS, data=pkg.jsonl(proofs), rows=len(proofs)))
    data_dir = data_dir_of(store)
    for sha in sorted(shas):
        path = attachment_path(data_dir, sha)
        if not path.is_file():
            raise UserError(MESSAGES["missing_attachment"].format(sha256=sha))
        parts.append(pkg.Part(f"attachments/{sha}", path=path))
    for part in parts:
        part.finish()
    # Refused before anything is written or marked sent: what the receiver's import refuses.
    pkg.check_writable(parts)

    package_id = str(uuid.uuid4())
    manifest: dict[str, Any] = {
        "format": pkg.FORMAT,
        "format_version": pkg.FORMAT_VERSION,
        "package_id": package_id,
        "source": {
            "id": store.device_id,
            "name": store.device_name,
            "public_key": keys.public_key,
            "encryption_key": keys.encryption_key,
        },
        "app_version": __version__,
        "created": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "scope": {"plan_id": plan_id, "full": bool(full or not since)},
        "devices": [
            {
                "id": d["id"],
                "name": d["name"],
                "public_key": d["public_key"],
                "fingerprint": d["fingerprint"],
                "encryption_key": d.get("encryption_key"),
            }
            for d in store.sync.devices.devices()
            if d["trusted"] and not d["revoked"] and not d["is_self"] and d["fingerprint"]
        ],
        "encryption": "none",
    }
    outer = parts
    aad = package_id.encode("ascii")
    if recipient_key is not None or passphrase is not None:
        from desktop.sync import crypto

        inner = pkg.content_zip(parts)
        if recipient_key is not None:
            params, payload = crypto.encrypt_for_recipient(inner, recipient_key, aad)
            params["recipient"] = target
            manifest["encryption"] = "recipient"
        else:
            assert passphrase is not None
            params, payload = crypto.encrypt_with_passphrase(inner, passphrase, aad)
            manifest["encryption"] = "passphrase"
        manifest["encryption_params"] = params
        outer = [pkg.Part(pkg.PAYLOAD, data=payload, rows=total_rows).finish()]
        pkg.check_writable(outer)
    from desktop.sync.audit_head import sign_head

    # The audit chain's head, signed as it leaves (issue 15, finding 8).
    head = sign_head(store, keys)
    if head is not None:
        manifest["audit_head"] = {k: head[k] for k in ("device_id", "seq", "hash", "signature")}
    manifest["parts"] = [p.declaration() for p in outer]
    manifest_bytes = pkg.canonical_json(manifest)
    pkg.check_writable(outer, manifest_bytes)
    signature = keys.signing.sign(manifest_bytes)
    try:
        pkg.write_package(Path(out), manifest, signature, manifest_bytes, outer)
    except OSError as exc:
        raise UserError(MESSAGES["write_failed"].format(path=out, error=exc)) from exc
    store.sync.export_scope.record_export(
        package_id,
        target,
        plan_id,
        max_hlc,
        up_to_seq,
        total_rows,
        None if head is None else json.dumps(head, sort_keys=True),
    )
    return {
        "package": package_id,
        "file": str(out),
        "rows": total_rows,
        "attachments": len(shas),
        "encryption": manifest["encryption"],
        "full": manifest["scope"]["full"],
        "bytes": Path(out).stat().st_size,
    }
