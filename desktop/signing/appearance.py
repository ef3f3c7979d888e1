"""The visible part of a signature, drawn as Nghị định 30/2020 Phụ lục I lays out.

- The signer's signature: the position title (bold, upper case lines), the signer's signature
  image (the user's PNG, transparent) centred between the title and the name, then the name.
- The issuing body's signature: its seal image (PNG, transparent) with the body's name and the
  signing time (ISO 8601, +07:00) in blue, 10 pt, below it.

Each is drawn by reportlab as a one-page PDF exactly the size of the signature box; pyHanko
imports that page as the widget's appearance. Texts are in the embedded Liberation Serif
(metrics of Times New Roman, every Vietnamese glyph).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from desktop.services.errors import UserError
from desktop.services.paths import resource

MM = 72 / 25.4
VIETNAM = dt.timezone(dt.timedelta(hours=7))
# The two faces the appearances use, registered with reportlab under names of their own (the
# reports register the family under theirs; the two never meet).
REGULAR = "SignLiberationSerif"
BOLD = "SignLiberationSerif-Bold"
_FILES = {REGULAR: "LiberationSerif-Regular.ttf", BOLD: "LiberationSerif-Bold.ttf"}
BLUE = (0.0, 0.2, 0.6)

# The default boxes (points): the signer's block in the lower right of the page; the body's
# seal over the left third of it, as Phụ lục I places the seal over the signature.
PERSON_SIZE = (62 * MM, 40 * MM)
ORGANISATION_SIZE = (48 * MM, 44 * MM)


@dataclass(frozen=True)
class Appearance:
    """What the signature shows: lines of the position title, the image, the name (person);
    or the seal image, the body's name and the signing time (organisation)."""

    organisation: bool
    name: str
    title_lines: tuple[str, ...] = ()
    image: Path | None = None
    # In the blank space of a printed signer block: the title and the name are printed already,
    # the signer's signature shows only the image (or "Đã ký số" and the name, small, without
    # one); the body's, smaller text under its seal.
    in_block: bool = False


def _fonts() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name, filename in _FILES.items():
        if name in pdfmetrics.getRegisteredFontNames():
            continue
        path = resource("fonts", filename)
        if not path.is_file():
            raise UserError(f"Thiếu tệp phông chữ {path.name} (tìm tại {path})")
        pdfmetrics.registerFont(TTFont(name, str(path)))


def iso_time(when: dt.datetime) -> str:
    """The signing time as Phụ lục I writes it: ISO 8601 in Vietnam's zone, to the second."""
    return when.astimezone(VIETNAM).replace(microsecond=0).isoformat()


def _image_reader(path: Path) -> object:
    from reportlab.lib.utils import ImageReader

    try:
        reader = ImageReader(str(path))
        reader.getSize()
    except Exception as exc:  # PIL/reportlab raise many kinds for a file that is no image
        raise UserError(f"Không đọc được ảnh {path.name}: cần tệp ảnh PNG") from exc
    return reader


def _fit(canvas: object, image: object, x: float, y: float, width: float, height: float) -> None:
    """Draw `image` as large as fits in the box (x, y, width, height), centred, keeping its
    proportions and its transparency."""
    iw, ih = image.getSize()  # type: ignore[attr-defined]  # reportlab ImageReader
    scale = min(width / iw, height / ih)
    w, h = iw * scale, ih * scale
    canvas.drawImage(  # type: ignore[attr-defined]  # reportlab Canvas
        image, x + (width - w) / 2, y + (height - h) / 2, w, h, mask="auto"
    )


def _centred_lines(
    canvas: object, lines: list[str], font: str, size: float, width: float, top: float
) -> float:
    """Draw lines centred in the box width from `top` down (shrinking a line that is too
    wide); return the y below the last line."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    y = top
    for line in lines:
        fitted = size
        while fitted > 6 and stringWidth(line, font, fitted) > width - 4:
            fitted -= 0.5
        y -= fitted * 1.15
        canvas.setFont(font, fitted)  # type: ignore[attr-defined]
        canvas.drawCentredString(width / 2, y + fitted * 0.2, line)  # type: ignore[attr-defined]
    return y


def render(look: Appearance, size: tuple[float, float], when: dt.datetime) -> bytes:
    """The appearance as a one-page PDF of `size` (points)."""
    from reportlab.pdfgen.canvas import Canvas

    _fonts()
    width, height = size
    image = _image_reader(look.image) if look.image is not None else None
    out = io.BytesIO()
    # The initial font too: else reportlab lists an unembedded Helvetica in the appearance.
    canvas = Canvas(out, pagesize=size, pageCompression=1, initialFontName=REGULAR)
    if look.organisation:
        canvas.setFillColorRGB(*BLUE)
        text_lines = [look.name, iso_time(when)]
        font_size = 7.5 if look.in_block else 10
        text_height = len(text_lines) * font_size * 1.15 + 2
        if image is not None:
            _fit(canvas, image, 0, text_height, width, height - text_height)
        if look.in_block:
            # Over the signer's image: a light veil keeps the body's name and time legible.
            canvas.saveState()
            canvas.setFillColorRGB(1, 1, 1)
            canvas.setFillAlpha(0.75)
            canvas.rect(0, 0, width, text_height, stroke=0, fill=1)
            canvas.restoreState()
        canvas.setFillColorRGB(*BLUE)
        _centred_lines(canvas, text_lines, REGULAR, font_size, width, text_height)
    elif look.in_block and image is not None:
        _fit(canvas, image, 0, 0, width, height)
    elif look.in_block:
        # No image: a quiet mark that the document is signed, and by whom, in the right two
        # thirds (the body's seal may come over the left third).
        canvas.setFillColorRGB(*BLUE)
        canvas.translate(width / 3, 0)
        middle = height / 2 + 12
        _centred_lines(canvas, ["Đã ký số"], BOLD, 11, width * 2 / 3, middle)
        _centred_lines(canvas, [look.name], REGULAR, 9, width * 2 / 3, middle - 13)
    else:
        title = [line.upper() for line in look.title_lines if line.strip()]
        top = _centred_lines(canvas, title, BOLD, 12, width, height)
        name_height = 13 * 1.15 + 2
        if image is not None:
            _fit(canvas, image, 0, name_height, width, top - name_height - 2)
        _centred_lines(canvas, [look.name], BOLD, 13, width, name_height)
    canvas.showPage()
    canvas.save()
    return out.getvalue()
