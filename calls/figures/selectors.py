"""What a dashboard reads: a handful of aggregate queries over the rollups, whatever the size
of the period or of the line (issue 14: at most 12 queries, under 300 ms at a million calls)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from django.db.models import Case, Count, Q, Sum, Value, When

from concierge.lib.names import (
    COMMUNITY_NAMES,
    MOTIVE_NAMES,
    community_name,
    motive_name,
    region_name,
)
from concierge.lib.timezones import destination_tz
from concierge.models import CallMotive, Community, Region

from ..models import (
    WAIT_BUCKETS,
    WAIT_EDGES,
    Channel,
    Dimension,
    FigureDay,
    FigureHour,
    PhoneLine,
)
from ..ratings.selectors import ratings_answered
from .period import Period
from .scope import Scope

COUNTS = (
    "received", "answered", "missed", "abandoned", "refused", "callbacks", "faq_instant",
    "by_advisor", "by_volunteer", "by_member", "wait_count", "menu_count",
)  # fmt: skip
DURATIONS = ("wait_total", "menu_total")


def percentile(histogram: list[int], share: float) -> float | None:
    """The ``share`` percentile (0.5, 0.9) of the waits counted in ``histogram`` (one count per
    bucket of WAIT_EDGES), interpolated inside its bucket; the open last bucket gives its lower
    edge. None when nothing was counted."""
    total = sum(histogram)
    if not total:
        return None
    wanted = share * total
    below = 0
    for index, count in enumerate(histogram):
        if count and below + count >= wanted:
            low = WAIT_EDGES[index]
            if index + 1 == len(WAIT_EDGES):
                return float(low)
            high = WAIT_EDGES[index + 1]
            return low + (high - low) * (wanted - below) / count
        below += count
    return float(WAIT_EDGES[-1])


@dataclass
class Totals:
    """Sums of the rollups' measures over some rows (of one channel)."""

    received: int = 0
    answered: int = 0
    missed: int = 0
    abandoned: int = 0
    refused: int = 0
    callbacks: int = 0
    faq_instant: int = 0
    by_advisor: int = 0
    by_volunteer: int = 0
    by_member: int = 0
    wait_count: int = 0
    menu_count: int = 0
    wait_total: timedelta = field(default_factory=timedelta)
    menu_total: timedelta = field(default_factory=timedelta)
    histogram: list[int] = field(default_factory=lambda: [0] * len(WAIT_EDGES))

    def add(self, row: dict[str, Any]) -> None:
        for name, value in row.items():
            if name in COUNTS:
                setattr(self, name, getattr(self, name) + (value or 0))
            elif name in DURATIONS:
                setattr(self, name, getattr(self, name) + (value or timedelta()))
        if WAIT_BUCKETS[0] in row:
            self.histogram = [
                a + (row[b] or 0) for a, b in zip(self.histogram, WAIT_BUCKETS, strict=True)
            ]

    @property
    def answered_share(self) -> float | None:
        return self.answered / self.received if self.received else None

    @property
    def wait_mean(self) -> float | None:
        return self.wait_total.total_seconds() / self.wait_count if self.wait_count else None

    @property
    def menu_mean(self) -> float | None:
        return self.menu_total.total_seconds() / self.menu_count if self.menu_count else None

    @property
    def p50(self) -> float | None:
        return percentile(self.histogram, 0.5)

    @property
    def p90(self) -> float | None:
        return percentile(self.histogram, 0.9)

    @property
    def advisor_share(self) -> float | None:
        handled = self.by_advisor + self.by_volunteer
        return self.by_advisor / handled if handled else None


HOURLY = ("received", "answered", "missed", "abandoned", "callbacks")
BREAKDOWN = (
    "received", "answered", "missed", "abandoned", "callbacks", "by_member", "wait_total",
    "wait_count",
)  # fmt: skip


def _sums(names: tuple[str, ...]) -> dict[str, Sum]:
    return {name: Sum(name) for name in names}


@dataclass
class Both:
    """Calls and texts side by side."""

    calls: Totals = field(default_factory=Totals)
    texts: Totals = field(default_factory=Totals)

    def of(self, channel: str) -> Totals:
        return self.calls if channel == Channel.CALL else self.texts


@dataclass
class Figures:
    period: Period
    scope: Scope
    total: Both
    previous: Both
    by_day: dict[date, Both]
    by_hour_of_week: dict[tuple[int, int], Both]  # (weekday, hour) in the destination
    by_line: dict[str, Both]
    by_region: dict[str, Both]
    by_dimension: dict[Dimension, dict[str, Both]]
    # What visitors thought (calls.ratings): answers per (channel, score) in the period.
    ratings: dict[tuple[str, int], int] = field(default_factory=dict)


