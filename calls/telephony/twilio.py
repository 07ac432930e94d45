"""The real backend, through the twilio SDK."""

from __future__ import annotations

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.rest import Client

from concierge.lib.telephony import SentMessage, TelephonyBackend, TelephonyError

# Twilio error codes that will fail again whatever we do (bad or unreachable number, opted out).
PERMANENT_ERRORS = {21211, 21214, 21408, 21610, 21612, 21614}


class TwilioBackend(TelephonyBackend):
    reaches_real_phones = True

    def __init__(self, client: Client | None = None) -> None:
        if client is None:
            if not (settings.TWILIO_ACCOUNT_SID and settings.TWILIO_AUTH_TOKEN):
                raise ImproperlyConfigured(
                    "The twilio backend needs TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN."
                )
            client = Client(settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN)
        self.client = client

    def send_sms(
        self, *, to: str, body: str, from_: str, status_callback: str | None = None
    ) -> SentMessage:
        params: dict[str, str] = {"to": to, "from_": from_, "body": body}
        if status_callback:
            params["status_callback"] = status_callback
        try:
            message = self.client.messages.create(**params)
        except TwilioRestException as exc:
            raise TelephonyError(
                f"Twilio refused the message ({exc.code}): {exc.msg}",
                permanent=exc.code in PERMANENT_ERRORS or 400 <= exc.status < 500,
            ) from exc
        except (TwilioException, requests.RequestException) as exc:
            raise TelephonyError(f"Twilio could not be reached: {exc}") from exc
        return SentMessage(sid=message.sid or "", status=str(message.status or "queued"))
