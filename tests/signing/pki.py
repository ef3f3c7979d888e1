"""A test PKI made with `cryptography`: a CA, a signer, an organisation, and the bad ones
(expired, without the digital-signature key usage); PKCS#12 files; transparent PNG images."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

PASSPHRASE = "mật-khẩu-đúng"
SIGNER = "Phan Thị Mỹ Duyên"
BODY = "Sở Nội vụ tỉnh Sóc Trăng"


@dataclass
class Issued:
    key: rsa.RSAPrivateKey
    cert: x509.Certificate
    p12: Path


def _name(cn: str, org: str | None = None) -> x509.Name:
    parts = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if org:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
    parts.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    return x509.Name(parts)


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def make_ca(cn: str = "CA thử nghiệm Kiểm tra CCHC") -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    key = _key()
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(cn, "Ban Cơ yếu thử nghiệm"))
        .issuer_name(_name(cn, "Ban Cơ yếu thử nghiệm"))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=365))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .sign(key, hashes.SHA256())
    )
    return key, cert


def issue(
    ca: tuple[rsa.RSAPrivateKey, x509.Certificate],
    folder: Path,
    stem: str,
    cn: str,
    org: str | None,
    *,
    expired: bool = False,
    digital_signature: bool = True,
) -> Issued:
    ca_key, ca_cert = ca
    key = _key()
    now = dt.datetime.now(dt.UTC)
    start, end = (
        (now - dt.timedelta(days=800), now - dt.timedelta(days=30))
        if expired
        else (now - dt.timedelta(days=30), now + dt.timedelta(days=730))
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(cn, org))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            # digital_signature, content_commitment (non-repudiation), key_encipherment…
            x509.KeyUsage(
                digital_signature,
                True,
                not digital_signature,
                False,
                False,
                False,
                False,
                False,
                False,
            ),
            critical=True,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    p12 = folder / f"{stem}.p12"
    p12.write_bytes(
        pkcs12.serialize_key_and_certificates(
            stem.encode(),
            key,
            cert,
            [ca_cert],
            serialization.BestAvailableEncryption(PASSPHRASE.encode()),
        )
    )
    return Issued(key, cert, p12)


def png(path: Path, kind: str) -> Path:
    """A transparent PNG: a blue handwritten-like stroke ("signature") or a red ring ("seal")."""
    from PIL import Image, ImageDraw

    if kind == "seal":
        img = Image.new("RGBA", (300, 300), (0, 0, 0, 0))
        d = ImageDraw.Draw(img)
        d.ellipse((10, 10, 290, 290), outline=(220, 0, 0, 255), width=14)
        d.ellipse((60, 60, 240, 240), outline=(220, 0, 0, 255), width=6)
        d.polygon(
            [
                (150, 95),
                (165, 140),
                (210, 140),
                (173, 165),
                (188, 210),
                (150, 182),
                (112, 210),
                (127, 165),
                (90, 140),
                (135, 140),
            ],
            fill=(220, 0, 0, 255),
        )
    else:
        img = Image.new("RGBA", (400, 160), (0, 0, 0, 0))
        d = ImageDraw.Draw(img)
        d.line(
            [(20, 120), (80, 30), (120, 130), (170, 40), (230, 120), (300, 60), (380, 90)],
            fill=(0, 40, 160, 255),
            width=8,
            joint="curve",
        )
    img.save(path)
    return path


def simple_pdf(path: Path, pages: int = 1) -> Path:
    """A small PDF with Vietnamese text (reportlab; Liberation Serif of the app)."""
    from reportlab.pdfgen.canvas import Canvas

    from desktop.reports.fonts import register_fonts

    family = register_fonts()
    canvas = Canvas(str(path))
    for n in range(pages):
        canvas.setFont(family, 14)
        canvas.drawString(
            72, 760, f"THÔNG BÁO Kết luận kiểm tra cải cách hành chính — trang {n + 1}"
        )
        # Unique content: the evidence cache is keyed by the file's hash.
        canvas.setFont(family, 8)
        canvas.drawString(72, 60, uuid.uuid4().hex)
        canvas.showPage()
    canvas.save()
    return path
