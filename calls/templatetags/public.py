"""Template helpers of the public pages: ``{{ line.tel|qr:"tel" }}`` draws a line's QR code."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from ..qr import number_svg

register = template.Library()


@register.filter
def qr(number: str, scheme: str = "tel") -> SafeString:
    """The QR code that calls (``tel``) or texts (``sms``) an E.164 number, as inline SVG."""
    return number_svg(number, scheme=scheme)
