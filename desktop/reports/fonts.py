"""Liberation Serif (metrics of Times New Roman, every Vietnamese glyph) for reportlab."""

from __future__ import annotations

from desktop.services.errors import UserError
from desktop.services.paths import resource

FAMILY = "LiberationSerif"
FILES = {
    FAMILY: "LiberationSerif-Regular.ttf",
    f"{FAMILY}-Bold": "LiberationSerif-Bold.ttf",
    f"{FAMILY}-Italic": "LiberationSerif-Italic.ttf",
    f"{FAMILY}-BoldItalic": "LiberationSerif-BoldItalic.ttf",
}
_registered: set[str] = set()


def register_fonts() -> str:
    """Register the four faces and the family with reportlab; return the family name.

    A missing file is the user's to fix (a damaged installation): UserError naming it.
    """
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    paths = {name: resource("fonts", filename) for name, filename in FILES.items()}
    for path in paths.values():
        if not path.is_file():
            raise UserError(f"Thiếu tệp phông chữ {path.name} (tìm tại {path})")
    for name, path in paths.items():
        if name not in _registered:
            pdfmetrics.registerFont(TTFont(name, str(path)))
            _registered.add(name)
    pdfmetrics.registerFontFamily(
        FAMILY,
        normal=FAMILY,
        bold=f"{FAMILY}-Bold",
        italic=f"{FAMILY}-Italic",
        boldItalic=f"{FAMILY}-BoldItalic",
    )
    for bold in (0, 1):
        for italic in (0, 1):
            face = (
                FAMILY
                + {(0, 0): "", (1, 0): "-Bold", (0, 1): "-Italic", (1, 1): "-BoldItalic"}[
                    (bold, italic)
                ]
            )
            addMapping(FAMILY, bold, italic, face)
    return FAMILY
