"""QR codes for the public numbers: ``tel:`` to call, ``sms:`` to text. Drawn as inline SVG on
the page (the CSP allows no outside image, and a scan needs no network)."""

from __future__ import annotations

import segno
from django.utils.safestring import SafeString, mark_safe


def number_code(number: str, *, scheme: str = "tel") -> segno.QRCode:
    """The QR code a phone's camera turns into a call (``tel:``) or a new text (``sms:``) to the
    E.164 ``number``. Medium error correction: a poster survives a little wear."""
    return segno.make(f"{scheme}:{number}", error="m", micro=False)


def number_svg(number: str, *, scheme: str = "tel") -> SafeString:
    """The code as inline SVG that scales with its box (no fixed size: the stylesheet decides),
    with a white quiet zone so it scans on any background."""
    svg = number_code(number, scheme=scheme).svg_inline(
        scale=1, border=4, omitsize=True, svgclass="qr", lineclass=None, light="#fff"
    )
    return mark_safe(svg)  # noqa: S308 — segno writes the markup; the payload is a number
