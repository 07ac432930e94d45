"""``manage.py rebuild_figures [--from YYYY-MM-DD] [--to YYYY-MM-DD]``: recompute the line's
figures from the calls and conversations (days in the destination's time zone; both bounds
included; no bound: everything). Safe to run twice, and while calls come in."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from calls.figures.rollup import figures_rebuild


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"Not a date (YYYY-MM-DD): {text!r}") from None


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="first", type=str, help="first day (YYYY-MM-DD)")
        parser.add_argument("--to", dest="last", type=str, help="last day (YYYY-MM-DD)")

    def handle(self, *args: Any, first: str | None, last: str | None, **options: Any) -> None:
        start = _day(first) if first else None
        end = _day(last) if last else None
        if start and end and end < start:
            raise CommandError("--to comes before --from.")
        written = figures_rebuild(first=start, last=end)
        self.stdout.write(
            f"Rebuilt {written['hours']} hourly and {written['days']} daily rows of figures."
        )
