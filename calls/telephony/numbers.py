"""Our lines' numbers at the provider: where their calls and texts go, checked and set.

``manage.py twilio_check`` reports every active line whose number the account does not hold or
whose webhooks point elsewhere; ``manage.py twilio_configure`` points them at PUBLIC_BASE_URL.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

from calls.models import PhoneLine
from concierge.lib.telephony import NumberSettings, TelephonyError, get_backend


class State(enum.StrEnum):
    READY = "ready"  # points at us
    ELSEWHERE = "elsewhere"  # the account holds it, but its webhooks point somewhere else
    MISSING = "missing"  # the account does not hold this number
    UNREACHABLE = "unreachable"  # the provider could not be asked
    CONFIGURED = "configured"  # was elsewhere, now points at us


@dataclass(frozen=True)
class LineReport:
    label: str
    number: str
    state: State
    detail: str = ""

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


def differences(found: NumberSettings, expected: dict[str, str]) -> list[str]:
    return [
        f"{field} is {getattr(found, field) or '(empty)'}"
        for field, url in expected.items()
        if getattr(found, field) != url
    ]


def lines_check() -> list[LineReport]:
    return [line_check(line) for line in active_lines()]


def lines_configure(*, dry_run: bool = False) -> list[LineReport]:
    reports = []
    expected = expected_urls()
    for line in active_lines():
        report = line_check(line)
        if report.state is State.ELSEWHERE and not dry_run:
            report = line_configure(line, expected)
        reports.append(report)
    return reports


def active_lines() -> list[PhoneLine]:
    return list(PhoneLine.objects.filter(is_active=True).order_by("label", "pk"))


def line_check(line: PhoneLine) -> LineReport:
    number = str(line.number)
    try:
        found = get_backend().find_number(number=number)
    except TelephonyError as exc:
        return LineReport(line.label, number, State.UNREACHABLE, exc.message)
    if found is None:
        return LineReport(line.label, number, State.MISSING, "the account does not hold it")
    wrong = differences(found, expected_urls())
    if wrong:
        return LineReport(line.label, number, State.ELSEWHERE, "; ".join(wrong))
    return LineReport(line.label, number, State.READY)


def line_configure(line: PhoneLine, expected: dict[str, str]) -> LineReport:
    number = str(line.number)
    backend = get_backend()
    try:
        found = backend.find_number(number=number)
        if found is None:
            return LineReport(line.label, number, State.MISSING, "the account does not hold it")
        backend.configure_number(sid=found.sid, **expected)
    except TelephonyError as exc:
        return LineReport(line.label, number, State.UNREACHABLE, exc.message)
    return LineReport(line.label, number, State.CONFIGURED, ", ".join(expected.values()))
