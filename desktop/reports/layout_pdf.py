"""Draw a Document as PDF with reportlab platypus (A4, Nghị định 30/2020/NĐ-CP layout).

reportlab is imported inside the functions: the command line starts without it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from desktop.reports.documents import Chart, Document, PageBreak, Para, Run, Signer, Table
from desktop.reports.fonts import FAMILY, register_fonts
from desktop.reports.signature_space import signature_space

MM = 72 / 25.4
FRAME_PADDING = 6  # points: reportlab's Frame default on every side
# A heading and two lines of the paragraph after it (what the DOCX's keep-with-next keeps).
HEADING_ROOM = 21 * MM
HEADING_ROOM_TABLE = 45 * MM  # a heading, a table's header row and its first rows
PAGE_MARGINS = {"top": 20, "bottom": 20, "left": 30, "right": 15}  # millimetres
BODY_SIZE = 13
BODY_LEADING = 16  # points from baseline to baseline; the DOCX asks for the same minimum
CELL_SIZE = 11
CELL_LEADING = 13
HIGHLIGHT = "#FBE3E1"
HEADER_FILL = "#E8E8E8"


def _markup(runs: list[Run]) -> str:
    out = []
    for run in runs:
        text = escape(run.text).replace("\n", "<br/>")
        if run.bold:
            text = f"<b>{text}</b>"
        if run.italic:
            text = f"<i>{text}</i>"
        out.append(text)
    return "".join(out)


class _Styles:
    def __init__(self) -> None:
        from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
        from reportlab.lib.styles import ParagraphStyle

        base = ParagraphStyle("base", fontName=FAMILY, fontSize=BODY_SIZE, leading=BODY_LEADING)
        self.body = ParagraphStyle(
            "body", base, alignment=TA_JUSTIFY, firstLineIndent=12.7 * MM, spaceAfter=6
        )
        self.heading = ParagraphStyle("heading", self.body, fontName=f"{FAMILY}-Bold")
        self.center = ParagraphStyle("center", base, alignment=TA_CENTER, spaceAfter=6)
        self.center_bold = ParagraphStyle("center_bold", self.center, fontName=f"{FAMILY}-Bold")
        self.cell = ParagraphStyle(
            "cell", base, fontSize=CELL_SIZE, leading=CELL_LEADING, alignment=TA_LEFT
        )
        self.cell_c = ParagraphStyle("cell_c", self.cell, alignment=TA_CENTER)
        self.cell_r = ParagraphStyle("cell_r", self.cell, alignment=2)
        self.cell_h = ParagraphStyle("cell_h", self.cell_c, fontName=f"{FAMILY}-Bold")
        self.hdr = ParagraphStyle("hdr", base, fontSize=12.5, leading=15, alignment=TA_CENTER)
        self.hdr_bold = ParagraphStyle("hdr_bold", self.hdr, fontName=f"{FAMILY}-Bold")
        self.motto = ParagraphStyle("motto", self.hdr_bold, fontSize=MOTTO_SIZE, leading=16)
        self.hdr_num = ParagraphStyle("hdr_num", base, alignment=TA_CENTER)
        self.hdr_date = ParagraphStyle(
            "hdr_date", base, alignment=TA_CENTER, fontName=f"{FAMILY}-Italic"
        )
        self.title = ParagraphStyle(
            "title",
            base,
            fontName=f"{FAMILY}-Bold",
            fontSize=14,
            leading=17,
            alignment=TA_CENTER,
            spaceBefore=14,
        )
        self.subject = ParagraphStyle("subject", self.title, spaceBefore=0)
        self.recip_head = ParagraphStyle(
            "recip_head", base, fontName=f"{FAMILY}-BoldItalic", fontSize=12, leading=14
        )
        self.recip = ParagraphStyle("recip", base, fontSize=11, leading=13)
        self.sign = ParagraphStyle("sign", self.hdr_bold, fontSize=13, leading=16)


def _rule(width: float, space_before: float = 3, space_after: float = 5) -> Any:
    """A short centred horizontal rule (HRFlowable ignores centring inside table cells)."""
    from reportlab.platypus.flowables import Flowable

    class Rule(Flowable):  # type: ignore[misc]  # reportlab has no type hints: Flowable is Any
        def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
            self.avail = avail_width
            return avail_width, space_before + space_after + 0.6

        def draw(self) -> None:
            x0 = (self.avail - width) / 2
            y = space_after
            self.canv.setLineWidth(0.6)
            self.canv.line(x0, y, x0 + width, y)

    return Rule()


MOTTO = "Độc lập - Tự do - Hạnh phúc"
MOTTO_SIZE = 13.5


def header_rule_widths(issuing_body: str, width: float) -> tuple[float, float]:
    """The two rules of a document's heading, in points, for a text block `width` wide (ND30):
    under the issuing body, half its line (its column is 0.4 of the page; at least 20 mm);
    under the motto, as long as the motto. The PDF and the DOCX both draw these widths."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from desktop.reports.fonts import register_fonts

    register_fonts()
    motto_width = stringWidth(MOTTO, f"{FAMILY}-Bold", MOTTO_SIZE)
    issuer_width = min(stringWidth(issuing_body, f"{FAMILY}-Bold", 12.5), 0.38 * width) * 0.5
    return max(issuer_width, 20 * MM), motto_width


