"""Proof that every version a package carries was written by the device it names.

A version's *digest* is the first 16 bytes of sha256(table, newline, its canonical JSON line):
it covers the table, the row id, the stamp and every column. A device signs, once per export,
the sorted list of the digests of its own versions not yet signed (an *attestation*); the
receiver keeps the attestation, and carries it on in every package that relays one of those
versions. Importing, a version is accepted only when its digest is in an attestation that
verifies against the key of the device its stamp and `origin` name; one Ed25519 check per
attestation, one sha256 per row (the import stays close to a bare executemany).

Refused, the whole package: a version whose `origin` is not its stamp's device, one naming a
device this laptop does not know, one whose author's key this laptop does not trust, one
without its author's proof, and a *new* version of a revoked device (versions already here
change nothing and do not block a relay).

Only a trusted key proves anything. A key a package lists for a device this laptop has not
trusted (a relay passing on an author's key) counts only when the user lets this import trust
the keys it brings (`--trust-new`, or the window's confirmation after the preview showed each
key and who introduced it): otherwise any trusted sender could bind a device id it does not
own to a key of its own and write as that device.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from db.store.checklists import DEFAULT_STAMPS
from desktop.services.errors import UserError
from desktop.sync import package as pkg

DIGEST_BYTES = 16
SHIPPED_STAMP = DEFAULT_STAMPS["hlc"]
_CONTEXT = b"kiemtra-sync-attestation\x00"
MAX_DIGESTS = 2_000_000  # per attestation: more versions than any province-year

MESSAGES = {
    "origin": (
        "Gói đồng bộ bị từ chối: {table} {id} có origin “{origin}” khác thiết bị trong dấu "
        "thời gian ({device})"
    ),
    "unknown": (
        "Gói đồng bộ bị từ chối: {table} {id} ghi là của thiết bị {device}, thiết bị mà máy "
        "này không biết khóa"
    ),
    "untrusted": (
        "Gói đồng bộ bị từ chối: {table} {id} ghi là của thiết bị “{name}”, khóa của thiết bị "
        "này chưa được tin cậy trên máy này (vân tay {fingerprint}{by}); hãy xem trước gói "
        "(--dry-run) và chỉ nhập với --trust-new nếu đúng là khóa của thiết bị đó"
    ),
    "unproven": (
        "Gói đồng bộ bị từ chối: {table} {id} ghi là của thiết bị “{name}” nhưng không có chữ ký "
        "của thiết bị đó"
    ),
    "bad_attestation": (
        "Gói đồng bộ bị từ chối: chữ ký tác giả của thiết bị “{name}” không hợp lệ"
    ),
    "revoked": (
        "Gói đồng bộ bị từ chối: gói mang thay đổi mới của thiết bị “{name}”, thiết bị đã bị "
        "thu hồi"
    ),
    "too_old": (
        "Gói đồng bộ được tạo bởi phiên bản cũ (định dạng {version}) không chứng minh được tác "
        "giả của các thay đổi chuyển tiếp; hãy cập nhật chương trình trên máy gửi rồi xuất lại"
    ),
}


def digest(table: str, line: bytes) -> bytes:
    """The digest of one version: its table and its canonical JSON line."""
    return hashlib.sha256(table.encode("ascii") + b"\n" + line).digest()[:DIGEST_BYTES]


def attestation_id(signature: bytes) -> str:
    return hashlib.sha256(signature).hexdigest()


def _message(device_id: str, digests: bytes) -> bytes:
    return _CONTEXT + device_id.encode("utf-8") + b"\x00" + digests


def sign(signing_key: Any, device_id: str, digests: Iterable[bytes]) -> dict[str, Any]:
    """A new attestation by this device over these digests (sorted, each once)."""
    blob = b"".join(sorted(set(digests)))
    signature = signing_key.sign(_message(device_id, blob))
    return {
        "id": attestation_id(signature),
        "device_id": device_id,
        "signature": base64.b64encode(signature).decode("ascii"),
        "digests": blob,
    }


def to_line(attestation: dict[str, Any]) -> dict[str, Any]:
    """How an attestation travels (one line of proofs.jsonl)."""
    return {
        "device": attestation["device_id"],
        "signature": attestation["signature"],
        "digests": base64.b64encode(attestation["digests"]).decode("ascii"),
    }


def split(blob: bytes) -> list[bytes]:
    return [blob[i : i + DIGEST_BYTES] for i in range(0, len(blob), DIGEST_BYTES)]


@dataclass
class Carried:
    """An attestation read from a package (not yet verified)."""

    device_id: str
    signature: bytes
    digests: bytes

    def as_row(self) -> dict[str, Any]:
        return {
            "id": attestation_id(self.signature),
            "device_id": self.device_id,
            "signature": base64.b64encode(self.signature).decode("ascii"),
            "digests": self.digests,
        }


def parse_proofs(data: bytes | bytearray | None) -> list[Carried]:
    """proofs.jsonl, each line checked (sizes bounded by the part's declared size)."""
    if not data:
        return []
    carried = []
    # (bytes(data): the part as read is a bytearray; its one or few lines are short-lived.)
    for number, line in enumerate(bytes(data).split(b"\n"), start=1):
        if not line:
            continue
        entry = pkg.parse_document(line, pkg.PROOFS)
        try:
            if not (
                isinstance(entry, dict)
                and isinstance(entry.get("device"), str)
                and 0 < len(entry["device"]) <= 100
            ):
                raise ValueError(number)
            signature = base64.b64decode(entry["signature"], validate=True)
            blob = base64.b64decode(entry["digests"], validate=True)
        except (ValueError, TypeError, KeyError, binascii.Error) as exc:
            raise pkg.PackageError("bad_manifest", detail=f"{pkg.PROOFS} dòng {number}") from exc
        if len(signature) != 64 or len(blob) % DIGEST_BYTES or len(blob) > MAX_DIGESTS * 16:
            raise pkg.PackageError("bad_manifest", detail=f"{pkg.PROOFS} dòng {number}")
        carried.append(Carried(entry["device"], signature, blob))
    return carried


def _verify(public_key_b64: str, carried: Carried) -> bool:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    from desktop.sync.keys import unb64

    try:
        key = Ed25519PublicKey.from_public_bytes(unb64(public_key_b64, 32))
        key.verify(carried.signature, _message(carried.device_id, carried.digests))
    except (InvalidSignature, ValueError):
        return False
    return True


@dataclass
class Author:
    """A device as the authorship check sees it."""

    name: str
    public_key: str | None
    revoked: bool
    trusted: bool = True
    fingerprint: str | None = None
    introduced_by: str | None = None  # the device whose package listed the key


def authors(store: Any, manifest: dict[str, Any], *, adopt: bool) -> dict[str, Author]:
    """The keys a version may be checked against, by device id: this laptop's records first
    (a package cannot re-key a device known here), then the sender, then the keys it lists.
    A key revoked here (by id or by fingerprint) is revoked whoever lists it. A key is
    trusted when this laptop trusts it, when it is the sender's (the import got past the
    sender's trust), or, `adopt` (the user lets this import trust the keys it brings), when
    the package lists it."""
    devices = store.sync.devices.devices()
    revoked = {d["fingerprint"] for d in devices if d["revoked"] and d["fingerprint"]}
    # Keys trusted here by fingerprint: under their device's id, or (`device trust FP` before
    # the key was seen) under a placeholder any id may take.
    trusted_here = {
        d["fingerprint"]: str(d["id"])
        for d in devices
        if d["fingerprint"] and (d["trusted"] or d["is_self"]) and not d["revoked"]
    }
    source = manifest["source"]
    out: dict[str, Author] = {}
    listed_fps: set[str | None] = set()
    for device in [*manifest.get("devices", []), source]:
        key = device.get("public_key")
        if key:
            fingerprint = _fingerprint(key)
            is_source = device is source
            holder = trusted_here.get(fingerprint) if fingerprint else None
            trusted = (
                adopt
                or is_source
                or (holder is not None and (holder == device["id"] or holder.startswith("fp:")))
            )
            if trusted:
                listed_fps.add(fingerprint)
            out[device["id"]] = Author(
                device["name"],
                key,
                fingerprint in revoked,
                trusted=trusted,
                fingerprint=fingerprint,
                introduced_by=None if is_source else source["id"],
            )
    for device in devices:
        if str(device["id"]).startswith("fp:"):
            continue  # known by fingerprint only: no id a stamp could name
        out[device["id"]] = Author(
            device["name"],
            device.get("public_key"),
            bool(device["revoked"]) or device["fingerprint"] in revoked,
            trusted=bool(device["trusted"] or device["is_self"])
            or (device["fingerprint"] is not None and device["fingerprint"] in listed_fps),
            fingerprint=device["fingerprint"],
            introduced_by=device.get("introduced_by"),
        )
    return out


def _fingerprint(public_key_b64: str) -> str | None:
    from desktop.sync.keys import fingerprint_of, unb64

    try:
        return fingerprint_of(unb64(public_key_b64, 32))
    except ValueError:
        return None


def check_authorship(
    store: Any,
    manifest: dict[str, Any],
    versions: dict[str, list[dict[str, Any]]],
    digests: dict[str, list[bytes]],
    carried: list[Carried],
    *,
    adopt: bool,
) -> list[dict[str, Any]]:
    """Every version proven by its author (see the module); returns the attestations to keep.
    `adopt`: the keys the package lists count as trusted (the user's --trust-new).

    Raises UserError (one line) at the first version that fails. Writes nothing.
    """
    known = authors(store, manifest, adopt=adopt)
    verified: dict[str, set[bytes]] = {}
    keep: list[dict[str, Any]] = []
    for attestation in carried:
        author = known.get(attestation.device_id)
        if author is None or author.public_key is None or author.revoked or not author.trusted:
            continue  # proves nothing here; the versions it would cover are judged below
        if not _verify(author.public_key, attestation):
            raise UserError(MESSAGES["bad_attestation"].format(name=pkg.shown(author.name)))
        verified.setdefault(attestation.device_id, set()).update(split(attestation.digests))
        keep.append(attestation.as_row())
    legacy_source = manifest["source"]["id"] if manifest.get("format_version") == 1 else None
    for table, rows in versions.items():
        table_digests = digests[table]
        unproven: list[tuple[int, str]] = []
        for index, row in enumerate(rows):
            if row["hlc"] == SHIPPED_STAMP and table.startswith("checklist_"):
                # The shipped default checklist: the same rows and stamps on every laptop
                # (db/store/checklists.py), written by no device; the sender's signature on
                # the manifest covers them like any of its own.
                continue
            device = row["hlc"].split(".", 2)[2]
            if row["origin"] != device:
                raise UserError(
                    MESSAGES["origin"].format(
                        table=table,
                        id=row["id"],
                        origin=pkg.shown(str(row["origin"])),
                        device=device,
                    )
                )
            author = known.get(device)
            if author is None or author.public_key is None:
                unproven.append((index, "unknown"))
            elif author.revoked:
                unproven.append((index, "revoked"))
            elif not author.trusted:
                unproven.append((index, "untrusted"))
            elif table_digests[index] not in verified.get(device, ()):
                # A format-1 package proves its sender's own versions by the manifest's
                # signature (over every part's hash); a relayed one it cannot prove.
                if device != legacy_source:
                    unproven.append((index, "unproven"))
        if not unproven:
            continue
        # A version already here changes nothing: it neither needs a proof nor is refused.
        here = store.sync.proofs.known_versions(
            table, [(rows[i]["id"], rows[i]["hlc"]) for i, _ in unproven]
        )
        for index, reason in unproven:
            row = rows[index]
            if (row["id"], row["hlc"]) in here:
                continue
            device = row["origin"]
            if reason in ("unproven", "untrusted") and manifest.get("format_version") == 1:
                raise UserError(MESSAGES["too_old"].format(version=1))
            author = known.get(device)
            name = pkg.shown(author.name if author else device)
            by = ""
            if author is not None and author.introduced_by:
                introducer = known.get(author.introduced_by)
                shown_by = introducer.name if introducer else author.introduced_by
                by = f", do “{pkg.shown(shown_by)}” chuyển tới"
            raise UserError(
                MESSAGES[reason].format(
                    table=table,
                    id=row["id"],
                    device=device,
                    name=name,
                    fingerprint=author.fingerprint if author else "—",
                    by=by,
                )
            )
    return keep
