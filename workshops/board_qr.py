"""The QR code of a workshop's join link, drawn server-side with segno (no CDN, no JS)."""

from __future__ import annotations

import segno
from markupsafe import Markup


def join_qr(url: str) -> segno.QRCode:
    """The QR code of ``url`` (a regular QR code, medium error correction)."""
    return segno.make(url, error="m", micro=False)


def join_qr_svg(url: str, title: str) -> Markup:
    """Inline SVG of the QR code of ``url``: black on white, named by ``title``.

    segno escapes ``title``; the quiet zone (4 modules) is kept so phones read it from a
    projector; the size is left to CSS.
    """
    svg = join_qr(url).svg_inline(
        scale=1, border=4, dark="#000", light="#fff", title=title, svgclass="join-qr",
        lineclass=None, omitsize=True,
    )
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))