def _header(doc: Document, st: _Styles, width: float) -> list[Any]:
    from reportlab.platypus import Paragraph
    from reportlab.platypus import Table as RLTable

    issuer_rule, motto_rule = header_rule_widths(doc.issuing_body, width)
    left = [
        Paragraph(escape(doc.parent_body), st.hdr),
        Paragraph(escape(doc.issuing_body), st.hdr_bold),
        _rule(issuer_rule),
    ]
    right = [
        Paragraph("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", st.hdr_bold),
        Paragraph(MOTTO, st.motto),
        _rule(motto_rule),
    ]
    table = RLTable(
        [
            [left, right],
            [
                Paragraph(escape(doc.number), st.hdr_num),
                Paragraph(escape(doc.place_date), st.hdr_date),
            ],
        ],
        colWidths=[0.4 * width, 0.6 * width],
    )
    table.setStyle(
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("FONT", (0, 0), (-1, -1), FAMILY),  # else Table names Helvetica
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ]
    )
    return [table]


# A cell taller than this is cut into continuation rows: a table row must fit on a page, and
# reportlab's splitting inside a row leaves the repeated header stranded mid-page.
MAX_CELL_HEIGHT = 120
LONG_CELL_CHARS = 300  # shorter text cannot reach MAX_CELL_HEIGHT: not measured
CELL_PADDING = 3


def _pieces(para: Any, width: float) -> list[Any]:
    """`para` cut into parts no taller than MAX_CELL_HEIGHT at this width."""
    parts = [para]
    while True:
        _, height = parts[-1].wrap(width, MAX_CELL_HEIGHT)
        if height <= MAX_CELL_HEIGHT:
            return parts
        split = parts[-1].split(width, MAX_CELL_HEIGHT)
        if len(split) < 2:  # one unbreakable line: leave it whole
            return parts
        parts[-1:] = split


