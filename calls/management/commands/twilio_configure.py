"""Point each active line's number, and the WhatsApp sender of a line that takes WhatsApp, at this
deployment (PUBLIC_BASE_URL) through Twilio's API."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from calls.telephony.numbers import expected_sender_urls, expected_urls, lines_configure

from .twilio_check import lines_not_ok, lines_of, print_reports


class Command(BaseCommand):
    help = (
        "Set the voice URL, the call status callback and the SMS URL of every active line's "
        "Twilio number to this deployment's PUBLIC_BASE_URL, and, for a line that takes "
        "WhatsApp, its WhatsApp sender's incoming-message and status callback URLs. Numbers and "
        "senders already right are left alone; run it again after changing PUBLIC_BASE_URL."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would change, change nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        for field, url in expected_urls().items():
            self.stdout.write(f"{field}: {url}")
        sender = expected_sender_urls()
        for field in ("callback_url", "status_callback_url"):
            self.stdout.write(f"WhatsApp sender's {field}: {sender[field]}")
        reports = lines_configure(dry_run=options["dry_run"])
        print_reports(self, reports)
        bad = lines_not_ok(reports)
        if bad and not options["dry_run"]:
            raise CommandError(f"{bad} of {len(lines_of(reports))} lines could not be configured.")
