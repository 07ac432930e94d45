"""The simulated week: consecutive evenings on one population (issue 12, 2026-11-30).

Fairness and disturbance are properties of a volunteer's week, not of one evening: with about
one call per available local in an evening, a local's count is 0, 1 or 2 largely by chance.
``--evenings N`` runs N consecutive evenings (Monday first, each from 18:00 for ``--hours``) as
one simulation on one virtual clock: the queue positions, every local's record (their misses in
a row, their automatic switch-off) and each local's own answer rate carry over; nothing is
reloaded between evenings. A local the product switched off after
``CALL_MISSED_BEFORE_PAUSE`` misses in a row switches calls back on some morning
(:attr:`Model.resume_daily`), through the service the portal's switch calls.

The week's figures: per evening and over the week, with the Gini of calls accepted per
available hour counting a local's hours only while they accept calls, beside the same Gini for
an ideal strict rotation (:func:`rotation`), computed by Monte Carlo on the same locals,
hours and answered calls. The assumptions are in docs/PERFORMANCE.md ("The simulated week").
"""

from __future__ import annotations

import itertools
import math
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .evening import Configuration, Model, Result, Tourist

DAY = 86_400.0
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
ROTATIONS = 40  # Monte Carlo runs of the ideal rotation
QUEUE_HEAD = 3  # calls.routing.QUEUE_HEAD: the first few of the queue, one picked at random
# Routings that might lower the rings per answered call, tried on the ideal rotation first.
VARIANTS: dict[str, dict[str, Any]] = {
    f"who missed their last call tonight after the others of the queue's first {QUEUE_HEAD}": {
        "missed_last": QUEUE_HEAD
    },
    "a cool-down of 1 h after a miss": {"cooldown": 3600.0},
    "a cool-down of 24 h after a miss": {"cooldown": DAY},
}
Interval = tuple[float, float]  # seconds from the week's first evening


def subtract(windows: Sequence[Interval], blocked: Sequence[Interval]) -> list[Interval]:
    """``windows`` less every ``blocked`` interval."""
    result = list(windows)
    for b0, b1 in blocked:
        kept: list[Interval] = []
        for a, b in result:
            if b1 <= a or b <= b0:
                kept.append((a, b))
                continue
            if a < b0:
                kept.append((a, b0))
            if b1 < b:
                kept.append((b1, b))
        result = kept
    return result


def slot_windows(
    slots: Sequence[tuple[int, int]], *, first: int, evenings: int, hours: float
) -> list[list[Interval]]:
    """Per evening, the seconds (from the first evening's start) a local's weekly slots cover.
    ``slots`` are (start, end) minutes of the week; ``first`` is the first evening's minute of
    the week; a slot past Sunday midnight is stored beyond the week's end (seen a week either
    way, as :func:`benchmarks.evening.available_hours` does)."""
    week = 7 * 24 * 60
    result = []
    for k in range(evenings):
        begin = first + k * 1440
        end = begin + int(hours * 60)
        windows = []
        for lo, hi in slots:
            for shift in (-week, 0, week):
                a, b = max(lo + shift, begin), min(hi + shift, end)
                if a < b:
                    windows.append(((a - first) * 60.0, (b - first) * 60.0))
        result.append(sorted(windows))
    return result


def seconds(windows: Sequence[Interval]) -> float:
    return sum(b - a for a, b in windows)


@dataclass(frozen=True)
class Rotation:
    """One run of the ideal rotation: the Gini of calls accepted per available hour over the
    week and per evening, and how many locals were offered a call per call accepted."""

    gini: float
    evenings: list[float]
    rings: float