def _table(block: Table, st: _Styles, width: float) -> Any:
    from reportlab.platypus import Paragraph
    from reportlab.platypus import Table as RLTable

    styles = {"L": st.cell, "C": st.cell_c, "R": st.cell_r}
    widths = [f * width for f in block.widths]
    data: list[list[Any]] = [[Paragraph(escape(h), st.cell_h) for h in block.header]]
    ends = [0]  # the table rows that close a logical row (a rule below them)
    highlight: list[int] = []
    for index, row in enumerate(block.rows):
        cells: list[list[Any]] = []
        for v, a, w in zip(row, block.align, widths, strict=True):
            para = Paragraph(escape(v).replace("\n", "<br/>"), styles[a])
            long = len(v) > LONG_CELL_CHARS
            cells.append(_pieces(para, w - 2 * CELL_PADDING) if long else [para])
        depth = max(len(c) for c in cells)
        for k in range(depth):
            data.append([c[k] if k < len(c) else "" for c in cells])
            if index in block.highlight:
                highlight.append(len(data) - 1)
        ends.append(len(data) - 1)
    table = RLTable(data, colWidths=widths, repeatRows=1)
    commands: list[tuple[Any, ...]] = [
        ("BOX", (0, 0), (-1, -1), 0.5, "black"),
        ("INNERGRID", (0, 0), (-1, 0), 0.5, "black"),
        ("LINEBEFORE", (1, 0), (-1, -1), 0.5, "black"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONT", (0, 0), (-1, -1), FAMILY),  # else Table names Helvetica
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
    ]
    # One rule command per run of consecutive closing rows (a command per row costs reportlab
    # dearly on a 3,000-row annex).
    first = previous = ends[0]
    for end in [*ends[1:], None]:
        if end is not None and end == previous + 1:
            previous = end
            continue
        commands.append(("LINEBELOW", (0, first), (-1, previous), 0.5, "black"))
        if end is not None:
            first = previous = end
    for index in highlight:
        commands.append(("BACKGROUND", (0, index), (-1, index), HIGHLIGHT))
    table.setStyle(commands)
    table.spaceAfter = 6
    return table


def chart_image(block: Chart, width: float) -> Any:
    """The chart as the DOCX shows it: the one PNG of desktop.reports.charts, `width` wide."""
    import io

    from reportlab.platypus import Image

    from desktop.reports.charts import height_points, render_png

    image = Image(io.BytesIO(render_png(block, width)), width=width, height=height_points(block))
    image.spaceAfter = 6
    return image


def _signer(signer: Signer, st: _Styles, lines: int = 0) -> list[Any]:
    from reportlab.platypus import Paragraph

    titles = signer.title_lines + [""] * (lines - len(signer.title_lines))
    return [
        # A blank line keeps its height, so the names of side-by-side signers line up.
        *[Paragraph(escape(line) or "&nbsp;", st.sign) for line in titles],
        # The room for the signature, recorded in the PDF for the signing step.
        signature_space(24 * MM, signer.name),
        Paragraph(escape(signer.name), st.sign),
    ]


def _closing(doc: Document, st: _Styles, width: float) -> list[Any]:
    from reportlab.platypus import Paragraph, Spacer
    from reportlab.platypus import Table as RLTable

    if doc.recipients:
        left = [Paragraph("Nơi nhận:", st.recip_head)] + [
            Paragraph(escape(line), st.recip) for line in doc.recipients
        ]
        cells = [[left, _signer(doc.signers[0], st) if doc.signers else ""]]
        widths = [0.45 * width, 0.55 * width]
    else:
        lines = max(len(s.title_lines) for s in doc.signers)
        cells = [[_signer(s, st, lines) for s in doc.signers]]
        widths = [width / len(doc.signers)] * len(doc.signers)
    table = RLTable(cells, colWidths=widths)
    table.setStyle(
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("FONT", (0, 0), (-1, -1), FAMILY),  # else Table names Helvetica
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ]
    )
    return [Spacer(1, 6), table]


