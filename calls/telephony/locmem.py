"""A backend for tests: messages land in :data:`outbox`, like ``django.core.mail.outbox``."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from concierge.lib.telephony import SentMessage, TelephonyBackend, TelephonyError

from .fake_audio import tone_wav


@dataclass(frozen=True)
class OutgoingSMS:
    sid: str
    to: str
    from_: str
    body: str
    status_callback: str | None


outbox: list[OutgoingSMS] = []
# Recordings this backend was asked to delete (there is no real audio behind it).
deleted_recordings: set[str] = set()


class LocmemBackend(TelephonyBackend):
    def send_sms(
        self, *, to: str, body: str, from_: str, status_callback: str | None = None
    ) -> SentMessage:
        sid = "SM" + uuid.uuid4().hex
        outbox.append(OutgoingSMS(sid, to, from_, body, status_callback))
        return SentMessage(sid=sid, status="queued")

    def fetch_recording(self, *, sid: str, url: str) -> tuple[bytes, str]:
        if sid in deleted_recordings:
            raise TelephonyError("This recording was deleted.", permanent=True)
        return tone_wav(), "audio/wav"

    def delete_recording(self, *, sid: str) -> None:
        deleted_recordings.add(sid)
