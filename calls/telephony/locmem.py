"""A backend for tests: messages land in :data:`outbox`, like ``django.core.mail.outbox``."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace

from concierge.lib.telephony import NumberSettings, SenderSettings, SentMessage, TelephonyBackend

from .fake_audio import FakeRecordings
from .fake_calls import FakeCalls


@dataclass(frozen=True)
class OutgoingSMS:
    sid: str
    to: str
    from_: str
    body: str
    status_callback: str | None
    # A WhatsApp template: its ContentSid and variables (``body`` says what it reads).
    content_sid: str = ""
    content_variables: dict[str, str] | None = None


outbox: list[OutgoingSMS] = []
# Recordings deleted through a fake backend, for tests to inspect (like ``outbox``).
deleted_recordings = FakeRecordings.deleted
# The numbers the fake account holds, by number; tests add some and read what was configured.
numbers: dict[str, NumberSettings] = {}
# Its WhatsApp senders, by number (not by "whatsapp:" address), the same way.
senders: dict[str, SenderSettings] = {}


class LocmemBackend(FakeCalls, FakeRecordings, TelephonyBackend):
    def send_sms(
        self, *, to: str, body: str, from_: str, status_callback: str | None = None
    ) -> SentMessage:
        sid = "SM" + uuid.uuid4().hex
        outbox.append(OutgoingSMS(sid, to, from_, body, status_callback))
        return SentMessage(sid=sid, status="queued")

    def send_template(
        self,
        *,
        to: str,
        from_: str,
        content_sid: str,
        variables: dict[str, str],
        body: str,
        status_callback: str | None = None,
    ) -> SentMessage:
        sid = "SM" + uuid.uuid4().hex
        outbox.append(OutgoingSMS(sid, to, from_, body, status_callback, content_sid, variables))
        return SentMessage(sid=sid, status="queued")

    def find_number(self, *, number: str) -> NumberSettings | None:
        return numbers.get(number)

    def configure_number(
        self, *, sid: str, voice_url: str, status_callback: str, sms_url: str
    ) -> NumberSettings:
        held = next(settings for settings in numbers.values() if settings.sid == sid)
        numbers[held.number] = NumberSettings(
            sid=sid,
            number=held.number,
            voice_url=voice_url,
            status_callback=status_callback,
            sms_url=sms_url,
        )
        return numbers[held.number]

    def find_whatsapp_sender(self, *, number: str) -> SenderSettings | None:
        return senders.get(number)

    def configure_whatsapp_sender(
        self, *, sid: str, callback_url: str, status_callback_url: str
    ) -> SenderSettings:
        number, held = next((n, held) for n, held in senders.items() if held.sid == sid)
        senders[number] = replace(
            held,
            callback_url=callback_url,
            callback_method="POST",
            status_callback_url=status_callback_url,
            status_callback_method="POST",
        )
        return senders[number]
