"""Evidence that checks itself, in the documents: a signed PDF attached to a finding makes
the minutes and the notice cite its evidence as "văn bản điện tử có ký số của …"."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import docx
import pytest

from db import Store
from desktop.services.attachments import add_attachment, list_attachments
from desktop.services.paths import data_dir_for
from desktop.signing.evidence import attachment_signatures, signed_on
from desktop.signing.keys import Pkcs12Key
from desktop.signing.sign import SignRequest, sign_pdf
from tests.signing import pki
from tests.signing.conftest import Pki

# The demo's first inspection: item A1.1.1 is not passed and has an evidence document, so
# limitation 1.1 of the notice (and the minutes' "Nhận xét" cell) cite its evidence.
ITEM = "A1.1.1"
NEEDS_PDFTOTEXT = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) chưa được cài"
)
CHANGED = "(văn bản điện tử có chữ ký số nhưng đã bị thay đổi sau khi ký)"


def _attach(store: Store, db_path: Path, source: Path) -> tuple[str, dict]:  # type: ignore[type-arg]
    plan = store.planning.plans()[0]["id"]
    inspection = str(store.planning.inspections(plan)[0]["id"])
    [item] = [i for i in store.findings.inspection_items(inspection) if i["code"] == ITEM]
    add_attachment(store, data_dir_for(db_path), inspection, item["item_id"], source)
    [row] = list_attachments(store, data_dir_for(db_path), inspection, item["item_id"])
    return inspection, row


def _signed(test_pki: Pki, tmp_path: Path) -> Path:
    src = pki.simple_pdf(tmp_path / "src.pdf")
    out = tmp_path / "ke-hoach-ky-so.pdf"
    sign_pdf(SignRequest(src, out, Pkcs12Key(test_pki.signer.p12, pki.PASSPHRASE)))
    return out


def _pdf_text(path: Path) -> str:
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    return " ".join(text.split())


def _docx_text(path: Path) -> str:
    d = docx.Document(str(path))
    parts = [p.text for p in d.paragraphs]
    parts += [c.text for t in d.tables for row in t.rows for c in row.cells]
    return " ".join(" ".join(parts).split())


def _render(kiemtra, inspection: str, kind: str, fmt: str, out: Path) -> str:  # type: ignore[no-untyped-def]
    kiemtra("report", inspection, "--kind", kind, "--format", fmt, "-o", str(out))
    return _pdf_text(out) if fmt == "pdf" else _docx_text(out)


@NEEDS_PDFTOTEXT
def test_signed_evidence_is_cited_in_the_notice_and_the_minutes(  # type: ignore[no-untyped-def]
    kiemtra, demo_store: Store, db_path: Path, test_pki: Pki, tmp_path: Path
) -> None:
    before = _render(kiemtra, _first(demo_store), "ket-luan", "pdf", tmp_path / "truoc.pdf")
    assert "văn bản điện tử có ký số" not in before
    inspection, row = _attach(demo_store, db_path, _signed(test_pki, tmp_path))
    found = attachment_signatures(row, [])
    assert found is not None
    day = signed_on(found["signatures"])
    assert day is not None
    note = f"(văn bản điện tử có ký số của {pki.SIGNER}, ngày {day:%d/%m/%Y})"
    for fmt in ("pdf", "docx"):
        text = _render(kiemtra, inspection, "ket-luan", fmt, tmp_path / f"tb.{fmt}")
        assert note in text, fmt
        # Cited where the finding's evidence is: right after its evidence document.
        assert "tài liệu kiểm chứng: Kế hoạch" in text.split(note)[0][-300:], fmt
    minutes = _render(kiemtra, inspection, "bien-ban", "docx", tmp_path / "bb.docx")
    assert note in minutes and CHANGED not in minutes


@NEEDS_PDFTOTEXT
def test_a_pdf_changed_after_signing_is_cited_as_changed(  # type: ignore[no-untyped-def]
    kiemtra, demo_store: Store, db_path: Path, test_pki: Pki, tmp_path: Path
) -> None:
    data = bytearray(_signed(test_pki, tmp_path).read_bytes())
    data[data.index(b"ReportLab Generated PDF")] = ord("r")
    changed = tmp_path / "ke-hoach-da-sua.pdf"
    changed.write_bytes(bytes(data))
    inspection, _ = _attach(demo_store, db_path, changed)
    for fmt in ("pdf", "docx"):
        text = _render(kiemtra, inspection, "ket-luan", fmt, tmp_path / f"tb.{fmt}")
        assert CHANGED in text and "văn bản điện tử có ký số của" not in text, fmt


def _first(store: Store) -> str:
    plan = store.planning.plans()[0]["id"]
    return str(store.planning.inspections(plan)[0]["id"])


def test_signature_notes_follow_the_evidence_or_name_the_file() -> None:
    from desktop.reports.context import cite_signatures

    signed = [
        {"filename": "ke-hoach.pdf", "note": "văn bản điện tử có ký số của A, ngày 05/01/2021"},
        {"filename": "ban-sao.pdf", "note": "văn bản điện tử có ký số của A, ngày 05/01/2021"},
        {"filename": "bao-cao.pdf", "note": CHANGED.strip("()")},
    ]
    docs = ["Báo cáo số 1/BC-UBND", "Kế hoạch số 125/KH-UBND ngày 05/01/2021"]
    assert cite_signatures(docs, []) == docs
    assert cite_signatures(docs, signed) == [
        "Báo cáo số 1/BC-UBND",
        "Kế hoạch số 125/KH-UBND ngày 05/01/2021 (văn bản điện tử có ký số của A, ngày "
        f"05/01/2021; {CHANGED.strip('()')})",
    ]
    assert cite_signatures([], signed[2:]) == [f"Tệp bao-cao.pdf {CHANGED}"]
