"""The visible signature of Phụ lục I, drawn in the embedded Liberation Serif."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from pypdf import PdfReader

from desktop.signing.appearance import ORGANISATION_SIZE, PERSON_SIZE, Appearance, iso_time, render
from tests.signing.conftest import Pki


def _fonts(reader: PdfReader) -> dict[str, bool]:
    """Base font name → whether its TrueType program is embedded."""
    fonts = reader.pages[0]["/Resources"]["/Font"]
    found = {}
    for ref in fonts.values():
        font = ref.get_object()
        descriptor = font.get("/FontDescriptor")
        if descriptor is None and "/DescendantFonts" in font:
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        found[str(font["/BaseFont"])] = "/FontFile2" in descriptor.get_object()
    return found


def test_iso_time_is_vietnam_time() -> None:
    when = dt.datetime(2026, 12, 4, 22, 42, 6, 123456, tzinfo=dt.UTC)
    assert iso_time(when) == "2026-12-05T05:42:06+07:00"


def test_signer_appearance(test_pki: Pki) -> None:
    look = Appearance(
        False, "Phan Thị Mỹ Duyên", ("KT. Giám đốc", "Phó Giám đốc"), test_pki.signature_png
    )
    pdf = PdfReader(io.BytesIO(render(look, PERSON_SIZE, dt.datetime.now(dt.UTC))))
    text = pdf.pages[0].extract_text()
    # Title (upper case) above, the name below.
    assert text.index("KT. GIÁM ĐỐC") < text.index("PHÓ GIÁM ĐỐC") < text.index("Phan Thị Mỹ Duyên")
    assert [round(float(v)) for v in pdf.pages[0].mediabox[2:]] == [round(v) for v in PERSON_SIZE]
    fonts = _fonts(pdf)
    assert fonts and all(fonts.values()) and all("LiberationSerif" in f for f in fonts)
    assert "/XObject" in pdf.pages[0]["/Resources"]  # the signature image


def test_organisation_appearance(test_pki: Pki, tmp_path: Path) -> None:
    when = dt.datetime(2026, 3, 2, 1, 2, 3, tzinfo=dt.UTC)
    look = Appearance(True, "Sở Nội vụ tỉnh Sóc Trăng", (), test_pki.seal_png)
    pdf = PdfReader(io.BytesIO(render(look, ORGANISATION_SIZE, when)))
    text = pdf.pages[0].extract_text()
    assert "Sở Nội vụ tỉnh Sóc Trăng" in text and "2026-03-02T08:02:03+07:00" in text
    assert all(_fonts(pdf).values())
