"""The campaign report's charts in both formats, from one renderer: each chart is drawn once
as a PNG (desktop.reports.charts, Pillow, which installs from wheels everywhere) and the same
picture goes into the PDF and the DOCX; no fallback table of bare codes; labels written the
Vietnamese way ("47,6", not "47.6")."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from pathlib import Path

import docx
import pypdf
from PIL import Image

from db import Store
from desktop.reports import charts
from desktop.reports.context import ReportOptions
from desktop.reports.documents import Chart
from desktop.reports.service import plan_report

OPTS = ReportOptions(number="5", date=dt.date(2021, 7, 5))


def _docx_pictures(path: Path) -> list[bytes]:
    document = docx.Document(str(path))
    return [
        part.blob
        for part in document.part.related_parts.values()
        if part.content_type == "image/png"
    ]


def _pdf_pictures(path: Path) -> list[Image.Image]:
    return [
        Image.open(io.BytesIO(image.data))
        for page in pypdf.PdfReader(str(path)).pages
        for image in page.images
    ]


def test_charts_in_both_formats_from_one_picture(demo_store: Store, tmp_path: Path) -> None:
    plan = demo_store.planning.plans()[0]["id"]
    plan_report(demo_store, plan, "docx", tmp_path / "bc.docx", OPTS)
    plan_report(demo_store, plan, "pdf", tmp_path / "bc.pdf", OPTS)
    in_docx = _docx_pictures(tmp_path / "bc.docx")
    in_pdf = _pdf_pictures(tmp_path / "bc.pdf")
    assert len(in_docx) == 2 and len(in_pdf) == 2  # by area, by unit
    # the same pictures, pixel for pixel
    docx_pixels = sorted(
        hashlib.sha256(Image.open(io.BytesIO(b)).convert("RGB").tobytes()).hexdigest()
        for b in in_docx
    )
    pdf_pixels = sorted(hashlib.sha256(i.convert("RGB").tobytes()).hexdigest() for i in in_pdf)
    assert docx_pixels == pdf_pixels
    # no fallback table of bare codes in the DOCX
    tables = docx.Document(str(tmp_path / "bc.docx")).tables
    assert not any(t.rows[0].cells[0].text == "Tên" for t in tables)


def test_chart_labels_use_the_decimal_comma() -> None:
    chart = Chart("Tỷ lệ", ["A1", "A2", "A3"], [47.6, 59.03, 100.0])
    assert charts.bar_labels(chart) == ["47,6", "59,03", "100"]
    png = charts.render_png(chart, 400)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.width > 400  # drawn at print resolution
