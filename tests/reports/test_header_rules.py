"""The heading's two rules (ND30): under the issuing body half its line, under the motto as long
as the motto, right under the text. The DOCX draws the PDF's lengths (one rule:
layout_pdf.header_rule_widths) and its rule paragraphs do not add a blank line."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_LINE_SPACING
from docx.oxml.ns import qn

from db import Store
from desktop.reports.context import ReportOptions
from desktop.reports.layout_docx import CM_PER_PT, TEXT_WIDTH_CM
from desktop.reports.layout_pdf import header_rule_widths
from desktop.reports.service import inspection_report


def _rules(path: Path) -> list[tuple[float, object]]:
    """(length in cm, paragraph) of every bordered empty paragraph of the heading table."""
    table = docx.Document(str(path)).tables[0]
    found = []
    for cell, column_cm in zip(table.rows[0].cells, (0.4, 0.6), strict=True):
        for p in cell.paragraphs:
            ppr = p._p.pPr
            if ppr is None or ppr.find(qn("w:pBdr")) is None:
                continue
            fmt = p.paragraph_format
            indents = (fmt.left_indent or 0) + (fmt.right_indent or 0)
            found.append((column_cm * TEXT_WIDTH_CM - indents / 360000, p))
    return found


@pytest.mark.parametrize("kind", ["bien-ban", "ket-luan"])
def test_docx_heading_rules_are_the_pdf_lengths_right_under_the_text(
    demo_store: Store, tmp_path: Path, kind: str
) -> None:
    plan = demo_store.planning.plans()[0]["id"]
    insp = demo_store.planning.inspections(plan)[0]["id"]
    out = tmp_path / f"{kind}.docx"
    inspection_report(demo_store, insp, kind, "docx", out, ReportOptions())
    rules = _rules(out)
    assert len(rules) == 2
    issuer_pt, motto_pt = header_rule_widths("SỞ NỘI VỤ", TEXT_WIDTH_CM / CM_PER_PT)
    (issuer_cm, issuer_p), (motto_cm, motto_p) = rules
    assert motto_cm == pytest.approx(motto_pt * CM_PER_PT, abs=0.05)
    assert 1.95 <= issuer_cm <= 0.4 * TEXT_WIDTH_CM / 2 + 0.05  # at least 20 mm, half the column
    for p in (issuer_p, motto_p):
        fmt = p.paragraph_format  # type: ignore[attr-defined]
        assert fmt.line_spacing_rule == WD_LINE_SPACING.EXACTLY
        assert fmt.line_spacing.pt <= 4  # not a blank line of the body's leading
