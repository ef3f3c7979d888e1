"""Fixtures of the signing tests: one test PKI and one SoftHSM2 token per test process."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from tests.signing import pki

SOFTHSM_LIB = Path("/usr/lib/softhsm/libsofthsm2.so")
TOKEN = "kiemtra-thu"
PIN = "123456"


@dataclass
class Pki:
    folder: Path
    ca_cert: Path  # the root as a .cer (DER) file
    ca_pem: Path  # and as PEM
    signer: pki.Issued
    body: pki.Issued
    expired: pki.Issued
    no_signing: pki.Issued
    passphrase_file: Path
    wrong_passphrase_file: Path
    signature_png: Path
    seal_png: Path


@pytest.fixture(scope="session")
def test_pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    folder = tmp_path_factory.mktemp("pki")
    ca = pki.make_ca()
    ca_cert = folder / "ca.cer"
    ca_cert.write_bytes(ca[1].public_bytes(serialization.Encoding.DER))
    ca_pem = folder / "ca.pem"
    ca_pem.write_bytes(ca[1].public_bytes(serialization.Encoding.PEM))
    good = folder / "pass.txt"
    good.write_text(pki.PASSPHRASE + "\n", encoding="utf-8")
    bad = folder / "wrong.txt"
    bad.write_text("sai\n", encoding="utf-8")
    return Pki(
        folder,
        ca_cert,
        ca_pem,
        pki.issue(ca, folder, "signer", pki.SIGNER, pki.BODY),
        pki.issue(ca, folder, "body", pki.BODY, pki.BODY),
        pki.issue(ca, folder, "expired", "Nguyễn Văn Hết Hạn", pki.BODY, expired=True),
        pki.issue(ca, folder, "nosign", "Lê Văn Mã Hóa", pki.BODY, digital_signature=False),
        good,
        bad,
        pki.png(folder / "chu-ky.png", "signature"),
        pki.png(folder / "con-dau.png", "seal"),
    )


@dataclass
class Token:
    library: Path
    label: str
    pin_file: Path
    wrong_pin_file: Path


@pytest.fixture(scope="session")
def softhsm_token(test_pki: Pki, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Token]:
    """A SoftHSM2 token holding the signer's key and certificate (id 01), SOFTHSM2_CONF in a
    temporary folder of this test process."""
    if not SOFTHSM_LIB.is_file() or not shutil.which("softhsm2-util"):
        pytest.skip("softhsm2 chưa được cài (make debian-deps cài gói softhsm2)")
    if not shutil.which("pkcs11-tool"):
        pytest.skip("pkcs11-tool chưa được cài (make debian-deps cài gói opensc)")
    folder = tmp_path_factory.mktemp("softhsm")
    (folder / "tokens").mkdir()
    conf = folder / "softhsm2.conf"
    conf.write_text(
        f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\n"
        "log.level = ERROR\n",
        encoding="utf-8",
    )
    env = {**os.environ, "SOFTHSM2_CONF": str(conf)}

    def run(*args: str) -> None:
        subprocess.run(args, env=env, check=True, capture_output=True, timeout=60)

    run(
        "softhsm2-util",
        "--init-token",
        "--free",
        "--label",
        TOKEN,
        "--so-pin",
        "87654321",
        "--pin",
        PIN,
    )
    key_pem = folder / "signer-key.pem"
    key_pem.write_bytes(
        test_pki.signer.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    run(
        "softhsm2-util",
        "--import",
        str(key_pem),
        "--token",
        TOKEN,
        "--label",
        "signer",
        "--id",
        "01",
        "--pin",
        PIN,
    )
    key_pem.unlink()
    cert_der = folder / "signer.der"
    cert_der.write_bytes(test_pki.signer.cert.public_bytes(serialization.Encoding.DER))
    run(
        "pkcs11-tool",
        "--module",
        str(SOFTHSM_LIB),
        "--token-label",
        TOKEN,
        "--login",
        "--pin",
        PIN,
        "--write-object",
        str(cert_der),
        "--type",
        "cert",
        "--id",
        "01",
        "--label",
        "signer",
    )
    pin_file = folder / "pin.txt"
    pin_file.write_text(PIN + "\n", encoding="utf-8")
    wrong = folder / "wrong-pin.txt"
    wrong.write_text("000000\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        # The library reads it when loaded, in this process.
        patch.setenv("SOFTHSM2_CONF", str(conf))
        yield Token(SOFTHSM_LIB, TOKEN, pin_file, wrong)
