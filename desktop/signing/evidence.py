"""Evidence that checks itself: the signatures of a PDF attached to a finding.

An attachment row (desktop.services.attachments) points at its content in the data folder;
a PDF there is verified (desktop.signing.verify) and summed up for the finding panel: who
signed, when, intact or changed, trusted. The content is addressed by its hash, so the
answer is the same on every laptop the attachment reaches by sync: a PDF changed after
signing stays flagged.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.signing.keys import SigningError
from desktop.signing.verify import changed_after_signing, verify_pdf

if TYPE_CHECKING:
    from asn1crypto import x509

    from db import Store

log = logging.getLogger(__name__)

# Verified once per (content, trust roots): the stored file never changes under its hash.
_CACHE: dict[tuple[str, tuple[str, ...]], dict[str, Any]] = {}


def is_pdf(row: dict[str, Any]) -> bool:
    """Whether an attachment is a PDF (by its media type or its name)."""
    return row.get("media_type") == "application/pdf" or str(
        row.get("filename", "")
    ).lower().endswith(".pdf")


def attachment_signatures(
    row: dict[str, Any], trust_roots: list[x509.Certificate]
) -> dict[str, Any] | None:
    """The signatures of an attachment row (as desktop.services.attachments lists it):
    None for a file that is not a PDF or is missing; else {"signatures": [...] (verify_pdf's
    dicts), "changed": bool (changed after a signature, shown in red), "problem": str | None
    (the file could not be read as a PDF)}."""
    if not is_pdf(row) or row.get("missing"):
        return None
    key = (str(row["sha256"]), tuple(sorted(c.sha256.hex() for c in trust_roots)))
    cached = _CACHE.get(key)
    if cached is not None:
        return cached
    try:
        signatures = verify_pdf(Path(row["path"]), trust_roots, str(row["filename"]))
        answer: dict[str, Any] = {
            "signatures": signatures,
            "changed": changed_after_signing(signatures),
            "problem": None,
        }
    except SigningError as exc:
        answer = {"signatures": [], "changed": False, "problem": str(exc)}
    except Exception:  # noqa: BLE001  # a unit's file must never break the finding panel
        log.exception("Verifying the signatures of attachment %s failed", row.get("id"))
        answer = {
            "signatures": [],
            "changed": True,
            "problem": f"Không kiểm tra được chữ ký số của tệp {row.get('filename')}",
        }
    _CACHE[key] = answer
    return answer


def signed_on(signatures: list[dict[str, Any]]) -> dt.date | None:
    """The document's date as its first signature gives it (Vietnam time): what can fill the
    evidence document's "ngày"."""
    for s in signatures:
        if s.get("signed_at"):
            return dt.datetime.fromisoformat(s["signed_at"]).date()
    return None


def signed_by_text(signatures: list[dict[str, Any]]) -> str:
    """ "văn bản điện tử có ký số của …" for the minutes and the notice ("" when unsigned)."""
    names: list[str] = []
    for s in signatures:
        if s.get("signer") and s["signer"] not in names:
            names.append(s["signer"])
    return f"văn bản điện tử có ký số của {', '.join(names)}" if names else ""


CHANGED_NOTE = "văn bản điện tử có chữ ký số nhưng đã bị thay đổi sau khi ký"


def citation_note(found: dict[str, Any] | None) -> str:
    """What the minutes and the notice add where they cite an attached PDF: "văn bản điện
    tử có ký số của <signer>, ngày dd/mm/yyyy", or CHANGED_NOTE for a PDF changed after
    signing; "" for a file without signatures (or not a PDF, or unreadable)."""
    if found is None or found["problem"] or not found["signatures"]:
        return ""
    if found["changed"]:
        return CHANGED_NOTE
    intact = [s for s in found["signatures"] if s["intact"]]
    text = signed_by_text(intact)
    when = signed_on(intact)
    return f"{text}, ngày {when:%d/%m/%Y}" if text and when else text


def evidence_signature_notes(
    store: Store, db_path: Path, inspection_id: str
) -> dict[str, list[dict[str, str]]]:
    """The signature notes of an inspection's attached PDFs, as plain data for the document
    builder (desktop.reports stays free of signing): {finding id: [{"filename", "note"}]},
    only the attachments that carry a signature. The CLI and the window's export both call
    it before rendering the minutes or the notice."""
    from desktop.services.attachments import list_attachments
    from desktop.services.paths import data_dir_for
    from desktop.signing.trust import roots

    data_dir = data_dir_for(db_path)
    trusted = roots(db_path)
    notes: dict[str, list[dict[str, str]]] = {}
    for item in store.findings.inspection_items(inspection_id):
        for row in list_attachments(store, data_dir, inspection_id, item["item_id"]):
            note = citation_note(attachment_signatures(row, trusted))
            if note:
                notes.setdefault(row["finding_id"], []).append(
                    {"filename": row["display_name"], "note": note}
                )
    return notes


def summary_lines(found: dict[str, Any] | None) -> list[str]:
    """One line per signature for the finding panel: signer, date, intact/changed, trusted."""
    if found is None:
        return []
    if found["problem"]:
        return [found["problem"]]
    if not found["signatures"]:
        return ["Không có chữ ký số"]
    lines = []
    for s in found["signatures"]:
        when = (
            dt.datetime.fromisoformat(s["signed_at"]).strftime("%d/%m/%Y %H:%M")
            if s["signed_at"]
            else "không rõ ngày"
        )
        state = "nguyên vẹn" if s["intact"] else "ĐÃ BỊ THAY ĐỔI sau khi ký"
        if s["intact"] and s["modified_after"] and not s["modified_after"]["allowed"]:
            state = "có nội dung thêm sau khi ký, không được phép"
        trust = "tin cậy" if s["trusted"] else "chưa tin cậy"
        lines.append(f"Ký số: {s['signer']} — {when} — {state}, {trust}")
    return lines
