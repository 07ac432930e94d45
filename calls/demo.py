"""Demo lines for ``manage.py seed_demo``, from the range of numbers reserved for fiction."""

from __future__ import annotations

from typing import Protocol

from .models import LineTier, PhoneLine


class Writer(Protocol):
    def write(self, msg: str) -> object: ...


LINES = [
    {
        "number": "+33199000000",
        "label": "France — national line",
        "tier": LineTier.STANDARD,
        "records_calls": False,
        "ivr_languages": "en,fr,de,es,it",
    },
    {
        "number": "+33199000001",
        "label": "France — premium line (recorded)",
        "tier": LineTier.PREMIUM,
        "records_calls": True,
        "ivr_languages": "en,fr,de,es,it",
    },
]


def seed(*, stdout: Writer) -> list[tuple[str, str]]:
    for line in LINES:
        PhoneLine.objects.update_or_create(
            number=line["number"], defaults={**line, "is_active": True}
        )
    stdout.write("Demo lines: +33 1 99 00 00 00 (standard), +33 1 99 00 00 01 (premium).\n")
    return []
