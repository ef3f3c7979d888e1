"""The blank space of a printed signer block, made known in the PDF.

Between the position title and the name of the signer block a report leaves room for the
signature. Drawn by `signature_space`, that room records where it landed in the PDF's document
information (hidden from readers, read by the signing step, which the reports never import):

- /KiemtraSignatureBox: "page x1 y1 x2 y2" (page counted from 1; points from the page's
  lower-left corner);
- /KiemtraSignerName: the name printed under it.

A document with several signers side by side (the minutes) records each, in drawing order
(left to right), separated by "; " in both keys: the last is the one who signs for the
document (the right one, the Trưởng đoàn).

reportlab's document information has no custom keys: the canvas's info object is made, at
draw time, by one that writes the two keys too (its class changed: platypus restores that
very object after the build).
"""

from __future__ import annotations

from typing import Any

BOX_KEY = "KiemtraSignatureBox"
NAME_KEY = "KiemtraSignerName"
# The signature image is narrower than a signer column: a box this wide at most, centred.
MAX_WIDTH = 70 * 72 / 25.4


def signature_space(height: float, name: str) -> Any:
    """A Spacer-like flowable `height` points high that records its box and `name`."""
    from reportlab.pdfbase.pdfdoc import PDFInfo, PDFString
    from reportlab.platypus.flowables import Flowable

    class _Info(PDFInfo):  # type: ignore[misc]  # reportlab has no type hints
        signer_blocks: list[tuple[str, str]]

        def format(self, document: Any) -> bytes:
            text: bytes = super().format(document)
            end = text.rstrip().rindex(b">>")
            extra = {
                BOX_KEY: "; ".join(box for box, _name in self.signer_blocks),
                NAME_KEY: "; ".join(name for _box, name in self.signer_blocks),
            }
            keys = b"".join(
                b"/" + key.encode("ascii") + b" " + PDFString(value).format(document) + b"\n"
                for key, value in extra.items()
            )
            return text[:end] + keys + text[end:]

    class Space(Flowable):  # type: ignore[misc]  # reportlab has no type hints: Flowable is Any
        def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
            self.width = min(avail_width, MAX_WIDTH)
            self.avail = avail_width
            return avail_width, height

        def draw(self) -> None:
            canvas = self.canv
            left = (self.avail - self.width) / 2
            x1, y1 = canvas.absolutePosition(left, 0)
            x2, y2 = canvas.absolutePosition(left + self.width, height)
            # reportlab keeps the info object there (no public setter) and puts that same object
            # back after the build: the object itself becomes one that writes the two keys.
            info = canvas._doc.info
            if not hasattr(info, "signer_blocks"):
                info.__class__ = _Info
                info.signer_blocks = []
            page = canvas.getPageNumber()
            box = f"{page} {x1:.2f} {y1:.2f} {x2:.2f} {y2:.2f}"
            info.signer_blocks.append((box, " ".join(name.replace(";", ",").split())))

    return Space()
