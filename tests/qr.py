"""Reading QR codes back, as a phone's camera would: zxing-cpp on a picture."""

from __future__ import annotations

import io
import re

import zxingcpp
from PIL import Image

from calls.qr import number_code

SVG = re.compile(r"<svg\b.*?</svg>", re.DOTALL)


def decoded(picture: Image.Image) -> list[str]:
    return [found.text for found in zxingcpp.read_barcodes(picture)]


def read_code(number: str, *, scheme: str) -> str:
    """The text a camera reads from the code we draw for ``scheme:number`` (as a PNG)."""
    buffer = io.BytesIO()
    number_code(number, scheme=scheme).save(buffer, kind="png", scale=8)
    buffer.seek(0)
    (text,) = decoded(Image.open(buffer))
    return text


def svgs(page: str) -> list[str]:
    return SVG.findall(page)
