"""A short, quiet tone standing in for a recording where no real telephony exists."""

from __future__ import annotations

import io
import math
import struct
import wave


def tone_wav(seconds: float = 1.5, frequency: float = 440.0, rate: int = 8000) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(rate)
        frames = (
            struct.pack("<h", int(3000 * math.sin(2 * math.pi * frequency * n / rate)))
            for n in range(int(seconds * rate))
        )
        audio.writeframes(b"".join(frames))
    return buffer.getvalue()
