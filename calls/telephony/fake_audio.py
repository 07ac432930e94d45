"""Recordings where no real telephony exists (sandbox, tests): a short tone stands in for the
audio, and a deleted recording is remembered as gone."""

from __future__ import annotations

import io
import math
import struct
import wave

from concierge.lib.telephony import TelephonyError


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


class FakeRecordings:
    """The recording half of a backend with no real audio behind it."""

    #: Recordings the backend was asked to delete; shared by the fake backends.
    deleted: set[str] = set()

    def fetch_recording(self, *, sid: str, url: str) -> tuple[bytes, str]:
        if sid in self.deleted:
            raise TelephonyError("This recording was deleted.", permanent=True)
        return tone_wav(), "audio/wav"

    def delete_recording(self, *, sid: str) -> None:
        self.deleted.add(sid)
