"""The report's charts as PNG pictures for the word-processor formats (DOCX, ODT).

Word and older LibreOffice versions do not show SVG reliably, so each chart of
:func:`exports.charts.report_charts` is rasterised with cairosvg at print resolution and
placed at the same width as in the PDF; its title becomes the picture's alt text and its
numbers follow as a table (as in the PDF).
"""

from __future__ import annotations

import struct

import cairosvg

from .charts import Chart
from .outline import Figure, text

PRINT_DPI = 300
CHART_WIDTH_PT = 16 * 72 / 2.54
"""Charts are 16 cm wide: the text width (17 cm) less a small margin."""


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height in pixels of a PNG (read from its IHDR chunk)."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    return struct.unpack(">II", png[16:24])


def chart_png(chart: Chart, width_pt: float = CHART_WIDTH_PT, dpi: int = PRINT_DPI) -> bytes:
    """``chart`` as a PNG ``width_pt`` wide at ``dpi`` dots per inch, on white."""
    width_px = round(width_pt / 72 * dpi)
    return cairosvg.svg2png(bytestring=str(chart.svg).encode("utf-8"),
                            output_width=width_px, background_color="white")


def chart_figure(chart: Chart, description: str = "") -> Figure:
    """A :class:`~exports.outline.Figure` of ``chart`` (its title above, alt text set)."""
    png = chart_png(chart)
    width, height = png_size(png)
    return Figure(png=png, width_px=width, height_px=height, width_pt=CHART_WIDTH_PT,
                  title=text(chart.title), description=text(description or chart.title))
