"""`kiemtra report … --sign …`: the notice rendered and signed in one step."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from db import Store
from desktop.signing.verify import verify_pdf
from tests.signing import pki
from tests.signing.conftest import Pki, Token


def _inspection(store: Store) -> str:
    plan = store.planning.plans()[0]["id"]
    return str(store.planning.inspections(plan)[0]["id"])


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="pdfsig (poppler-utils) chưa được cài")
def test_report_signed_with_the_token_in_one_step(  # type: ignore[no-untyped-def]
    kiemtra, demo_store: Store, test_pki: Pki, softhsm_token: Token, tmp_path: Path
) -> None:
    inspection = _inspection(demo_store)
    out = tmp_path / "thong-bao.pdf"
    done = kiemtra(
        "report",
        inspection,
        "--kind",
        "ket-luan",
        "-o",
        str(out),
        "--signer-title",
        "KT. GIÁM ĐỐC|PHÓ GIÁM ĐỐC",
        "--sign",
        "--pkcs11-lib",
        str(softhsm_token.library),
        "--token-label",
        softhsm_token.label,
        "--pin-file",
        str(softhsm_token.pin_file),
        "--image",
        str(test_pki.signature_png),
    )
    assert "Đã ghi và ký số" in done.stdout
    [sig] = verify_pdf(out, [])
    assert sig["signer"] == pki.SIGNER and sig["intact"] and sig["covers_whole_file"]
    report = subprocess.run(
        ["pdfsig", str(out)],
        capture_output=True,
        text=True,
        env={**os.environ, "TZ": "UTC"},
        timeout=60,
    ).stdout
    assert "Signature is Valid." in report and "Total document signed" in report
    # Only the signed file is left: no unsigned copy, no temporary file.
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".pdf") == ["thong-bao.pdf"]


def test_report_sign_refusals(kiemtra, demo_store: Store, test_pki: Pki, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    inspection = _inspection(demo_store)
    out = tmp_path / "tb.pdf"
    wrong = kiemtra(
        "report",
        inspection,
        "--kind",
        "ket-luan",
        "-o",
        str(out),
        "--sign",
        "--pkcs12",
        str(test_pki.signer.p12),
        "--passphrase-file",
        str(test_pki.wrong_passphrase_file),
        ok=False,
    )
    assert wrong.exit_code == 1 and "Mật khẩu của tệp khóa" in wrong.stderr
    assert not out.exists()
    docx = kiemtra(
        "report",
        inspection,
        "--kind",
        "ket-luan",
        "--format",
        "docx",
        "-o",
        str(tmp_path / "tb.docx"),
        "--sign",
        "--pkcs12",
        str(test_pki.signer.p12),
        "--passphrase-file",
        str(test_pki.passphrase_file),
        ok=False,
    )
    assert docx.exit_code == 1 and "Chỉ ký số được tệp PDF" in docx.stderr
    stray = kiemtra(
        "report",
        inspection,
        "--kind",
        "ket-luan",
        "-o",
        str(out),
        "--pkcs12",
        str(test_pki.signer.p12),
        ok=False,
    )
    assert stray.exit_code == 1 and "--pkcs12 chỉ dùng cùng --sign" in stray.stderr
    assert not out.exists()


def test_plan_report_signed_with_a_pkcs12_file(  # type: ignore[no-untyped-def]
    kiemtra, demo_store: Store, test_pki: Pki, tmp_path: Path
) -> None:
    plan = demo_store.planning.plans()[0]["id"]
    out = tmp_path / "bao-cao.pdf"
    done = kiemtra(
        "report-plan",
        plan,
        "-o",
        str(out),
        "--sign",
        "--pkcs12",
        str(test_pki.body.p12),
        "--passphrase-file",
        str(test_pki.passphrase_file),
        "--as-organisation",
        "--image",
        str(test_pki.seal_png),
    )
    assert "Đã ghi và ký số" in done.stdout
    [sig] = verify_pdf(out, [])
    assert sig["signer"] == pki.BODY and sig["intact"] and sig["covers_whole_file"]
    plain = tmp_path / "bao-cao-chua-ky.pdf"
    assert "Đã ghi " in kiemtra("report-plan", plan, "-o", str(plain)).stdout
    assert verify_pdf(plain, []) == []
