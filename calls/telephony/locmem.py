"""A backend for tests: messages land in :data:`outbox`, like ``django.core.mail.outbox``."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from concierge.lib.telephony import SentMessage, TelephonyBackend

from .fake_audio import FakeRecordings


@dataclass(frozen=True)
class OutgoingSMS:
    sid: str
    to: str
    from_: str
    body: str
    status_callback: str | None


outbox: list[OutgoingSMS] = []
# Recordings deleted through a fake backend, for tests to inspect (like ``outbox``).
deleted_recordings = FakeRecordings.deleted


class LocmemBackend(FakeRecordings, TelephonyBackend):
    def send_sms(
        self, *, to: str, body: str, from_: str, status_callback: str | None = None
    ) -> SentMessage:
        sid = "SM" + uuid.uuid4().hex
        outbox.append(OutgoingSMS(sid, to, from_, body, status_callback))
        return SentMessage(sid=sid, status="queued")
