"""Signing and verifying with real parts: a test CA, PKCS#12 files, a SoftHSM2 token; every
signed PDF checked by pyHanko's validator and by poppler's pdfsig (a client nobody here
wrote)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.signing.trust import roots
from desktop.signing.verify import changed_after_signing, verify_pdf
from tests.signing import pki
from tests.signing.conftest import Pki, Token

needs_pdfsig = pytest.mark.skipif(
    shutil.which("pdfsig") is None, reason="pdfsig (poppler-utils) chưa được cài"
)


def pdfsig(path: Path) -> list[str]:
    """pdfsig's report, one block of lines per signature (times in UTC)."""
    done = subprocess.run(
        ["pdfsig", str(path)],
        capture_output=True,
        text=True,
        env={**os.environ, "TZ": "UTC"},
        timeout=60,
    )
    blocks = done.stdout.split("Signature #")[1:]
    return blocks


def utc_text(iso: str) -> str:
    """A signed_at (ISO 8601, +07:00) as pdfsig prints it in UTC."""
    when = dt.datetime.fromisoformat(iso).astimezone(dt.UTC)
    return when.strftime("%b %d %Y %H:%M:%S")


def sign_p12(kiemtra, test_pki: Pki, src: Path, out: Path, *extra: str, who: str = "signer"):  # type: ignore[no-untyped-def]
    issued = getattr(test_pki, who)
    return kiemtra(
        "sign",
        str(src),
        "-o",
        str(out),
        "--pkcs12",
        str(issued.p12),
        "--passphrase-file",
        str(test_pki.passphrase_file),
        *extra,
    )


def check_pdfsig_valid(block: str, name: str, signed_at: str, whole: bool) -> None:
    assert "Signature Validation: Signature is Valid." in block, block
    assert f"Signer Certificate Common Name: {name}" in block, block
    assert f"Signing Time: {utc_text(signed_at)}" in block, block
    assert ("Total document signed" in block) is whole, block
    assert ("Not total document signed" in block) is not whole, block


