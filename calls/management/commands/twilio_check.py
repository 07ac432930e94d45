"""Report every active line whose number (or WhatsApp sender) is missing from the Twilio account
or points elsewhere."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from calls.telephony.numbers import LineReport, lines_check


class Command(BaseCommand):
    help = (
        "Check that each active line's number is held by the Twilio account and that its voice, "
        "status and SMS webhooks point at PUBLIC_BASE_URL, and, for a line that takes WhatsApp, "
        "that the account has its WhatsApp sender and that the sender's incoming-message and "
        "status webhooks point there too. Exits non-zero if any does not."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        reports = lines_check()
        print_reports(self, reports)
        if not reports:
            self.stdout.write("No active line.")
        bad = lines_not_ok(reports)
        if bad:
            raise CommandError(f"{bad} of {len(lines_of(reports))} lines are not ready.")


def print_reports(command: BaseCommand, reports: list[LineReport]) -> None:
    for report in reports:
        style = command.style.SUCCESS if report.ok else command.style.ERROR
        line = f"{report.label} ({report.number}): {style(report.state.value)}"
        if report.detail:
            line += f" — {report.detail}"
        command.stdout.write(line)


def lines_of(reports: list[LineReport]) -> set[int]:
    return {report.line for report in reports}


def lines_not_ok(reports: list[LineReport]) -> int:
    """How many lines have a report that is not ok (a number or a WhatsApp sender)."""
    return len(lines_of([report for report in reports if not report.ok]))
