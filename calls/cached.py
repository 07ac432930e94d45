"""The line's read-mostly rows, kept in each process (concierge.lib.readmostly): the phone lines
(asked on every call and text), the numbers blocked after abuse, and the FAQ's answers
(ambassadors.cached keeps the communities a caller may ask for)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Min

from concierge.lib.readmostly import ReadMostly
from concierge.models import Community, Region

from .models import BlockedNumber, FaqEntry, PhoneLine


@dataclass(frozen=True)
class Line:
    """A line with what its calls ask of its regions: none (national: the menu asks), or one
    (that is the caller's region)."""

    line: PhoneLine
    region_count: int
    first_region_id: int | None

    @property
    def is_national(self) -> bool:
        return self.region_count == 0


@dataclass(frozen=True)
class Lines:
    by_id: dict[int, Line]
    active_by_number: dict[str, Line]


def _load_lines() -> Lines:
    rows = (
        PhoneLine.objects.select_related("community")
        .annotate(region_count=Count("regions"), first_region_id=Min("regions"))
        .order_by("pk")
    )
    lines = [Line(row, row.region_count, row.first_region_id) for row in rows]
    return Lines(
        by_id={line.line.pk: line for line in lines},
        active_by_number={str(line.line.number): line for line in lines if line.line.is_active},
    )


# A region deleted takes its links to lines with it, without a many-to-many signal.
LINES = ReadMostly("lines", _load_lines).watch(PhoneLine, Community, Region)
BLOCKED = ReadMostly(
    "blocked-numbers",
    lambda: frozenset(BlockedNumber.objects.values_list("number_hash", flat=True)),
).watch(BlockedNumber)


def _load_faq() -> dict[str, list[FaqEntry]]:
    entries: dict[str, list[FaqEntry]] = defaultdict(list)
    for entry in FaqEntry.objects.filter(is_active=True):
        entries[entry.language].append(entry)
    return dict(entries)


FAQ = ReadMostly("faq", _load_faq).watch(FaqEntry)


def active_line(number: str) -> Line | None:
    """The active line with this number (E.164)."""
    return LINES.get().active_by_number.get(number) if number else None


def line_by_id(pk: int) -> Line | None:
    """Any line, active or not (a call in progress keeps its line)."""
    return LINES.get().by_id.get(pk)


def is_blocked(number_hash: str) -> bool:
    return number_hash in BLOCKED.get()


def faq_entries(language: str) -> list[FaqEntry]:
    """The active FAQ entries in this language, in their order."""
    return FAQ.get().get(language, [])
