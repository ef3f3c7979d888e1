"""The campaign report's bar charts drawn once, as PNG, for both the PDF and the DOCX.

One renderer: Pillow (a wheel on Linux and Windows, already installed with reportlab), with
the Liberation Serif faces the PDF uses. reportlab's renderPM needs rlPyCairo (pycairo, no
Linux wheel), so it is not used. Figures are written the Vietnamese way ("47,6").
"""

from __future__ import annotations

import io
from typing import Any

from desktop.reports.documents import Chart, num
from desktop.reports.fonts import FILES
from desktop.services.paths import resource

DPI = 150
BAR = (47, 92, 143)  # #2F5C8F, as the PDF's tables' accents
GRID = (200, 200, 200)
INK = (0, 0, 0)
MAX_LABEL = 42  # characters of a unit's name beside its bar
BAR_SPACE = 14  # points per unit in a horizontal chart
VERTICAL_HEIGHT = 172  # points
# The title is not drawn in the picture: both renderers print it as a caption (text a reader
# can search and copy) above it, chart_caption.


def bar_labels(chart: Chart) -> list[str]:
    """The figure above or beside each bar: "47,6", "59,03", "100"."""
    return [num(round(v, 2)) for v in chart.values]


def height_points(chart: Chart) -> float:
    """The chart's height in points for a given number of bars."""
    return 22 + BAR_SPACE * len(chart.labels) if chart.horizontal else VERTICAL_HEIGHT


def _font(bold: bool, points: float) -> Any:
    from PIL import ImageFont

    name = FILES["LiberationSerif-Bold" if bold else "LiberationSerif"]
    return ImageFont.truetype(str(resource("fonts", name)), round(points * DPI / 72))


def render_png(chart: Chart, width_points: float) -> bytes:
    """The chart as a PNG `width_points` wide (at DPI), bars on a 0–100 scale, no title."""
    from PIL import Image, ImageDraw

    k = DPI / 72  # pixels per point
    width, height = round(width_points * k), round(height_points(chart) * k)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    small, label_font = _font(False, 8), _font(False, 9)
    labels = [x if len(x) <= MAX_LABEL else x[: MAX_LABEL - 1] + "…" for x in chart.labels]
    figures = bar_labels(chart)
    if chart.horizontal:
        left, right, top = 190 * k, width - 40 * k, 4 * k
        bottom = top + BAR_SPACE * k * len(labels)
        _grid(draw, left, right, top, bottom, label_font, horizontal=True)
        for n, (label, value, figure) in enumerate(zip(labels, chart.values, figures, strict=True)):
            y0 = top + n * BAR_SPACE * k + 2 * k
            y1 = y0 + (BAR_SPACE - 4) * k
            x1 = left + (right - left) * max(min(value, 100), 0) / 100
            draw.rectangle((left, y0, x1, y1), fill=BAR)
            mid = (y0 + y1) / 2
            draw.text((left - 4 * k, mid), label, font=label_font, fill=INK, anchor="rm")
            draw.text((x1 + 3 * k, mid), figure, font=small, fill=INK, anchor="lm")
    else:
        left, right, top, bottom = 35 * k, width - 15 * k, 12 * k, height - 30 * k
        _grid(draw, left, right, top, bottom, label_font, horizontal=False)
        step = (right - left) / max(len(labels), 1)
        for n, (label, value, figure) in enumerate(zip(labels, chart.values, figures, strict=True)):
            x0 = left + n * step + step * 0.15
            x1 = left + (n + 1) * step - step * 0.15
            y = bottom - (bottom - top) * max(min(value, 100), 0) / 100
            draw.rectangle((x0, y, x1, bottom), fill=BAR)
            draw.text(((x0 + x1) / 2, y - 2 * k), figure, font=small, fill=INK, anchor="md")
            draw.text(
                ((x0 + x1) / 2, bottom + 4 * k), label, font=label_font, fill=INK, anchor="ma"
            )
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(DPI, DPI))
    return out.getvalue()


def _grid(
    draw: Any, left: float, right: float, top: float, bottom: float, font: Any, horizontal: bool
) -> None:
    """The value axis 0–100 by 20 with light grid lines, and the two axes."""
    k = DPI / 72
    for tick in range(0, 101, 20):
        if horizontal:
            x = left + (right - left) * tick / 100
            draw.line((x, top, x, bottom), fill=GRID, width=1)
            draw.text((x, bottom + 3 * k), str(tick), font=font, fill=INK, anchor="ma")
        else:
            y = bottom - (bottom - top) * tick / 100
            draw.line((left, y, right, y), fill=GRID, width=1)
            draw.text((left - 4 * k, y), str(tick), font=font, fill=INK, anchor="rm")
    draw.line((left, top, left, bottom), fill=INK, width=max(round(k), 1))
    draw.line((left, bottom, right, bottom), fill=INK, width=max(round(k), 1))
