"""The real backend, through the twilio SDK."""

from __future__ import annotations

import json
import re
from typing import Any

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from twilio.base.exceptions import TwilioException, TwilioRestException, TwilioServiceException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client
from twilio.rest.messaging.v2.channels_sender import ChannelsSenderContext

from concierge.lib.telephony import (
    NumberSettings,
    SenderSettings,
    SentMessage,
    TelephonyBackend,
    TelephonyError,
)

# Twilio error codes that will fail again whatever we do (bad or unreachable number, opted out).
PERMANENT_ERRORS = {21211, 21214, 21408, 21610, 21612, 21614}
# Refusals that say "not now" rather than "never": a timeout, throttling.
TEMPORARY_STATUSES = {408, 429}
# The SDK waits forever by default; a verification SMS is sent while the ambassador waits.
HTTP_TIMEOUT_SECONDS = 15
SENDERS_PAGE_SIZE = 200  # WhatsApp senders asked for per request (the API allows 1,000)


RECORDING_SID = re.compile(r"^RE[0-9a-fA-F]{32}$")


class TwilioBackend(TelephonyBackend):
    reaches_real_phones = True

    def __init__(self, client: Client | None = None) -> None:
        if client is None:
            if not (settings.TWILIO_ACCOUNT_SID and settings.TWILIO_AUTH_TOKEN):
                raise ImproperlyConfigured(
                    "The twilio backend needs TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN."
                )
            client = Client(
                settings.TWILIO_ACCOUNT_SID,
                settings.TWILIO_AUTH_TOKEN,
                http_client=TwilioHttpClient(timeout=HTTP_TIMEOUT_SECONDS),
            )
        self.client = client

    def send_sms(
        self, *, to: str, body: str, from_: str, status_callback: str | None = None
    ) -> SentMessage:
        params: dict[str, str] = {"to": to, "from_": from_, "body": body}
        return self._create_message(params, status_callback, refused="Twilio refused the message")

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
        """Through the Messages API with ContentSid and ContentVariables (a JSON object), and
        no Body: outside WhatsApp's window a Body is refused (error 63016)."""
        params: dict[str, str] = {
            "to": to,
            "from_": from_,
            "content_sid": content_sid,
            "content_variables": json.dumps(variables, ensure_ascii=False),
        }
        return self._create_message(params, status_callback, refused="Twilio refused the template")

    def _create_message(
        self, params: dict[str, str], status_callback: str | None, *, refused: str
    ) -> SentMessage:
        """One message through the Messages API: a refusal says whether it may work later."""
        if status_callback:
            params["status_callback"] = status_callback
        try:
            message = self.client.messages.create(**params)
        except (TwilioRestException, TwilioServiceException) as exc:
            raise refusal(refused, exc) from exc
        except (TwilioException, requests.RequestException) as exc:
            raise TelephonyError(f"Twilio could not be reached: {exc}") from exc
        return SentMessage(sid=message.sid or "", status=str(message.status or "queued"))

    def fetch_recording(self, *, sid: str, url: str) -> tuple[bytes, str]:
        """The audio, from Twilio's own API host: the URL a webhook gave is not trusted with
        our credentials (a forged one could name any host); the recording's SID says it all."""
        if not RECORDING_SID.match(sid):
            raise TelephonyError("Not a recording SID.", permanent=True)
        api = self.client.api.base_url.rstrip("/")
        account = self.client.account_sid or self.client.username
        try:
            response = requests.get(
                f"{api}/2010-04-01/Accounts/{account}/Recordings/{sid}.mp3",
                auth=(self.client.username, self.client.password),
                timeout=HTTP_TIMEOUT_SECONDS,
            )
        except requests.RequestException as exc:
            raise TelephonyError(f"Twilio could not be reached: {exc}") from exc
        if response.status_code != 200:
            raise TelephonyError(
                f"Twilio refused the recording ({response.status_code}).",
                permanent=response.status_code == 404,
            )
        return response.content, response.headers.get("Content-Type", "audio/mpeg")

    def delete_recording(self, *, sid: str) -> None:
        try:
            self.client.recordings(sid).delete()
        except (TwilioRestException, TwilioServiceException) as exc:
            if exc.status != 404:  # already gone is what we wanted
                raise refusal(f"Twilio refused to delete {sid}", exc) from exc
        except (TwilioException, requests.RequestException) as exc:
            raise TelephonyError(f"Twilio could not be reached: {exc}") from exc

    def place_call(
        self, *, to: str, from_: str, url: str, status_callback: str, timeout: int
    ) -> str:
        try:
            call = self.client.calls.create(
                to=to,
                from_=from_,
                url=url,
                method="POST",
                status_callback=status_callback,
                status_callback_method="POST",
                timeout=timeout,
            )
        except (TwilioRestException, TwilioServiceException) as exc:
            raise refusal("Twilio refused to place the call", exc) from exc
        except (TwilioException, requests.RequestException) as exc:
            raise TelephonyError(f"Twilio could not be reached: {exc}") from exc
        return call.sid or ""

    def end_call(self, *, sid: str) -> None:
        """``completed`` hangs up an answered call and cancels one still ringing; Twilio refuses
        (404, or 400 once it has ended) a call that is already over, which is what we wanted."""
        try:
            self.client.calls(sid).update(status="completed")
        except (TwilioRestException, TwilioServiceException) as exc:
            if exc.status not in (400, 404):
                raise refusal(f"Twilio refused to hang up {sid}", exc) from exc
        except (TwilioException, requests.RequestException) as exc:
            raise TelephonyError(f"Twilio could not be reached: {exc}") from exc

    def find_number(self, *, number: str) -> NumberSettings | None:
        try:
            found = self.client.incoming_phone_numbers.list(phone_number=number, limit=20)
        except (TwilioRestException, TwilioServiceException) as exc:
            raise refusal("Twilio refused to list the numbers", exc) from exc
        except (TwilioException, requests.RequestException) as exc:
            raise TelephonyError(f"Twilio could not be reached: {exc}") from exc
        # The filter matches on digits; keep only the exact number.
        for incoming in found:
            if incoming.phone_number == number:
                return number_settings(incoming)
        return None

    def configure_number(
        self, *, sid: str, voice_url: str, status_callback: str, sms_url: str
    ) -> NumberSettings:
        try:
            incoming = self.client.incoming_phone_numbers(sid).update(
                voice_url=voice_url,
                voice_method="POST",
                status_callback=status_callback,
                status_callback_method="POST",
                sms_url=sms_url,
                sms_method="POST",
            )
        except (TwilioRestException, TwilioServiceException) as exc:
            raise refusal(f"Twilio refused to configure {sid}", exc) from exc
        except (TwilioException, requests.RequestException) as exc:
            raise TelephonyError(f"Twilio could not be reached: {exc}") from exc
        return number_settings(incoming)

    def find_whatsapp_sender(self, *, number: str) -> SenderSettings | None:
        """Through the Senders API (Messaging v2), which lists an account's WhatsApp senders
        but cannot filter them by number: read them all, keep the line's."""
        address = f"whatsapp:{number}"
        senders = self.client.messaging.v2.channels_senders
        try:
            for sender in senders.stream(channel="whatsapp", page_size=SENDERS_PAGE_SIZE):
                if sender.sender_id == address:
                    return sender_settings(sender)
        except (TwilioRestException, TwilioServiceException) as exc:
            raise refusal("Twilio refused to list the WhatsApp senders", exc) from exc
        except (TwilioException, requests.RequestException) as exc:
            raise TelephonyError(f"Twilio could not be reached: {exc}") from exc
        return None

    def configure_whatsapp_sender(
        self, *, sid: str, callback_url: str, status_callback_url: str
    ) -> SenderSettings:
        webhook = {
            "callback_url": callback_url,
            "callback_method": "POST",
            "status_callback_url": status_callback_url,
            "status_callback_method": "POST",
        }
        try:
            sender = self.client.messaging.v2.channels_senders(sid).update(
                ChannelsSenderContext.MessagingV2ChannelsSenderRequestsUpdate({"webhook": webhook})
            )
        except (TwilioRestException, TwilioServiceException) as exc:
            raise refusal(f"Twilio refused to configure {sid}", exc) from exc
        except (TwilioException, requests.RequestException) as exc:
            raise TelephonyError(f"Twilio could not be reached: {exc}") from exc
        return sender_settings(sender)


