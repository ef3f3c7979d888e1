"""The user's trust roots: the CA certificates whose signatures the user vouches for.

The app ships none (it cannot vouch for any): `kiemtra ca add` stores a root the user got from
the CA (Ban Cơ yếu Chính phủ, VNPT-CA, Viettel-CA…) as a PEM file in `trust/` beside the
database, named by its SHA-256 fingerprint, written through db.files' atomic writer.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.services.paths import data_dir_for
from desktop.signing.keys import SigningError, subject_name

if TYPE_CHECKING:
    from asn1crypto import x509

FOLDER = "trust"
SUFFIXES = (".cer", ".pem", ".crt", ".der")


def trust_folder(db_path: Path) -> Path:
    """Where this database's user keeps trust roots."""
    return data_dir_for(db_path) / FOLDER


def load_certificate(data: bytes, name: str = "tệp") -> x509.Certificate:
    """One X.509 certificate from DER or PEM bytes; one Vietnamese line if it is not one."""
    from asn1crypto import pem
    from asn1crypto import x509 as asn1_x509

    try:
        if pem.detect(data):
            _kind, _headers, data = pem.unarmor(data)
        cert = asn1_x509.Certificate.load(data)
        cert.native  # noqa: B018  # parse it whole now: a damaged file fails here
    except (ValueError, TypeError, OSError) as exc:
        raise SigningError(f"{name} không phải là chứng thư số (.cer, .pem, .crt)") from exc
    return cert


def describe(cert: x509.Certificate, path: Path | None = None) -> dict[str, Any]:
    """The facts `kiemtra ca list` shows of a root."""
    native = cert.subject.native
    return {
        "name": subject_name(cert),
        "organisation": native.get("organization_name"),
        "sha256": cert.sha256.hex(),
        "valid_from": cert.not_valid_before.isoformat(),
        "valid_to": cert.not_valid_after.isoformat(),
        "is_ca": bool(cert.ca),
        "path": str(path) if path else None,
    }


def add_root(db_path: Path, source: Path) -> dict[str, Any]:
    """Trust the CA certificate in `source` (DER or PEM). Adding the same root twice is a
    no-op. Returns its description."""
    from asn1crypto import pem

    from db.files import private_folder, write_bytes

    if source.suffix.lower() not in SUFFIXES:
        raise SigningError(f"Tệp {source.name} phải là chứng thư số .cer, .pem hoặc .crt")
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise SigningError(f"Không đọc được tệp {source}") from exc
    cert = load_certificate(data, f"Tệp {source.name}")
    if not cert.ca:
        raise SigningError(
            f"Chứng thư số trong {source.name} ({subject_name(cert)}) không phải của tổ chức "
            "cung cấp dịch vụ chứng thực (CA): chỉ tin cậy chứng thư gốc của CA"
        )
    if cert.not_valid_after < dt.datetime.now(dt.UTC):
        raise SigningError(f"Chứng thư gốc {subject_name(cert)} đã hết hạn")
    folder = private_folder(trust_folder(db_path))
    target = folder / f"{cert.sha256.hex()}.pem"
    if not target.exists():
        write_bytes(target, pem.armor("CERTIFICATE", cert.dump()), private=True)
    return describe(cert, target)


def list_roots(db_path: Path) -> list[dict[str, Any]]:
    """The trusted roots, by name."""
    return sorted((describe(cert, path) for path, cert in _roots(db_path)), key=lambda r: r["name"])


def roots(db_path: Path) -> list[x509.Certificate]:
    """The trusted roots as certificates, for validation."""
    return [cert for _path, cert in _roots(db_path)]


def _roots(db_path: Path) -> list[tuple[Path, x509.Certificate]]:
    folder = trust_folder(db_path)
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob("*.pem")):
        try:
            found.append((path, load_certificate(path.read_bytes(), path.name)))
        except (SigningError, OSError):
            continue  # a damaged file is no root; `ca add` can put it back
    return found
