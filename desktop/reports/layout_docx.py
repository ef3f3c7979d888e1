"""Draw a Document as DOCX with python-docx: real paragraphs, tables and styles to edit.

python-docx is imported inside the functions: the command line starts without it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from desktop.reports.documents import Chart, Document, PageBreak, Para, Signer, Table
from desktop.reports.layout_pdf import (
    BODY_LEADING,
    CELL_LEADING,
    CELL_PADDING,
    CELL_SIZE,
    HEADER_FILL,
    HIGHLIGHT,
    MOTTO,
    MOTTO_SIZE,
    PAGE_MARGINS,
    header_rule_widths,
)

FONT = "Times New Roman"
CM_PER_PT = 2.54 / 72
TEXT_WIDTH_CM = 21.0 - (PAGE_MARGINS["left"] + PAGE_MARGINS["right"]) / 10


def set_fonts(element: Any, name: str = FONT) -> None:
    """Latin, east-asian and complex-script font of a style or run (Word picks per script)."""
    from docx.oxml.ns import qn

    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


ROMAN_HEADING = re.compile(r"^[IVXLC]+\.\s")


def heading_level(text: str) -> int:
    """1 for a section ("I. …", "II. …"), 2 for a sub-section ("1. …", "a) …")."""
    return 1 if ROMAN_HEADING.match(text) else 2


def _official_style(style: Any, size: float) -> None:
    """Restyle a built-in style (Title, Heading 1/2) to the official look: Times New Roman,
    bold, black, no theme colour or border, so Word's navigation pane lists the sections
    while the page looks as Nghị định 30/2020 asks."""
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is not None:  # theme fonts win over named ones: drop them
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attr), None)
    set_fonts(style.element)
    for tag in ("w:color", "w:spacing", "w:kern"):
        for el in rpr.findall(qn(tag)):
            rpr.remove(el)
    style.font.size = Pt(size)
    style.font.bold = True
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    ppr = style.element.get_or_add_pPr()
    for el in ppr.findall(qn("w:pBdr")):
        ppr.remove(el)
    fmt = style.paragraph_format
    fmt.keep_with_next = True
    fmt.space_after = Pt(6)


def _styles(out: Any) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    title = out.styles["Title"]
    _official_style(title, 14)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_before = Pt(14)
    title.paragraph_format.space_after = Pt(0)
    for name in ("Heading 1", "Heading 2"):
        style = out.styles[name]
        _official_style(style, 13)
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        style.paragraph_format.first_line_indent = Cm(1.27)
        style.paragraph_format.space_before = Pt(6)
    _cell_style(out)


CELL_STYLE = "Table Text"


def _cell_style(out: Any) -> None:
    """The paragraph style of table cells: the PDF's cell font size and leading."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Pt

    style = out.styles.add_style(CELL_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = out.styles["Normal"]
    style.font.size = Pt(CELL_SIZE)
    fmt = style.paragraph_format
    fmt.first_line_indent = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(CELL_LEADING)
    fmt.line_spacing_rule = WD_LINE_SPACING.AT_LEAST


def _shade(cell: Any, fill: str) -> None:
    from docx.oxml.ns import qn

    tcpr = cell._tc.get_or_add_tcPr()
    shd = tcpr.makeelement(
        qn("w:shd"), {qn("w:val"): "clear", qn("w:color"): "auto", qn("w:fill"): fill.lstrip("#")}
    )
    tcpr.append(shd)


def _bottom_border(paragraph: Any) -> None:
    from docx.oxml.ns import qn

    ppr = paragraph._p.get_or_add_pPr()
    border = ppr.makeelement(qn("w:pBdr"), {})
    bottom = border.makeelement(
        qn("w:bottom"),
        {qn("w:val"): "single", qn("w:sz"): "6", qn("w:space"): "1", qn("w:color"): "auto"},
    )
    border.append(bottom)
    ppr.append(border)


def rule(container: Any, width_cm: float, total_cm: float, space_before_pt: float = 0) -> None:
    """A short centred rule: an empty paragraph with a bottom border, indented both sides.

    The paragraph is exactly 3 pt tall, so the rule sits right under the text above it as in
    the PDF (a paragraph of the body's leading put it a blank line lower)."""
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Cm, Pt

    p = container.add_paragraph()
    side = max((total_cm - width_cm) / 2, 0)
    fmt = p.paragraph_format
    fmt.left_indent = Cm(side)
    fmt.right_indent = Cm(side)
    fmt.space_before = Pt(space_before_pt)
    fmt.space_after = Pt(6)
    fmt.first_line_indent = Cm(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(3)
    run = p.add_run()
    run.font.size = Pt(2)
    _bottom_border(p)


def _para(
    container: Any,
    text: str = "",
    *,
    bold: bool = False,
    italic: bool = False,
    size: float | None = None,
    align: str = "center",
    space_after: float = 0,
) -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    p = container.add_paragraph()
    p.alignment = {
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }[align]
    p.paragraph_format.space_after = Pt(space_after)
    p.paragraph_format.first_line_indent = Cm(0)
    if text:
        run = p.add_run(text)
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
    return p


class _Cell:
    """Adapter: the first add_paragraph() reuses the cell's empty paragraph."""

    def __init__(self, cell: Any) -> None:
        self.cell = cell
        self.used = False

    def add_paragraph(self) -> Any:
        if not self.used:
            self.used = True
            return self.cell.paragraphs[0]
        return self.cell.add_paragraph()


def borderless(table: Any) -> None:
    from docx.oxml.ns import qn

    tblpr = table._tbl.tblPr
    borders = tblpr.makeelement(qn("w:tblBorders"), {})
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(borders.makeelement(qn(f"w:{edge}"), {qn("w:val"): "nil"}))
    tblpr.append(borders)


def cells_of(table: Any) -> list[list[Any]]:
    """The table's cells, row by row, from one walk over its XML: python-docx's Table.cell()
    and row.cells rebuild the whole table's cell list at every call (quadratic: 180 units
    took 21 minutes). Our tables have no merged cells, so one tc is one cell."""
    from docx.table import _Cell

    return [[_Cell(tc, table) for tc in tr.tc_lst] for tr in table._tbl.tr_lst]


def column_widths(table: Any, widths_cm: list[float]) -> None:
    """Fixed column widths, in the cells (w:tcW, Word) and in the grid (w:gridCol, which
    LibreOffice follows: left equal, the motto breaks and code columns grow).

    Written on the XML directly: python-docx's tc.width walks its property machinery per cell
    (seconds for a 3,000-row annex)."""
    from docx.oxml.ns import qn
    from docx.shared import Cm

    table.autofit = False
    widths = [Cm(w) for w in widths_cm]
    for col, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
        col.w = width
    twips = [str(round(w.twips)) for w in widths]
    w_attr, type_attr, tcpr_tag, tcw_tag = qn("w:w"), qn("w:type"), qn("w:tcPr"), qn("w:tcW")
    for tr in table._tbl.tr_lst:
        for tc, twentieths in zip(tr.tc_lst, twips, strict=True):
            tcpr = tc.find(tcpr_tag)
            if tcpr is None:
                tcpr = tc.makeelement(tcpr_tag, {})
                tc.insert(0, tcpr)
            tcw = tcpr.find(tcw_tag)
            if tcw is None:
                tcw = tcpr.makeelement(tcw_tag, {})
                tcpr.insert(0, tcw)
            tcw.set(w_attr, twentieths)
            tcw.set(type_attr, "dxa")


def pdf_cell_margins(table: Any) -> None:
    """The PDF's cell padding (CELL_PADDING on every side) instead of Word's 0/5.4 pt, and the
    table indented by it, so its left border stands on the margin as in the PDF, not inside
    the margin."""
    from docx.oxml.ns import qn

    pad = str(round(CELL_PADDING * 20))  # twentieths of a point
    # LibreOffice adds the row's 0.5 pt rules to its height, the PDF draws them over the
    # padding: half a point less above and below keeps the rows as tall as the PDF's.
    inner = str(round((CELL_PADDING - 0.5) * 20))
    tblpr = table._tbl.tblPr
    margins = tblpr.makeelement(qn("w:tblCellMar"), {})
    for edge, width in (("top", inner), ("left", pad), ("bottom", inner), ("right", pad)):
        margins.append(
            margins.makeelement(qn(f"w:{edge}"), {qn("w:w"): width, qn("w:type"): "dxa"})
        )
    indent = tblpr.makeelement(qn("w:tblInd"), {qn("w:w"): pad, qn("w:type"): "dxa"})
    # CT_TblPr's sequence: ... tblW, jc, tblCellSpacing, tblInd, tblBorders, shd, tblLayout,
    # tblCellMar, tblLook. python-docx has written tblStyle, tblW, tblLayout and tblLook.
    layout = tblpr.find(qn("w:tblLayout"))
    look = tblpr.find(qn("w:tblLook"))
    width = tblpr.find(qn("w:tblW"))
    if width is not None:
        width.addnext(indent)
    else:
        tblpr.insert(0, indent)
    if look is not None:
        look.addprevious(margins)
    elif layout is not None:
        layout.addnext(margins)
    else:
        tblpr.append(margins)


def rows_never_split(table: Any) -> None:
    """Every row on one page (w:cantSplit) and each paragraph in it kept with the next: a
    signature's title never ends one page while the name starts the next."""
    from docx.oxml.ns import qn

    for tr, row in zip(table._tbl.tr_lst, cells_of(table), strict=True):
        trpr = tr.get_or_add_trPr()
        if trpr.find(qn("w:cantSplit")) is None:
            # cantSplit comes before trHeight/tblHeader in CT_TrPr's sequence.
            trpr.insert(0, trpr.makeelement(qn("w:cantSplit"), {}))
        for cell in row:
            for p in cell.paragraphs[:-1]:
                p.paragraph_format.keep_with_next = True


def keep_with_what_follows(container: Any) -> None:
    """The last paragraphs so far (from the last one with text) keep with what comes next:
    the body's closing sentence stays on the page of the signatures below it."""
    for p in reversed(container.paragraphs):
        p.paragraph_format.keep_with_next = True
        if p.text.strip():
            return


def _header(docx: Any, doc: Document) -> None:
    left_w, right_w = 0.4 * TEXT_WIDTH_CM, 0.6 * TEXT_WIDTH_CM
    table = docx.add_table(rows=2, cols=2)
    borderless(table)
    column_widths(table, [left_w, right_w])
    left, right = _Cell(table.cell(0, 0)), _Cell(table.cell(0, 1))
    _para(left, doc.parent_body, size=12.5)
    _para(left, doc.issuing_body, bold=True, size=12.5)
    # The rules' lengths are the PDF's (layout_pdf.header_rule_widths: ND30), in cm.
    issuer_pt, motto_pt = header_rule_widths(doc.issuing_body, TEXT_WIDTH_CM / CM_PER_PT)
    rule(left, issuer_pt * CM_PER_PT, left_w)
    _para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12.5)
    _para(right, MOTTO, bold=True, size=MOTTO_SIZE)
    rule(right, motto_pt * CM_PER_PT, right_w)
    _para(_Cell(table.cell(1, 0)), doc.number)
    _para(_Cell(table.cell(1, 1)), doc.place_date, italic=True)


def _table(docx: Any, block: Table) -> None:
    """A data table: the PDF's widths, cell style, header fill and highlights.

    Cells are filled on the XML with prepared property elements (copied per cell): python-
    docx's paragraph.style looks the default style up among all styles at every call, which
    made a 200-unit report spend most of a minute there."""
    import copy

    from docx.oxml.ns import qn
    from docx.shared import Pt

    table = docx.add_table(rows=1 + len(block.rows), cols=len(block.header))
    table._tbl.tblStyle_val = docx.styles["Table Grid"].style_id  # no lookup per table
    style_id = docx.styles[CELL_STYLE].style_id
    column_widths(table, [f * TEXT_WIDTH_CM for f in block.widths])
    jc = {"L": "left", "C": "center", "R": "right"}
    tbl = table._tbl

    def ppr(align: str) -> Any:
        el = tbl.makeelement(qn("w:pPr"), {})
        el.append(el.makeelement(qn("w:pStyle"), {qn("w:val"): style_id}))
        el.append(el.makeelement(qn("w:jc"), {qn("w:val"): jc[align]}))
        return el

    def shading(fill: str) -> Any:
        return tbl.makeelement(
            qn("w:shd"),
            {qn("w:val"): "clear", qn("w:color"): "auto", qn("w:fill"): fill.lstrip("#")},
        )

    templates = {a: ppr(a) for a in jc}
    bold = tbl.makeelement(qn("w:rPr"), {})
    bold.append(bold.makeelement(qn("w:b"), {}))
    fills = {0: shading(HEADER_FILL), 1: shading(HIGHLIGHT)}
    p_tag, tcpr_tag, r_tag, t_tag, br_tag = (
        qn("w:p"),
        qn("w:tcPr"),
        qn("w:r"),
        qn("w:t"),
        qn("w:br"),
    )
    space = qn("xml:space")
    for r, (tr, values) in enumerate(zip(tbl.tr_lst, [block.header, *block.rows], strict=True)):
        fill = fills[0] if r == 0 else fills[1] if r - 1 in block.highlight else None
        for c, (tc, value) in enumerate(zip(tr.tc_lst, values, strict=True)):
            p = tc.find(p_tag)
            p.insert(0, copy.deepcopy(templates["C" if r == 0 else block.align[c]]))
            run = p.makeelement(r_tag, {})
            p.append(run)
            if r == 0:
                run.append(copy.deepcopy(bold))
            for k, line in enumerate(value.split("\n")):
                if k:
                    run.append(run.makeelement(br_tag, {}))
                t = run.makeelement(t_tag, {space: "preserve"})
                t.text = line
                run.append(t)
            if fill is not None:
                tc.find(tcpr_tag).append(copy.deepcopy(fill))
    pdf_cell_margins(table)
    for n, tr in enumerate(tbl.tr_lst):
        # A row on one page, as the PDF draws it; the header row repeated on every page.
        trpr = tr.get_or_add_trPr()
        trpr.append(trpr.makeelement(qn("w:cantSplit"), {}))
        if n == 0:
            trpr.append(trpr.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"}))
    # The PDF's 6 pt after a table: an empty paragraph exactly that tall (a table needs a
    # paragraph after it; a blank line of body text was 16 pt).
    gap = _para(docx, "", space_after=0)
    gap.paragraph_format.line_spacing = Pt(6)  # a Length: exactly


def _chart(docx: Any, block: Chart) -> None:
    """The same chart as the PDF: the one PNG of desktop.reports.charts, centred."""
    import io

    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    from desktop.reports.charts import render_png
    from desktop.reports.layout_pdf import MM

    png = render_png(block, TEXT_WIDTH_CM * 10 * MM)
    caption = _para(docx, block.title, bold=True)
    caption.paragraph_format.keep_with_next = True  # the caption with its picture
    docx.add_picture(io.BytesIO(png), width=Cm(TEXT_WIDTH_CM))
    picture = docx.paragraphs[-1]
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.paragraph_format.first_line_indent = Cm(0)


def _signer(container: Any, signer: Signer, lines: int) -> None:
    from docx.shared import Pt

    titles = signer.title_lines + [""] * (lines - len(signer.title_lines))
    for line in titles:
        _para(container, line, bold=True)
    for _ in range(4):
        _para(container, "")
    p = _para(container, signer.name, bold=True)
    p.paragraph_format.space_after = Pt(0)


def _closing(docx: Any, doc: Document) -> None:
    keep_with_what_follows(docx)
    if doc.recipients:
        widths = [0.45 * TEXT_WIDTH_CM, 0.55 * TEXT_WIDTH_CM]
        table = docx.add_table(rows=1, cols=2)
        left = _Cell(table.cell(0, 0))
        _para(left, "Nơi nhận:", bold=True, italic=True, size=12, align="left")
        for line in doc.recipients:
            _para(left, line, size=11, align="left")
        if doc.signers:
            _signer(_Cell(table.cell(0, 1)), doc.signers[0], len(doc.signers[0].title_lines))
    else:
        n = len(doc.signers)
        widths = [TEXT_WIDTH_CM / n] * n
        table = docx.add_table(rows=1, cols=n)
        lines = max(len(s.title_lines) for s in doc.signers)
        for k, signer in enumerate(doc.signers):
            _signer(_Cell(table.cell(0, k)), signer, lines)
    borderless(table)
    column_widths(table, widths)
    rows_never_split(table)


def page_number_header(section: Any) -> None:
    """PAGE field, top centre, on every page but the first (different first page)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn

    section.different_first_page_header_footer = True
    p = section.header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run()
    for kind, text in (
        ("begin", None),
        (None, " PAGE "),
        ("separate", None),
        (None, "2"),
        ("end", None),
    ):
        if kind:
            el = run._r.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): kind})
        elif text == " PAGE ":
            el = run._r.makeelement(qn("w:instrText"), {qn("xml:space"): "preserve"})
            el.text = text
        else:
            el = run._r.makeelement(qn("w:t"), {})
            el.text = text
        run._r.append(el)


def write_docx(doc: Document, target: Path) -> None:
    """Write the document to `target` (the caller makes it atomic)."""
    import docx as python_docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Cm, Mm, Pt

    out = python_docx.Document()
    normal = out.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(13)
    set_fonts(normal.element)
    normal.paragraph_format.space_after = Pt(6)
    # The PDF's leading (16 pt for 13 pt text) as a minimum: LibreOffice's single spacing is
    # tighter, which packed a page more per page than the PDF (biên bản 13 pages against 14).
    normal.paragraph_format.line_spacing = Pt(BODY_LEADING)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
    section = out.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = Mm(PAGE_MARGINS["top"])
    section.bottom_margin = Mm(PAGE_MARGINS["bottom"])
    section.left_margin = Mm(PAGE_MARGINS["left"])
    section.right_margin = Mm(PAGE_MARGINS["right"])
    section.header_distance = Mm(10)
    page_number_header(section)
    out.core_properties.title = f"{doc.title.capitalize()} {doc.subject}"
    out.core_properties.author = doc.issuing_body

    _styles(out)
    _header(out, doc)
    out.add_paragraph(doc.title, style="Title")
    _para(out, doc.subject, bold=True, size=14)
    rule(out, 4.5, TEXT_WIDTH_CM, space_before_pt=6)  # the PDF's 9 pt, less the line's descent
    if doc.addressee:
        _para(out, doc.addressee, space_after=6)

    heading_ids = {n: out.styles[f"Heading {n}"].style_id for n in (1, 2)}

    def add(blocks: list[Any]) -> None:
        for block in blocks:
            if isinstance(block, Para) and block.style == "heading":
                text = "".join(r.text for r in block.runs)
                p = out.add_paragraph()
                p._p.style = heading_ids[heading_level(text)]  # the id: no lookup per heading
                for r in block.runs:
                    run = p.add_run(r.text)
                    run.italic = r.italic or None
            elif isinstance(block, Para):
                p = out.add_paragraph()
                if block.style in ("body", "heading"):
                    p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
                    p.paragraph_format.first_line_indent = Cm(1.27)
                else:
                    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                for r in block.runs:
                    run = p.add_run(r.text)
                    run.bold = r.bold or block.style in ("heading", "center_bold")
                    run.italic = r.italic
            elif isinstance(block, Table):
                _table(out, block)
            elif isinstance(block, Chart):
                _chart(out, block)
            elif isinstance(block, PageBreak):
                out.add_page_break()  # type: ignore[no-untyped-call]  # python-docx: untyped

    add(doc.blocks)
    _closing(out, doc)
    add(doc.annex)
    out.save(str(target))