def sender_settings(sender: object) -> SenderSettings:
    webhook: Any = getattr(sender, "webhook", None)
    found = webhook if isinstance(webhook, dict) else {}

    def text(value: object) -> str:
        return str(value or "")

    return SenderSettings(
        sid=text(getattr(sender, "sid", None)),
        address=text(getattr(sender, "sender_id", None)),
        callback_url=text(found.get("callback_url")),
        callback_method=text(found.get("callback_method")),
        status_callback_url=text(found.get("status_callback_url")),
        status_callback_method=text(found.get("status_callback_method")),
    )


def number_settings(incoming: object) -> NumberSettings:
    def text(name: str) -> str:
        return str(getattr(incoming, name, None) or "")

    return NumberSettings(
        sid=text("sid"),
        number=text("phone_number"),
        voice_url=text("voice_url"),
        status_callback=text("status_callback"),
        sms_url=text("sms_url"),
    )


def refusal(what: str, exc: TwilioRestException | TwilioServiceException) -> TelephonyError:
    """Twilio answered with an error: a TelephonyError saying whether a retry could work."""
    # Older endpoints answer {code, message}; RFC 9457 ones {code, title, detail}.
    detail = getattr(exc, "msg", "") or getattr(exc, "detail", "") or getattr(exc, "title", "")
    return TelephonyError(
        f"{what} (HTTP {exc.status}, code {exc.code}): {detail}",
        permanent=is_permanent(status=exc.status, code=exc.code),
    )


def is_permanent(*, status: int | None, code: int | None) -> bool:
    if code in PERMANENT_ERRORS:
        return True
    # A request Twilio judged wrong stays wrong; its own outages (5xx) and throttling pass.
    return status is not None and 400 <= status < 500 and status not in TEMPORARY_STATUSES