def rotation(
    calls: Sequence[float],
    windows: dict[int, list[list[Interval]]],
    rates: dict[int, float],
    rng: random.Random,
    *,
    missed_last: int = 0,
    cooldown: float = 0.0,
) -> Rotation:
    """One run of an ideal strict rotation: each call (its instant, seconds) is offered to the
    available locals in turn — whoever was offered a call longest ago first, never twice for
    one call, nobody ever busy — each accepting at their own rate.

    ``missed_last``: a routing that might lower the rings (issue 12, 2026-11-30, exploratory):
    among the first ``missed_last`` available locals of the queue, those who let their last
    call tonight go unanswered go after those who did not. ``cooldown``: a local who let a
    call go unanswered is not offered another for that many seconds."""
    from .evening import gini

    evenings = len(next(iter(windows.values()), []))
    order = list(windows)
    rng.shuffle(order)  # the queue's order as the week begins
    rank = {pk: i for i, pk in enumerate(order)}
    stamps = itertools.count(len(order))
    accepted: list[Counter[int]] = [Counter() for _ in range(evenings)]
    missed: dict[int, int] = {}  # the evening a local's last offer went unanswered
    missed_at: dict[int, float] = {}  # when
    offers = 0
    for k in range(evenings):
        queue = sorted((pk for pk in order if windows[pk][k]), key=rank.__getitem__)
        for t in (t for t in calls if k * DAY <= t < (k + 1) * DAY):
            i, tried = 0, 0
            while i < len(queue) - tried:
                if not any(a <= t < b for a, b in windows[queue[i]][k]) or (
                    cooldown and t < missed_at.get(queue[i], -math.inf) + cooldown
                ):
                    i += 1
                    continue
                chosen = i
                if missed_last and missed.get(queue[i]) == k:
                    head = [
                        j
                        for j in range(i, len(queue) - tried)
                        if any(a <= t < b for a, b in windows[queue[j]][k])
                    ][:missed_last]
                    chosen = next((j for j in head if missed.get(queue[j]) != k), i)
                pk = queue.pop(chosen)
                queue.append(pk)  # to the back of the queue
                rank[pk] = next(stamps)
                tried += 1
                offers += 1
                if rng.random() < rates[pk]:
                    accepted[k][pk] += 1
                    missed.pop(pk, None)
                    break
                missed[pk], missed_at[pk] = k, t
    week, by_evening = per_hour_gini(accepted, windows, gini)
    return Rotation(week, by_evening, offers / (sum(sum(c.values()) for c in accepted) or 1))


def per_hour_gini(
    accepted: list[Counter[int]],
    windows: dict[int, list[list[Interval]]],
    gini: Callable[[list[float]], float],
) -> tuple[float, list[float]]:
    """The Gini of calls accepted per available hour, over the week and per evening."""
    week = [
        sum(c[pk] for c in accepted) / (sum(map(seconds, w)) / 3600)
        for pk, w in windows.items()
        if sum(map(seconds, w))
    ]
    evenings = [
        gini(
            [accepted[k][pk] / (seconds(w[k]) / 3600) for pk, w in windows.items() if seconds(w[k])]
        )
        for k in range(len(accepted))
    ]
    return gini(week), evenings


@dataclass
class Day:
    """One evening of the week (or the week itself: ``index`` -1)."""

    index: int
    tourists: list[Tourist]
    rings: int
    accepted: int
    gini: float
    locals_available: int
    by_locals: int = 0  # calls accepted by a local (not an advisor): the rotation's calls
    paused: int = 0  # switched off by misses in a row during the evening
    resumed: int = 0  # switched back on the morning before it
    rotation: tuple[float, float, float] = (math.nan, math.nan, math.nan)  # mean, min, max
    rotation_rings: float = math.nan  # the ideal rotation's rings per answered call (mean)
    # Exploratory routings (:data:`VARIANTS`), the same way: Gini (mean, min, max), rings.
    variants: dict[str, tuple[tuple[float, float, float], float]] = field(default_factory=dict)


@dataclass
class WeekResult:
    days: list[Day]
    week: Day
    start: datetime
    resume_daily: float
    paused_at_end: int = 0
    # Per local switched off during the run: [off, back on] in seconds (inf: still off).
    pauses: dict[int, list[list[float]]] = field(default_factory=dict)


