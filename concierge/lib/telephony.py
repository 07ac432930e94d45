"""The telephony interface, chosen by the TELEPHONY_BACKEND setting like Django's e-mail backend.

The setting holds a dotted path (settings.py turns the environment's short names into one); the
backends themselves live in ``calls.telephony`` (only that app talks to Twilio), and the other
apps send through :func:`send_sms` and never import them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string


class TelephonyError(Exception):
    """Sending failed. ``permanent`` says whether retrying the same request could ever work."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent


@dataclass(frozen=True)
class SentMessage:
    sid: str
    status: str


@dataclass(frozen=True)
class NumberSettings:
    """Where the provider sends a number's calls and texts (empty string: nowhere)."""

    sid: str
    number: str
    voice_url: str
    status_callback: str
    sms_url: str


@dataclass(frozen=True)
class SenderSettings:
    """Where the provider sends a WhatsApp sender's incoming messages and its messages' status
    callbacks, and with which HTTP method (empty string: nowhere)."""

    sid: str
    address: str  # "whatsapp:+33…"
    callback_url: str
    callback_method: str
    status_callback_url: str
    status_callback_method: str


class TelephonyBackend:
    """What every backend implements. Numbers are E.164 strings."""

    #: True only for the backend that reaches real phones (demo data must never go there).
    reaches_real_phones = False

    def send_sms(
        self, *, to: str, body: str, from_: str, status_callback: str | None = None
    ) -> SentMessage:
        raise NotImplementedError

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
        """A pre-approved message template (WhatsApp outside its 24-hour window): the provider
        sends its approved words with ``variables``; ``body`` is what they say, for backends
        that show messages instead of sending them."""
        raise NotImplementedError

    def fetch_recording(self, *, sid: str, url: str) -> tuple[bytes, str]:
        """The audio of a call recording and its content type."""
        raise NotImplementedError

    def delete_recording(self, *, sid: str) -> None:
        """Delete a recording for good (retention); deleting a missing one is not an error."""
        raise NotImplementedError

    def place_call(
        self, *, to: str, from_: str, url: str, status_callback: str, timeout: int
    ) -> str:
        """Ring ``to`` from ``from_``; when picked up, the call follows the TwiML at ``url``.
        ``status_callback`` hears how it ended; it rings ``timeout`` seconds at most. Its SID."""
        raise TelephonyError("This backend places no calls.", permanent=True)

    def end_call(self, *, sid: str) -> None:
        """Hang up a call placed by :meth:`place_call`, ringing or answered; one already over
        is not an error (its status callback has said, or will say, how it ended)."""
        raise TelephonyError("This backend places no calls.", permanent=True)

    def find_number(self, *, number: str) -> NumberSettings | None:
        """The account's settings for ``number``, or None when the account does not hold it."""
        raise TelephonyError("This backend holds no phone numbers.", permanent=True)

    def configure_number(
        self, *, sid: str, voice_url: str, status_callback: str, sms_url: str
    ) -> NumberSettings:
        """Point a number's calls (and their status callbacks) and texts at these URLs."""
        raise TelephonyError("This backend holds no phone numbers.", permanent=True)

    def find_whatsapp_sender(self, *, number: str) -> SenderSettings | None:
        """The account's WhatsApp sender for ``number``, or None when it has none."""
        raise TelephonyError("This backend holds no WhatsApp senders.", permanent=True)

    def configure_whatsapp_sender(
        self, *, sid: str, callback_url: str, status_callback_url: str
    ) -> SenderSettings:
        """Point a WhatsApp sender's incoming messages and status callbacks at these URLs (POST)."""
        raise TelephonyError("This backend holds no WhatsApp senders.", permanent=True)


@cache
def _load(path: str) -> TelephonyBackend:
    try:
        cls = import_string(path)
    except ImportError as exc:
        raise ImproperlyConfigured(f"TELEPHONY_BACKEND {path!r} cannot be imported: {exc}") from exc
    return cls()


def get_backend() -> TelephonyBackend:
    return _load(settings.TELEPHONY_BACKEND)


def send_sms(
    *, to: str, body: str, from_: str | None = None, status_callback: str | None = None
) -> SentMessage:
    return get_backend().send_sms(
        to=to,
        body=body,
        from_=from_ or settings.TELEPHONY_DEFAULT_FROM,
        status_callback=status_callback,
    )


def send_template(
    *,
    to: str,
    from_: str,
    content_sid: str,
    variables: dict[str, str],
    body: str,
    status_callback: str | None = None,
) -> SentMessage:
    return get_backend().send_template(
        to=to,
        from_=from_,
        content_sid=content_sid,
        variables=variables,
        body=body,
        status_callback=status_callback,
    )