def figures_read(*, scope: Scope, period: Period) -> Figures:
    """Everything a dashboard shows, in six or seven queries (names included); each groups a
    few thousand rollup rows at most and sums only the measures its tables show."""
    total, previous = Both(), Both()
    by_day: dict[date, Both] = {day: Both() for day in period.days()}
    by_hour: dict[tuple[int, int], Both] = defaultdict(Both)
    tz = destination_tz()
    hours = FigureHour.objects.filter(scope.rows(), hour__gte=period.start, hour__lt=period.end)
    for row in hours.values("hour", "channel").annotate(**_sums(HOURLY)).order_by():
        local: datetime = row["hour"].astimezone(tz)
        channel = row["channel"]
        by_day.setdefault(local.date(), Both()).of(channel).add(row)
        by_hour[(local.weekday(), local.hour)].of(channel).add(row)
    before = period.previous()
    days = FigureDay.objects.filter(scope.rows(), dimension=Dimension.ALL)
    both_periods = days.filter(day__gte=before.first, day__lte=period.last).annotate(
        current=Case(When(day__gte=period.first, then=Value(1)), default=Value(0))
    )
    everything = COUNTS + DURATIONS + WAIT_BUCKETS
    for row in both_periods.values("current", "channel").annotate(**_sums(everything)).order_by():
        (total if row["current"] else previous).of(row["channel"]).add(row)
    by_line_id: dict[int, Both] = defaultdict(Both)
    by_region_id: dict[int, Both] = defaultdict(Both)
    places = FigureDay.objects.filter(
        scope.places(), dimension=Dimension.ALL, day__gte=period.first, day__lte=period.last
    )
    grouped = places.values("line_key", "region_key", "channel").annotate(**_sums(BREAKDOWN))
    for row in grouped.order_by():
        by_line_id[row["line_key"]].of(row["channel"]).add(row)
        by_region_id[row["region_key"]].of(row["channel"]).add(row)
    values = FigureDay.objects.filter(
        scope.rows(), day__gte=period.first, day__lte=period.last
    ).exclude(dimension=Dimension.ALL)
    by_dimension: dict[Dimension, dict[str, Both]] = {
        d: defaultdict(Both) for d in Dimension if d != Dimension.ALL
    }
    grouped = values.values("dimension", "value", "channel").annotate(**_sums(BREAKDOWN))
    for row in grouped.order_by():
        by_dimension[Dimension(row["dimension"])][row["value"]].of(row["channel"]).add(row)
    by_line, by_region = _named_places(by_line_id, by_region_id)
    return Figures(
        ratings=_ratings(scope, period),
        period=period,
        scope=scope,
        total=total,
        previous=previous,
        by_day=by_day,
        by_hour_of_week=by_hour,
        by_line=by_line,
        by_region=by_region,
        by_dimension=_named_topics(by_dimension),
    )


def _named_places(
    lines: dict[int, Both], regions: dict[int, Both]
) -> tuple[dict[str, Both], dict[str, Both]]:
    """The lines by label and the regions by name in the reader's language, in one query."""
    found: dict[tuple[str, int], tuple[str, str]] = {}
    if lines or regions:
        named_lines = (
            PhoneLine.objects.filter(pk__in=list(lines))
            .order_by()
            .values_list(Value("line"), "pk", "label", Value(""))
        )
        named_regions = (
            Region.objects.filter(pk__in=list(regions))
            .order_by()
            .values_list(Value("region"), "pk", "name", "code")
        )
        for side, pk, name, code in named_lines.union(named_regions, all=True):
            found[(side, pk)] = (name, code)

    def region(pk: int) -> str:
        name, code = found.get(("region", pk), ("", ""))
        return region_name(SimpleNamespace(code=code, name=name)) if name else ""

    return (
        {found.get(("line", pk), (f"#{pk}", ""))[0]: both for pk, both in lines.items()},
        {region(pk): both for pk, both in regions.items()},
    )


def _named_topics(dims: dict[Dimension, dict[str, Both]]) -> dict[Dimension, dict[str, Both]]:
    # The shipped topics and communities are named by code (no query); one made by staff
    # later, by its row.
    for dimension, shipped, model, name in (
        (Dimension.TOPIC, MOTIVE_NAMES, CallMotive, motive_name),
        (Dimension.COMMUNITY, COMMUNITY_NAMES, Community, community_name),
    ):
        codes = [code for code in dims[dimension] if code and code not in shipped]
        names = {code: str(shipped[code]) for code in dims[dimension] if code in shipped}
        if codes:
            names |= {row.code: name(row) for row in model.objects.filter(code__in=codes)}
        rows = dims[dimension]
        dims[dimension] = {str(names.get(code, code)): both for code, both in rows.items()}
    return dims


def _ratings(scope: Scope, period: Period) -> dict[tuple[str, int], int]:
    """Survey answers of the period by channel and score, in one grouped query over the ratings
    answered in it (an index on the answer's time), scoped like the rollups."""
    answered = ratings_answered().filter(answered_at__gte=period.start, answered_at__lt=period.end)
    if scope.network is not None:
        answered = answered.filter(
            Q(call__region_id__in=scope.regions) | Q(line_id__in=scope.lines)
        )
    grouped = (
        answered.annotate(
            channel=Case(When(call__isnull=False, then=Value("call")), default=Value("text"))
        )
        .values_list("channel", "score")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(channel, score): n for channel, score, n in grouped}