class Week:
    """The week's part of :class:`benchmarks.evening.Evening` (a mixin: the clock, the queue
    and the model are the evening's)."""

    model: Model
    configuration: Configuration
    clock: float
    start: datetime
    hours: float
    seed: int
    offsets: list[float]
    tourists: list[Tourist]
    pauses: dict[int, list[list[float]]]
    resumed: Counter[int]

    def at(self, t: float, action: Callable[[], None]) -> None:
        raise NotImplementedError

    def propensity(self, number: str) -> float:
        raise NotImplementedError

    def schedule_mornings(self) -> None:
        """Each morning after an evening (09:00 if evenings begin at 18:00), the locals switched
        off the evening before decide whether to switch their calls back on."""
        self.pauses = {}
        self.resumed = Counter()
        self.resume_rng = random.Random(self.seed + 2)  # noqa: S311 - its own stream
        for k, offset in enumerate(self.offsets[1:], start=1):
            self.at(offset - 9 * 3600, lambda k=k: self.morning(k))  # type: ignore[misc]
            # The week so far, printed as each evening is over (a long run's partial figures).
            self.at(offset - 10 * 3600, lambda k=k: self.so_far(k))  # type: ignore[misc]

    def so_far(self, evenings: int) -> None:
        print(f"\n{self.configuration.name}, the first {evenings} evenings:", flush=True)
        so_far = [(self.configuration.name, self.week_result(evenings))]
        print_table(so_far)
        print_notes(so_far)

    def record_pauses(self) -> None:
        from ambassadors.models import Ambassador

        switched = Ambassador.objects.filter(
            accepting_calls=False, auto_paused_at__gte=self.start
        ).values_list("pk", "auto_paused_at")
        for pk, at in switched:
            assert at is not None  # filtered on it
            intervals = self.pauses.setdefault(pk, [])
            if not intervals or intervals[-1][1] != math.inf:
                intervals.append([(at - self.start).total_seconds(), math.inf])

    def morning(self, k: int) -> None:
        """Each local switched off (and not yet back) switches calls on with the chance
        ``resume_daily``, through the service behind the portal's switch."""
        from ambassadors.models import Ambassador
        from ambassadors.services import ambassador_set_accepting

        self.record_pauses()
        for pk in sorted(self.pauses):
            intervals = self.pauses[pk]
            if intervals[-1][1] != math.inf:
                continue
            if self.resume_rng.random() < self.model.resume_daily:
                ambassador_set_accepting(ambassador=Ambassador.objects.get(pk=pk), accepting=True)
                intervals[-1][1] = self.clock
                self.resumed[k] += 1

    # Figures.

    def week_windows(
        self, evenings: int
    ) -> tuple[dict[int, list[list[Interval]]], dict[int, float]]:
        """Per local who could take calls this week, the seconds of each evening they were in a
        slot and accepting calls (not paused by hand, not switched off); and their answer
        rate."""
        from ambassadors.models import Ambassador, AvailabilitySlot

        from .selector import NOW

        local = self.start.astimezone(NOW.tzinfo)
        first = local.weekday() * 1440 + local.hour * 60 + local.minute
        people = Ambassador.objects.filter(
            is_active=True, onboarded_at__isnull=False, phone_verified_at__isnull=False
        ).values_list("pk", "accepting_calls", "paused_until", "phone_number")
        callable_: dict[int, tuple[datetime | None, str]] = {
            pk: (until, str(number))
            for pk, accepting, until, number in people
            if accepting or pk in self.pauses
        }
        slots: dict[int, list[tuple[int, int]]] = {}
        rows = AvailabilitySlot.objects.filter(ambassador_id__in=list(callable_)).values_list(
            "ambassador_id", "start_minute", "end_minute"
        )
        for pk, begin, end in rows:
            slots.setdefault(pk, []).append((begin, end))
        windows: dict[int, list[list[Interval]]] = {}
        rates: dict[int, float] = {}
        for pk, own in slots.items():
            until, number = callable_[pk]
            blocked: list[Interval] = [(a, b) for a, b in self.pauses.get(pk, [])]
            if until is not None:
                blocked.append((-math.inf, (until - self.start).total_seconds()))
            days = slot_windows(own, first=first, evenings=evenings, hours=self.hours)
            days = [subtract(day, blocked) for day in days]
            if any(days):
                windows[pk] = days
                rates[pk] = self.propensity(number)
        return windows, rates

    def week_result(self, evenings: int = 0) -> WeekResult:
        """The figures of the first ``evenings`` (all by default)."""
        from calls.models import AttemptOutcome, CallAttempt

        from .evening import LINE_NUMBER, gini

        evenings = evenings or len(self.offsets)
        self.record_pauses()
        windows, rates = self.week_windows(evenings)
        attempts = list(
            CallAttempt.objects.filter(
                call__line__number=LINE_NUMBER,
                started_at__lt=self.start + timedelta(days=evenings),
            ).values_list("started_at", "outcome", "ambassador_id")
        )

        def evening_of(at: datetime) -> int:
            return min(evenings - 1, int((at - self.start).total_seconds() // DAY))

        rings, answered = Counter[int](), Counter[int]()
        accepted: list[Counter[int]] = [Counter() for _ in range(evenings)]
        calls: list[float] = []  # instants of the calls a local accepted
        for started, outcome, pk in attempts:
            k = evening_of(started)
            rings[k] += 1
            if outcome == AttemptOutcome.ACCEPTED:
                answered[k] += 1
                if pk is not None:
                    accepted[k][pk] += 1
                    calls.append((started - self.start).total_seconds())
        week_gini, gini_by_evening = per_hour_gini(accepted, windows, gini)
        rng = random.Random(self.seed + 3)  # noqa: S311 - a reproducible reference
        calls.sort()
        reference = [rotation(calls, windows, rates, rng) for _ in range(ROTATIONS)]
        variants = {
            name: [rotation(calls, windows, rates, rng, **kwargs) for _ in range(ROTATIONS)]
            for name, kwargs in VARIANTS.items()
        }
        paused = Counter(
            evening_of(self.start + timedelta(seconds=s))
            for intervals in self.pauses.values()
            for s, _ in intervals
            if s < evenings * DAY
        )

        def spread(values: list[float]) -> tuple[float, float, float]:
            return sum(values) / len(values), min(values), max(values)

        days = [
            Day(
                index=k,
                tourists=[t for t in self.tourists if int(t.dialled // DAY) == k],
                rings=rings[k],
                accepted=answered[k],
                gini=gini_by_evening[k],
                locals_available=sum(bool(w[k]) for w in windows.values()),
                paused=paused[k],
                resumed=self.resumed[k],
                rotation=spread([r.evenings[k] for r in reference]),
            )
            for k in range(evenings)
        ]
        week = Day(
            index=-1,
            tourists=[t for t in self.tourists if t.dialled < evenings * DAY],
            rings=sum(rings.values()),
            accepted=sum(answered.values()),
            gini=week_gini,
            locals_available=len(windows),
            by_locals=len(calls),
            paused=sum(paused.values()),
            resumed=sum(n for k, n in self.resumed.items() if k < evenings),
            rotation=spread([r.gini for r in reference]),
            rotation_rings=spread([r.rings for r in reference])[0],
            variants={
                name: (spread([r.gini for r in runs]), spread([r.rings for r in runs])[0])
                for name, runs in variants.items()
            },
        )
        still = sum(i[-1][1] >= evenings * DAY for i in self.pauses.values())
        return WeekResult(
            days,
            week,
            self.start,
            self.model.resume_daily,
            paused_at_end=still,
            pauses=self.pauses,
        )


def print_week(results: list[Result]) -> None:
    """Per configuration, each evening and the week."""
    weeks = [(r.configuration.name, r.week) for r in results if r.week is not None]
    if not weeks:
        return
    print(
        f"\n## The week: {len(weeks[0][1].days)} evenings on one population "
        f"(queue and records carried over; a local switched off by misses in a row switches "
        f"calls back on each morning with a chance of {weeks[0][1].resume_daily:.0%})\n"
    )
    print_table(weeks)
    print_notes(weeks)


def print_notes(weeks: list[tuple[str, WeekResult]]) -> None:
    for name, week in weeks:
        print(
            f"\n- {name}: {week.week.paused} switch-offs by misses in a row over "
            f"the week, {week.week.resumed} switched back on, {week.paused_at_end} still off at "
            f"the end; the ideal strict rotation over the same locals, hours and the "
            f"{week.week.by_locals} calls locals accepted (Monte Carlo, {ROTATIONS} runs) gives a "
            f"week's Gini of {week.week.rotation[0]:.2f} against the routing's "
            f"{week.week.gini:.2f}, with {week.week.rotation_rings:.2f} rings per answered "
            f"call against the routing's {week.week.rings / (week.week.accepted or 1):.2f}. "
            "Exploratory, the same rotation with "
            + "; ".join(
                f"{variant}: Gini {g[0]:.2f} ({g[1]:.2f}–{g[2]:.2f}), {rings:.2f} rings"
                for variant, (g, rings) in week.week.variants.items()
            )
            + "."
        )


def print_table(weeks: list[tuple[str, WeekResult]]) -> None:
    from .evening import percentile

    print(
        "| configuration | evening | calls | reached a human | abandoned | dial→accept p50 s "
        "| p90 | rings per answered call | rings for nothing | locals available "
        "| switched off | back on | Gini | ideal rotation's Gini (mean, range) |"
    )
    print("| --- | --- |" + " ---: |" * 12)
    for name, week in weeks:
        for day in (*week.days, week.week):
            label = "week" if day.index < 0 else f"{day.index + 1} {day_name(week, day)}"
            calls = len(day.tourists) or 1
            waits = [t.accepted - t.dialled for t in day.tourists if t.accepted is not None]
            abandoned = sum(t.outcome == "abandoned" for t in day.tourists)
            mean, low, high = day.rotation
            bold = "**" if day.index < 0 else ""
            print(
                f"| {name} | {bold}{label}{bold} | {len(day.tourists)} "
                f"| {len(waits) / calls:.1%} | {abandoned / calls:.1%} "
                f"| {percentile(waits, 0.5):.0f} | {percentile(waits, 0.9):.0f} "
                f"| {bold}{day.rings / (len(waits) or 1):.2f}{bold} "
                f"| {(day.rings - day.accepted) / (day.rings or 1):.0%} "
                f"| {day.locals_available} | {day.paused} | {day.resumed} "
                f"| {bold}{day.gini:.2f}{bold} | {mean:.2f} ({low:.2f}–{high:.2f}) |",
                flush=True,
            )


def day_name(week: WeekResult, day: Day) -> str:
    from .selector import NOW

    begins = (week.start + timedelta(days=day.index)).astimezone(NOW.tzinfo)
    return WEEKDAYS[begins.weekday()]
