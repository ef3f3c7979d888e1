"""Bad input to `kiemtra sign`: one Vietnamese line on stderr, exit 1, no file written."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.signing import pki
from tests.signing.conftest import Pki, Token


def refused(kiemtra, out: Path, *args: str) -> str:  # type: ignore[no-untyped-def]
    done = kiemtra("sign", *args, "-o", str(out), ok=False)
    assert done.exit_code == 1, done.output
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Lỗi: "), done.stderr
    assert not out.exists()
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".")] == []
    return lines[0]


def p12(test_pki: Pki, who: str, passphrase: Path | None = None) -> tuple[str, ...]:
    issued = getattr(test_pki, who)
    return (
        "--pkcs12",
        str(issued.p12),
        "--passphrase-file",
        str(passphrase or test_pki.passphrase_file),
    )


def test_wrong_passphrase(kiemtra, test_pki: Pki, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    src = pki.simple_pdf(tmp_path / "a.pdf")
    line = refused(
        kiemtra,
        tmp_path / "out.pdf",
        str(src),
        *p12(test_pki, "signer", test_pki.wrong_passphrase_file),
    )
    assert "Mật khẩu của tệp khóa signer.p12 không đúng" in line


def test_wrong_pin(kiemtra, softhsm_token: Token, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    src = pki.simple_pdf(tmp_path / "a.pdf")
    line = refused(
        kiemtra,
        tmp_path / "out.pdf",
        str(src),
        "--pkcs11-lib",
        str(softhsm_token.library),
        "--token-label",
        softhsm_token.label,
        "--pin-file",
        str(softhsm_token.wrong_pin_file),
    )
    assert f"Mã PIN của thiết bị ký số “{softhsm_token.label}” không đúng" in line


def test_unknown_token(kiemtra, softhsm_token: Token, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    src = pki.simple_pdf(tmp_path / "a.pdf")
    line = refused(
        kiemtra,
        tmp_path / "out.pdf",
        str(src),
        "--pkcs11-lib",
        str(softhsm_token.library),
        "--token-label",
        "khong-co",
        "--pin-file",
        str(softhsm_token.pin_file),
    )
    assert "Không tìm thấy thiết bị ký số có nhãn “khong-co”" in line


def test_expired_certificate(kiemtra, test_pki: Pki, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    src = pki.simple_pdf(tmp_path / "a.pdf")
    line = refused(kiemtra, tmp_path / "out.pdf", str(src), *p12(test_pki, "expired"))
    assert "Chứng thư số của Nguyễn Văn Hết Hạn đã hết hạn ngày" in line


def test_certificate_without_digital_signature(kiemtra, test_pki: Pki, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    src = pki.simple_pdf(tmp_path / "a.pdf")
    line = refused(kiemtra, tmp_path / "out.pdf", str(src), *p12(test_pki, "no_signing"))
    assert "không được dùng để ký số" in line


def test_not_a_pdf(kiemtra, test_pki: Pki, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "bao-cao.pdf"
    src.write_bytes(b"PK\x03\x04 a docx renamed to .pdf")
    line = refused(kiemtra, tmp_path / "out.pdf", str(src), *p12(test_pki, "signer"))
    assert "Tệp bao-cao.pdf không phải là tệp PDF" in line


def test_encrypted_pdf(kiemtra, test_pki: Pki, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from pypdf import PdfReader, PdfWriter

    plain = pki.simple_pdf(tmp_path / "plain.pdf")
    writer = PdfWriter()
    for page in PdfReader(plain).pages:
        writer.add_page(page)
    writer.encrypt("bi-mat", algorithm="AES-128")
    src = tmp_path / "mat.pdf"
    with src.open("wb") as handle:
        writer.write(handle)
    line = refused(kiemtra, tmp_path / "out.pdf", str(src), *p12(test_pki, "signer"))
    assert "Tệp mat.pdf được mã hóa" in line


@pytest.mark.parametrize("box", ["1,2,3", "10,10,12,12"])
def test_bad_box(kiemtra, test_pki: Pki, tmp_path: Path, box: str) -> None:  # type: ignore[no-untyped-def]
    src = pki.simple_pdf(tmp_path / "a.pdf")
    refused(kiemtra, tmp_path / "out.pdf", str(src), *p12(test_pki, "signer"), "--box", box)


def test_no_key_given(kiemtra, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    src = pki.simple_pdf(tmp_path / "a.pdf")
    line = refused(kiemtra, tmp_path / "out.pdf", str(src))
    assert "Cần khóa ký" in line


def test_unreachable_timestamp_server(kiemtra, test_pki: Pki, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # Offline by default; a TSA URL is fetched only when given, and failing to reach it
    # writes nothing.
    src = pki.simple_pdf(tmp_path / "a.pdf")
    line = refused(
        kiemtra,
        tmp_path / "out.pdf",
        str(src),
        *p12(test_pki, "signer"),
        "--tsa-url",
        "http://127.0.0.1:9/",
    )
    assert "Không lấy được dấu thời gian từ http://127.0.0.1:9/" in line


def test_verify_unsigned_and_not_a_pdf(kiemtra, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    plain = pki.simple_pdf(tmp_path / "chua-ky.pdf")
    assert kiemtra.json("verify", str(plain)) == {"file": str(plain), "signatures": []}
    assert "Tệp không có chữ ký số." in kiemtra("verify", str(plain)).stdout
    junk = tmp_path / "ke-hoach.pdf"
    junk.write_text("không phải PDF", encoding="utf-8")
    done = kiemtra("verify", str(junk), "--json", ok=False)
    assert done.exit_code == 1
    assert done.stderr.strip() == "Lỗi: Tệp ke-hoach.pdf không phải là tệp PDF"


def test_signed_file_must_differ_from_the_source(kiemtra, test_pki: Pki, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    src = pki.simple_pdf(tmp_path / "a.pdf")
    before = src.read_bytes()
    done = kiemtra("sign", str(src), "-o", str(src), *p12(test_pki, "signer"), ok=False)
    assert done.exit_code == 1 and "phải khác tệp gốc" in done.stderr
    assert src.read_bytes() == before


def test_pin_asked_when_the_token_cannot_ask(kiemtra, softhsm_token: Token, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # SoftHSM has no PIN pad: without --pin-file the command asks (hidden) and signs.
    from desktop.cli import cli

    src = pki.simple_pdf(tmp_path / "a.pdf")
    args = [
        "--db",
        str(kiemtra.db_path),
        "sign",
        str(src),
        "--pkcs11-lib",
        str(softhsm_token.library),
        "--token-label",
        softhsm_token.label,
    ]
    out = tmp_path / "ky.pdf"
    done = kiemtra.runner.invoke(cli, [*args, "-o", str(out)], input="123456\n")
    assert done.exit_code == 0, done.output
    assert "cần mã PIN" in done.stderr and "123456" not in done.output
    assert out.is_file()
    wrong = tmp_path / "sai.pdf"
    done = kiemtra.runner.invoke(cli, [*args, "-o", str(wrong)], input="999999\n")
    assert done.exit_code == 1 and "không đúng" in done.stderr and not wrong.exists()
