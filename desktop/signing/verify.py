"""Verify the signatures of a PDF: who signed, when, whether the signed bytes are unchanged,
what was added after, and whether the signer's certificate chains to a root the user trusts.

Offline: no certificate, revocation list or OCSP answer is fetched.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.signing.appearance import iso_time
from desktop.signing.keys import SigningError, subject_name
from desktop.signing.sign import read_pdf

if TYPE_CHECKING:
    from asn1crypto import x509

# What was added after a signature (pyHanko's ModificationLevel), as `modified_after` says it.
MODIFICATIONS = {
    "LTA_UPDATES": "validation_data",
    "FORM_FILLING": "signatures_or_forms",
    "ANNOTATIONS": "annotations",
    "OTHER": "other",
}
# The same, as the user reads them.
MODIFICATION_LABELS = {
    "validation_data": "thêm dữ liệu kiểm tra chứng thư",
    "signatures_or_forms": "thêm chữ ký số hoặc điền biểu mẫu",
    "annotations": "thêm ghi chú",
    "other": "sửa nội dung khác",
}


def verify_pdf(
    path: Path, trust_roots: list[x509.Certificate], name: str | None = None
) -> list[dict[str, Any]]:
    """One dict per signature, in signing order: signer, organisation, signed_at, intact,
    covers_whole_file, modified_after, trusted, reason.

    `modified_after` is None when nothing was added after the signature, else
    {"kind": validation_data | signatures_or_forms | annotations | other, "allowed": bool}.
    `name` is how messages call the file (an attachment's original name).
    """
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.settings import KeyUsageConstraints
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    data, _reader = read_pdf(path, name)
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    usage = KeyUsageConstraints(
        key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False
    )
    found = []
    for sig in reader.embedded_signatures:
        # A fresh context per signature: nothing learnt validating one decides another.
        context = ValidationContext(
            trust_roots=list(trust_roots), allow_fetching=False, revocation_mode="soft-fail"
        )
        cert = sig.signer_cert
        try:
            status = validate_pdf_signature(
                sig, signer_validation_context=context, key_usage_settings=usage
            )
        except Exception as exc:  # noqa: BLE001  # a malformed signature is reported, not fatal
            found.append(_broken(sig, cert, exc))
            continue
        level = status.modification_level
        whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
        modified = None
        if not whole:
            kind = MODIFICATIONS.get(level.name if level else "OTHER", "other")
            modified = {"kind": kind, "allowed": bool(status.docmdp_ok)}
        when = status.signer_reported_dt or sig.self_reported_timestamp
        found.append(
            {
                "signer": subject_name(cert),
                "organisation": cert.subject.native.get("organization_name"),
                "signed_at": iso_time(when) if when else None,
                "intact": bool(status.intact and status.valid),
                "covers_whole_file": whole,
                "modified_after": modified,
                "trusted": bool(status.trusted),
                "reason": _reason(sig),
            }
        )
    return found


def _reason(sig: Any) -> str | None:
    value = sig.sig_object.get("/Reason")
    return str(value) if value is not None else None


def _broken(sig: Any, cert: Any, exc: Exception) -> dict[str, Any]:
    when: dt.datetime | None = sig.self_reported_timestamp
    return {
        "signer": subject_name(cert) if cert is not None else None,
        "organisation": cert.subject.native.get("organization_name") if cert else None,
        "signed_at": iso_time(when) if when else None,
        "intact": False,
        "covers_whole_file": False,
        "modified_after": {"kind": "other", "allowed": False},
        "trusted": False,
        "reason": _reason(sig),
    }


def changed_after_signing(signatures: list[dict[str, Any]]) -> bool:
    """Whether the file was changed after a signature in a way that signature does not allow
    (signed bytes changed, or a not-allowed addition): what the window flags in red."""
    return any(
        not s["intact"] or (s["modified_after"] is not None and not s["modified_after"]["allowed"])
        for s in signatures
    )


__all__ = ["SigningError", "changed_after_signing", "verify_pdf"]
