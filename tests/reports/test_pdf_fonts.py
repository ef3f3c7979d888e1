"""Every PDF the app makes embeds every font it names (issue 14: an unembedded Helvetica was
referenced in the reminder): a viewer without Helvetica substitutes another face and a PDF/A
check refuses the file. Read with pypdf's font dictionaries, and with `pdffonts` when present."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from db import Store
from desktop.reports import reminders as drawing
from desktop.reports.context import ReportOptions
from desktop.reports.service import inspection_report, plan_report, remediation_form
from desktop.services import conclusions, reminders
from tests.reports.conftest import Sample


def _fonts(resources: Any, seen: set[int], out: dict[str, bool]) -> None:
    """Collect {font name: embedded} from a resource dictionary and its form XObjects."""
    if resources is None:
        return
    resources = resources.get_object()
    for font in (resources.get("/Font") or {}).values():
        font = font.get_object()
        described = font
        if font.get("/Subtype") == "/Type0":
            described = font["/DescendantFonts"][0].get_object()
        descriptor = described.get("/FontDescriptor")
        embedded = descriptor is not None and any(
            key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")
        )
        out[str(font.get("/BaseFont"))] = embedded or font.get("/Subtype") == "/Type3"
    for xobject in (resources.get("/XObject") or {}).values():
        ref = getattr(xobject, "idnum", None)
        if ref in seen:
            continue
        seen.add(ref or 0)
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form":
            _fonts(xobject.get("/Resources"), seen, out)


def unembedded(path: Path) -> list[str]:
    """Names of the fonts a PDF references without embedding them."""
    found: dict[str, bool] = {}
    seen: set[int] = set()
    for page in PdfReader(str(path)).pages:
        _fonts(page.get("/Resources"), seen, found)
    assert found, f"no font read from {path.name}"
    return sorted(name for name, embedded in found.items() if not embedded)


def _pdfs(store: Store, sample: Sample, folder: Path) -> list[Path]:
    """One PDF of every kind: minutes, notice, campaign report, reminder, remediation form."""
    options = ReportOptions("5", dt.date(2021, 3, 1))
    out = [
        inspection_report(store, sample.unit, "bien-ban", "pdf", folder / "bb.pdf", options),
        inspection_report(store, sample.unit, "ket-luan", "pdf", folder / "tb.pdf", options),
        plan_report(store, sample.plan, "pdf", folder / "bc.pdf", options),
    ]
    conclusions.add_recommendation(store, sample.unit, "Ban hành quy chế", deadline="1/2/2021")
    letter = reminders.reminder_letter(store, sample.unit, today=dt.date(2021, 3, 1))
    out.append(drawing.write_reminder(letter, "pdf", folder / "cv.pdf"))
    out.append(remediation_form(store, sample.unit, "pdf", folder / "kp.pdf"))
    return out


def test_every_pdf_embeds_its_fonts(store: Store, sample: Sample, tmp_path: Path) -> None:
    for path in _pdfs(store, sample, tmp_path):
        assert unembedded(path) == [], path.name


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="pdffonts (poppler-utils) absent")
def test_pdffonts_says_every_font_embedded(store: Store, sample: Sample, tmp_path: Path) -> None:
    for path in _pdfs(store, sample, tmp_path):
        listing = subprocess.run(
            ["pdffonts", str(path)], capture_output=True, text=True, check=True
        ).stdout.splitlines()[2:]  # after the heading and its rule
        assert listing, path.name
        # columns: name type encoding emb sub uni object ID; "emb" is 5th from the end
        assert all(line.split()[-5] == "yes" for line in listing), (path.name, listing)
