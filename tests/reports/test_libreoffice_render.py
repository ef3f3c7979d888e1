"""LibreOffice, the client nobody here wrote, lays out each DOCX like the app's own PDF.

Each document (biên bản, thông báo kết luận, báo cáo, công văn đôn đốc, báo cáo kết quả
khắc phục) is written in both
formats from the demo plan; LibreOffice headless converts the DOCX to PDF (a private profile,
a timeout) and pdftotext reads both PDFs back: the page count within 10%, the national motto
on one line, the signature block (its title and the signer's name) on one page. Skipped when
`soffice` or `pdftotext` is not installed (`make test` installs them: Makefile
DEBIAN_PACKAGES).
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from db import Store
from desktop.reports import reminders as drawing
from desktop.reports.context import ReportOptions
from desktop.reports.documents import SHORT_DOTS
from desktop.reports.service import inspection_report, plan_report, remediation_form
from desktop.services import reminders

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which("soffice") is None or shutil.which("pdftotext") is None,
        reason="LibreOffice (soffice) hoặc poppler-utils (pdftotext) chưa được cài",
    ),
]

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
OPTS = ReportOptions(number="5", date=dt.date(2021, 7, 5))
# The signature title each document ends with, and the name under it (the demo's leader).
SIGNATURE = {
    "bien-ban": "TRƯỞNG ĐOÀN",
    "ket-luan": "PHÓ GIÁM ĐỐC",
    "bao-cao": "PHÓ GIÁM ĐỐC",
    "don-doc": "PHÓ GIÁM ĐỐC",
    "khac-phuc": "THỦ TRƯỞNG ĐƠN VỊ",
}
LEADER = "Trần Văn Thắng"
# The unit's remediation form leaves its head's name blank, to write by hand.
SIGNER_NAME = {"khac-phuc": SHORT_DOTS}


def _write_all(store: Store, folder: Path) -> None:
    plan = store.planning.plans()[0]["id"]
    full = store.planning.inspections(plan)[0]["id"]  # the demo's fully recorded visit
    store.core.insert_row(
        "recommendations",
        {"inspection_id": full, "number": 1, "text": "Ban hành kế hoạch", "deadline": "2021-08-01"},
    )
    letter = reminders.reminder_letter(store, full, today=dt.date(2021, 9, 1))
    for fmt in ("pdf", "docx"):
        inspection_report(store, full, "bien-ban", fmt, folder / f"bien-ban.{fmt}", OPTS)
        inspection_report(store, full, "ket-luan", fmt, folder / f"ket-luan.{fmt}", OPTS)
        plan_report(store, plan, fmt, folder / f"bao-cao.{fmt}", OPTS)
        drawing.write_reminder(letter, fmt, folder / f"don-doc.{fmt}")
        remediation_form(store, full, fmt, folder / f"khac-phuc.{fmt}")


def _convert(folder: Path, profile: Path) -> Path:
    """LibreOffice's PDF of every DOCX in `folder`, in `folder`/lo."""
    out = folder / "lo"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *sorted(str(p) for p in folder.glob("*.docx")),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return out


def _pages(pdf: Path) -> list[str]:
    """The text of each page, laid out (pdftotext -layout)."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, timeout=60
    ).stdout.decode("utf-8")
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


def _signature_on_one_page(pages: list[str], title: str, name: str = LEADER) -> bool:
    """The last page naming the signature title also has the signer's name below it."""
    for page in reversed(pages):
        if title in page:
            return name in page[page.rindex(title) :]
    return False


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from desktop.services.demo import build_demo

    folder = tmp_path_factory.mktemp("render")
    store = Store.open(folder / "demo.sqlite")
    try:
        build_demo(store, recommendations=False)
        _write_all(store, folder)
    finally:
        store.close()
    _convert(folder, tmp_path_factory.mktemp("lo-profile"))
    return folder


@pytest.mark.parametrize("name", list(SIGNATURE))
def test_libreoffice_lays_out_the_docx_like_the_pdf(rendered: Path, name: str) -> None:
    ours = _pages(rendered / f"{name}.pdf")
    theirs_pdf = rendered / "lo" / f"{name}.pdf"
    assert theirs_pdf.is_file(), f"LibreOffice did not convert {name}.docx"
    theirs = _pages(theirs_pdf)
    # Page count within 10% of the app's PDF (equal for short documents).
    assert abs(len(theirs) - len(ours)) <= 0.1 * len(ours), (name, len(ours), len(theirs))
    for who, pages in (("pdf", ours), ("docx", theirs)):
        lines = [ln for page in pages for ln in page.splitlines()]
        assert any(MOTTO in ln for ln in lines), (name, who, "the motto broke in two")
        assert _signature_on_one_page(pages, SIGNATURE[name], SIGNER_NAME.get(name, LEADER)), (
            name,
            who,
            "signature split",
        )