def story(doc: Document, width: float) -> list[Any]:
    """Every flowable of the document, header to annex."""
    from reportlab.platypus import CondPageBreak, KeepTogether, Paragraph
    from reportlab.platypus import PageBreak as RLPageBreak

    from desktop.reports.charts import height_points

    st = _Styles()
    out: list[Any] = _header(doc, st, width)
    out.append(Paragraph(escape(doc.title), st.title))
    out.append(Paragraph(escape(doc.subject), st.subject))
    out.append(_rule(45 * MM, 9, 12))
    if doc.addressee:
        out.append(Paragraph(escape(doc.addressee), st.center))
    styles = {
        "body": st.body,
        "heading": st.heading,
        "center": st.center,
        "center_bold": st.center_bold,
    }

    def add(blocks: list[Any]) -> None:
        for n, block in enumerate(blocks):
            if isinstance(block, Para) and block.style == "heading":
                # Never a heading alone at the foot of a page: a new page unless there is room
                # for it and the start of what follows (a table's header and first row). Not
                # keepWithNext: reportlab moves a kept group taller than the space left to a new
                # page whole, which would start every long table on a fresh page.
                following = blocks[n + 1] if n + 1 < len(blocks) else None
                room = HEADING_ROOM
                if isinstance(following, Table):
                    # the heading, the table's header and its first row, however tall (a
                    # tall first row left the heading alone at the foot of the page)
                    start = Table(following.header, following.rows[:1], following.widths,
                                  following.align)  # fmt: skip
                    _, first = _table(start, st, width).wrap(width, 10_000)
                    room = max(HEADING_ROOM_TABLE, BODY_LEADING + 12 + first)
                out.append(CondPageBreak(room))
                out.append(Paragraph(_markup(block.runs), st.heading))
            elif isinstance(block, Para):
                out.append(Paragraph(_markup(block.runs), styles[block.style]))
            elif isinstance(block, Table):
                out.append(_table(block, st, width))
            elif isinstance(block, Chart):
                # the caption kept with its picture
                out.append(CondPageBreak(height_points(block) + 24))
                out.append(Paragraph(escape(block.title), st.center_bold))
                out.append(chart_image(block, width))
            elif isinstance(block, PageBreak):
                out.append(RLPageBreak())

    add(doc.blocks)
    # Nơi nhận and the signature never stand alone on the last page: they go together with
    # the body's last paragraph (the one ending "./.").
    # A heading kept with that paragraph comes along (a KeepTogether cannot be kept with).
    tail: list[Any] = []
    if doc.blocks and isinstance(doc.blocks[-1], Para):
        tail.append(out.pop())
        while out and (
            isinstance(out[-1], CondPageBreak)
            or (isinstance(out[-1], Paragraph) and out[-1].style is st.heading)
        ):
            flowable = out.pop()
            if not isinstance(flowable, CondPageBreak):
                tail.insert(0, flowable)
    out.append(KeepTogether([*tail, *_closing(doc, st, width)]))
    add(doc.annex)
    return out


def write_pdf(doc: Document, target: Path) -> None:
    """Write the document to `target` (the caller makes it atomic)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate

    register_fonts()
    page_w, page_h = A4
    margins = {k: v * MM for k, v in PAGE_MARGINS.items()}
    width = page_w - margins["left"] - margins["right"]

    def page_number(canvas: Any, template: Any) -> None:
        canvas.saveState()
        canvas.setFont(FAMILY, BODY_SIZE)
        canvas.drawCentredString(margins["left"] + width / 2, page_h - 12 * MM, str(template.page))
        canvas.restoreState()

    # SimpleDocTemplate's frame pads its text FRAME_PADDING inside the margins: give it margins
    # that much smaller, so the text stands on Nghị định 30's margins exactly, as in the DOCX
    # (the PDF's column was 12 pt narrower and shorter, and broke pages earlier).
    template = SimpleDocTemplate(
        str(target),
        pagesize=A4,
        leftMargin=margins["left"] - FRAME_PADDING,
        rightMargin=margins["right"] - FRAME_PADDING,
        topMargin=margins["top"] - FRAME_PADDING,
        bottomMargin=margins["bottom"] - FRAME_PADDING,
        title=f"{doc.title.capitalize()} {doc.subject}",
        author=doc.issuing_body,
        # Otherwise every page names Helvetica (never embedded) as its starting font.
        initialFontName=FAMILY,
        initialFontSize=BODY_SIZE,
    )
    template.build(story(doc, width), onLaterPages=page_number)
