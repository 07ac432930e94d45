"""The demo backend: nothing leaves the machine, every message is kept for the staff outbox."""

from __future__ import annotations

import uuid

from concierge.lib.telephony import SentMessage, TelephonyBackend

from .fake_audio import FakeRecordings
from .fake_calls import FakeCalls


class SandboxBackend(FakeCalls, FakeRecordings, TelephonyBackend):
    def send_sms(
        self, *, to: str, body: str, from_: str, status_callback: str | None = None
    ) -> SentMessage:
        from calls.models import SandboxMessage

        message = SandboxMessage.objects.create(
            sid="SM" + uuid.uuid4().hex, to=to, from_number=from_, body=body
        )
        return SentMessage(sid=message.sid, status="delivered")

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
        return self.send_sms(to=to, body=body, from_=from_, status_callback=status_callback)
