"""The demo backend: nothing leaves the machine, every message is kept for the staff outbox."""

from __future__ import annotations

import uuid

from concierge.lib.telephony import SentMessage, TelephonyBackend, TelephonyError

from .fake_audio import tone_wav

# Recordings this backend was asked to delete (there is no real audio behind it).
deleted_recordings: set[str] = set()


class SandboxBackend(TelephonyBackend):
    def send_sms(
        self, *, to: str, body: str, from_: str, status_callback: str | None = None
    ) -> SentMessage:
        from calls.models import SandboxMessage

        message = SandboxMessage.objects.create(
            sid="SM" + uuid.uuid4().hex, to=to, from_number=from_, body=body
        )
        return SentMessage(sid=message.sid, status="delivered")

    def fetch_recording(self, *, sid: str, url: str) -> tuple[bytes, str]:
        if sid in deleted_recordings:
            raise TelephonyError("This recording was deleted.", permanent=True)
        return tone_wav(), "audio/wav"

    def delete_recording(self, *, sid: str) -> None:
        deleted_recordings.add(sid)