@needs_pdfsig
def test_pkcs12_signature_valid_for_pyhanko_and_pdfsig(
    kiemtra, test_pki: Pki, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    src = pki.simple_pdf(tmp_path / "thong-bao.pdf")
    out = tmp_path / "thong-bao-ky.pdf"
    done = sign_p12(
        kiemtra,
        test_pki,
        src,
        out,
        "--image",
        str(test_pki.signature_png),
        "--title",
        "KT. GIÁM ĐỐC|PHÓ GIÁM ĐỐC",
    )
    assert "Đã ký" in done.stdout

    # Not trusted until the user adds the CA; trusted after.
    before = kiemtra.json("verify", str(out))["signatures"]
    assert [s["trusted"] for s in before] == [False]
    # An untrusted signer is an answer, not a problem: nothing on stderr (pyHanko logs a
    # traceback for it; run as a real process, where no test harness catches the logs).
    import sys

    real = subprocess.run(
        [sys.executable, "-m", "desktop", "--db", str(kiemtra.db_path), "verify", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert real.returncode == 0 and real.stderr == "", real.stderr
    assert "chưa tin cậy" in real.stdout
    kiemtra("ca", "add", str(test_pki.ca_cert))
    [sig] = kiemtra.json("verify", str(out))["signatures"]
    assert set(sig) == {
        "signer",
        "organisation",
        "signed_at",
        "intact",
        "covers_whole_file",
        "modified_after",
        "trusted",
        "reason",
    }
    assert sig["signer"] == pki.SIGNER and sig["organisation"] == pki.BODY
    assert sig["intact"] and sig["covers_whole_file"] and sig["trusted"]
    assert sig["modified_after"] is None
    assert sig["signed_at"].endswith("+07:00")
    assert sig["reason"] == f"Văn bản điện tử có ký số của {pki.SIGNER}"

    [block] = pdfsig(out)
    check_pdfsig_valid(block, pki.SIGNER, sig["signed_at"], whole=True)
    assert "ETSI.CAdES.detached" in block  # PAdES


@needs_pdfsig
def test_pkcs11_token_signature(
    kiemtra, test_pki: Pki, softhsm_token: Token, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    src = pki.simple_pdf(tmp_path / "bien-ban.pdf", pages=2)
    out = tmp_path / "bien-ban-ky.pdf"
    kiemtra(
        "sign",
        str(src),
        "-o",
        str(out),
        "--pkcs11-lib",
        str(softhsm_token.library),
        "--token-label",
        softhsm_token.label,
        "--pin-file",
        str(softhsm_token.pin_file),
        "--image",
        str(test_pki.signature_png),
        "--page",
        "1",
    )
    [sig] = verify_pdf(out, [])
    assert sig["signer"] == pki.SIGNER and sig["intact"] and sig["covers_whole_file"]
    [block] = pdfsig(out)
    check_pdfsig_valid(block, pki.SIGNER, sig["signed_at"], whole=True)


@needs_pdfsig
def test_organisation_signs_over_the_signer(kiemtra, test_pki: Pki, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    src = pki.simple_pdf(tmp_path / "tb.pdf")
    first = tmp_path / "tb-1.pdf"
    both = tmp_path / "tb-2.pdf"
    sign_p12(kiemtra, test_pki, src, first, "--image", str(test_pki.signature_png))
    sign_p12(
        kiemtra,
        test_pki,
        first,
        both,
        "--as-organisation",
        "--image",
        str(test_pki.seal_png),
        who="body",
    )
    kiemtra("ca", "add", str(test_pki.ca_pem))
    person, body = verify_pdf(both, roots(kiemtra.db_path))
    assert person["signer"] == pki.SIGNER and body["signer"] == pki.BODY
    # The body's signature came after: allowed, and the signer's bytes are unchanged.
    assert person["intact"] and not person["covers_whole_file"]
    assert person["modified_after"] == {"kind": "signatures_or_forms", "allowed": True}
    assert body["intact"] and body["covers_whole_file"] and body["trusted"]
    assert not changed_after_signing([person, body])

    shown = kiemtra("verify", str(both)).stdout
    assert "Sau khi ký có thêm chữ ký số hoặc điền biểu mẫu: được phép" in shown

    one, two = pdfsig(both)
    check_pdfsig_valid(one, pki.SIGNER, person["signed_at"], whole=False)
    check_pdfsig_valid(two, pki.BODY, body["signed_at"], whole=True)


def _flip_a_signed_byte(signed: Path, copy: Path) -> None:
    """One byte changed inside the signed range: a letter of reportlab's header comment (the
    file still parses, only its signed bytes differ)."""
    data = bytearray(signed.read_bytes())
    at = data.index(b"ReportLab Generated PDF")
    data[at] = ord("r")
    copy.write_bytes(bytes(data))


@needs_pdfsig
def test_a_byte_changed_after_signing_is_reported_by_all(
    kiemtra, test_pki: Pki, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    src = pki.simple_pdf(tmp_path / "kh.pdf")
    out = tmp_path / "kh-ky.pdf"
    sign_p12(kiemtra, test_pki, src, out)
    changed = tmp_path / "kh-sua.pdf"
    _flip_a_signed_byte(out, changed)

    [sig] = kiemtra.json("verify", str(changed))["signatures"]
    assert sig["intact"] is False
    assert changed_after_signing([sig])
    shown = kiemtra("verify", str(changed)).stdout
    assert "ĐÃ BỊ THAY ĐỔI" in shown

    [block] = pdfsig(changed)
    assert "Signature is Valid." not in block
    assert "Digest Mismatch" in block, block
    # The original still verifies.
    [good] = pdfsig(out)
    assert "Signature is Valid." in good


def test_ca_add_and_list(kiemtra, test_pki: Pki, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert kiemtra.json("ca", "list") == []
    kiemtra("ca", "add", str(test_pki.ca_cert))  # DER
    crt = tmp_path / "ca.crt"
    crt.write_bytes(test_pki.ca_pem.read_bytes())  # PEM, same root: stored once
    kiemtra("ca", "add", str(crt))
    [root] = kiemtra.json("ca", "list")
    assert root["name"] == "CA thử nghiệm Kiểm tra CCHC" and root["is_ca"] is True
    assert Path(root["path"]).is_file()
    if sys.platform != "win32":  # chmod only sets read-only there: the profile's ACL protects
        assert Path(root["path"]).stat().st_mode & 0o077 == 0

    # A signer's certificate is not a root; a file that is no certificate is refused.
    leaf = tmp_path / "leaf.pem"
    from cryptography.hazmat.primitives import serialization

    leaf.write_bytes(test_pki.signer.cert.public_bytes(serialization.Encoding.PEM))
    bad = kiemtra("ca", "add", str(leaf), ok=False)
    assert bad.exit_code == 1 and "không phải của tổ chức" in bad.stderr
    junk = tmp_path / "junk.cer"
    junk.write_bytes(b"not a certificate")
    bad = kiemtra("ca", "add", str(junk), ok=False)
    assert bad.exit_code == 1 and "không phải là chứng thư số" in bad.stderr
    assert len(kiemtra.json("ca", "list")) == 1
