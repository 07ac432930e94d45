"""Our lines' numbers at the provider: where their calls and texts go, checked and set.

``manage.py twilio_check`` reports every active line whose number the account does not hold or
whose webhooks point elsewhere; ``manage.py twilio_configure`` points them at PUBLIC_BASE_URL.
A line that takes WhatsApp is also a WhatsApp sender at the provider (Twilio's Senders API), with
webhooks of its own, checked and set the same way: its incoming messages go to the same
Messaging webhook as texts, its status callbacks to the same status webhook.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.urls import reverse

from calls.models import WHATSAPP_PREFIX, PhoneLine
from concierge.lib.telephony import TelephonyError, get_backend


class State(enum.StrEnum):
    READY = "ready"  # points at us
    ELSEWHERE = "elsewhere"  # the account holds it, but its webhooks point somewhere else
    MISSING = "missing"  # the account does not hold this number (or has no such sender)
    UNREACHABLE = "unreachable"  # the provider could not be asked
    CONFIGURED = "configured"  # was elsewhere, now points at us


@dataclass(frozen=True)
class LineReport:
    """How one line's number, or its WhatsApp sender (``number`` is then ``whatsapp:+…``),
    stands at the provider."""

    label: str
    number: str
    state: State
    detail: str = ""
    line: int = 0  # the line's pk: a line with a WhatsApp sender has two reports

    @property
    def ok(self) -> bool:
        return self.state in (State.READY, State.CONFIGURED)


def expected_urls() -> dict[str, str]:
    """The URLs every line's number must point at: the same for all lines (the number says
    which line a request is for)."""
    base = settings.PUBLIC_BASE_URL
    return {
        "voice_url": base + reverse("calls:voice-incoming"),
        "status_callback": base + reverse("calls:voice-status"),
        "sms_url": base + reverse("calls:sms-incoming"),
    }


def expected_sender_urls() -> dict[str, str]:
    """What a WhatsApp sender must point at: the texts' own webhooks, by POST."""
    base = settings.PUBLIC_BASE_URL
    return {
        "callback_url": base + reverse("calls:sms-incoming"),
        "callback_method": "POST",
        "status_callback_url": base + reverse("calls:sms-status"),
        "status_callback_method": "POST",
    }


def differences(found: Any, expected: dict[str, str]) -> list[str]:
    return [
        f"{field} is {getattr(found, field) or '(empty)'}"
        for field, url in expected.items()
        if getattr(found, field) != url
    ]


def lines_check() -> list[LineReport]:
    reports = []
    for line in active_lines():
        reports.append(line_check(line))
        if line.takes_whatsapp:
            reports.append(sender_check(line))
    return reports


def lines_configure(*, dry_run: bool = False) -> list[LineReport]:
    reports = []
    expected = expected_urls()
    for line in active_lines():
        report = line_check(line)
        if report.state is State.ELSEWHERE and not dry_run:
            report = line_configure(line, expected)
        reports.append(report)
        if line.takes_whatsapp:
            report = sender_check(line)
            if report.state is State.ELSEWHERE and not dry_run:
                report = sender_configure(line)
            reports.append(report)
    return reports


def active_lines() -> list[PhoneLine]:
    return list(PhoneLine.objects.filter(is_active=True).order_by("label", "pk"))


def _report(line: PhoneLine, number: str, state: State, detail: str = "") -> LineReport:
    return LineReport(line.label, number, state, detail, line=line.pk)


def line_check(line: PhoneLine) -> LineReport:
    number = str(line.number)
    try:
        found = get_backend().find_number(number=number)
    except TelephonyError as exc:
        return _report(line, number, State.UNREACHABLE, exc.message)
    if found is None:
        return _report(line, number, State.MISSING, "the account does not hold it")
    wrong = differences(found, expected_urls())
    if wrong:
        return _report(line, number, State.ELSEWHERE, "; ".join(wrong))
    return _report(line, number, State.READY)


def line_configure(line: PhoneLine, expected: dict[str, str]) -> LineReport:
    number = str(line.number)
    backend = get_backend()
    try:
        found = backend.find_number(number=number)
        if found is None:
            return _report(line, number, State.MISSING, "the account does not hold it")
        backend.configure_number(sid=found.sid, **expected)
    except TelephonyError as exc:
        return _report(line, number, State.UNREACHABLE, exc.message)
    return _report(line, number, State.CONFIGURED, ", ".join(expected.values()))


def sender_check(line: PhoneLine) -> LineReport:
    address = WHATSAPP_PREFIX + str(line.number)
    try:
        found = get_backend().find_whatsapp_sender(number=str(line.number))
    except TelephonyError as exc:
        return _report(line, address, State.UNREACHABLE, exc.message)
    if found is None:
        return _report(line, address, State.MISSING, NO_SENDER)
    wrong = differences(found, expected_sender_urls())
    if wrong:
        return _report(line, address, State.ELSEWHERE, "; ".join(wrong))
    return _report(line, address, State.READY)


def sender_configure(line: PhoneLine) -> LineReport:
    address = WHATSAPP_PREFIX + str(line.number)
    backend = get_backend()
    expected = expected_sender_urls()
    try:
        found = backend.find_whatsapp_sender(number=str(line.number))
        if found is None:
            return _report(line, address, State.MISSING, NO_SENDER)
        backend.configure_whatsapp_sender(
            sid=found.sid,
            callback_url=expected["callback_url"],
            status_callback_url=expected["status_callback_url"],
        )
    except TelephonyError as exc:
        return _report(line, address, State.UNREACHABLE, exc.message)
    urls = (expected["callback_url"], expected["status_callback_url"])
    return _report(line, address, State.CONFIGURED, ", ".join(urls))


# A sender is registered with WhatsApp (Meta's review of the business): never made here.
NO_SENDER = "the account has no WhatsApp sender for this number (register it in the Console)"
