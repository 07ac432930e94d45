"""An ambassador's impact: the countries of the visitors they helped, the minutes they talked and
the public numbers of the lines they answer for. Read here, in the app that holds calls and texts;
the volunteers' dashboard shows it through the ``impact`` template tag and the API at
``/api/v1/me/impact/`` (the ambassadors app may not import this one). Three queries, however
many calls."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q, Sum

from ambassadors.models import Ambassador

from .countries import country_name
from .models import Call, Conversation, PhoneLine
from .public import LineShown, shown


@dataclass(frozen=True)
class CountryHelped:
    code: str  # ISO 3166, "DE"
    name: str  # in the reader's language
    flag: str  # the emoji flag, "🇩🇪"
    visitors: int  # calls answered and conversations replied to


@dataclass(frozen=True)
class Impact:
    calls: int
    conversations: int
    minutes: int
    countries: tuple[CountryHelped, ...]  # most visitors first
    lines: tuple[LineShown, ...]
    # What callers and texters thought (the survey, calls.ratings): how many answered, and their
    # average from 1 to 5 (None before the first answer). Filled by the API (calls.impact_api)
    # only: the dashboard shows it in its own card (templates/ambassadors/_satisfaction.html,
    # with the kind words), which reads it itself.
    rated: int = 0
    satisfaction: float | None = None


def flag(code: str) -> str:
    """The emoji flag of an ISO 3166 code: two regional indicator symbols."""
    return "".join(chr(0x1F1E6 + ord(letter) - ord("A")) for letter in code.upper())


def ambassador_impact(ambassador: Ambassador) -> Impact:
    calls = (
        Call.objects.filter(responder=ambassador, is_rehearsal=False, answered_at__isnull=False)
        .values("caller_country")
        .annotate(count=Count("pk"), seconds=Sum("duration"))
        .order_by()
    )
    texts = (
        Conversation.objects.filter(
            responder=ambassador, is_rehearsal=False, first_reply_at__isnull=False
        )
        .values("tourist_country")
        .annotate(count=Count("pk"))
        .order_by()
    )
    visitors: Counter[str] = Counter()
    call_count = seconds = conversation_count = 0
    for row in calls:
        visitors[row["caller_country"]] += row["count"]
        call_count += row["count"]
        seconds += row["seconds"] or 0
    for row in texts:
        visitors[row["tourist_country"]] += row["count"]
        conversation_count += row["count"]
    countries = sorted(
        (
            CountryHelped(code=code, name=country_name(code), flag=flag(code), visitors=count)
            for code, count in visitors.items()
            if code
        ),
        key=lambda country: (-country.visitors, country.name),
    )
    return Impact(
        calls=call_count,
        conversations=conversation_count,
        minutes=seconds // 60,
        countries=tuple(countries),
        lines=tuple(shown(line) for line in lines_answered_by(ambassador)),
    )


def lines_answered_by(ambassador: Ambassador) -> list[PhoneLine]:
    """The active lines whose calls may reach the ambassador: national lines (no regions), and
    the lines of the regions they know (every line when they know all France)."""
    lines = PhoneLine.objects.filter(is_active=True)
    if not ambassador.any_region:
        theirs = Ambassador.regions.through.objects.filter(ambassador=ambassador).values("region")
        regional = PhoneLine.objects.filter(regions__in=theirs).values("pk")
        lines = lines.filter(Q(regions__isnull=True) | Q(pk__in=regional))
    return list(lines.distinct().order_by("pk"))
