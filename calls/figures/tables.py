"""Every table of the dashboard, each with its chart; the CSV export writes the same tables.

A table is built from ``Figures`` by one function of BUILDERS: a new table (satisfaction, when
ratings land) is one more function there, and it appears on the page and in the exports."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from concierge.lib.languages import language_name

from ..countries import country_name
from ..models import WAIT_EDGES, Dimension
from . import charts
from .selectors import Both, Figures, Totals

# The best tourism board's first reply to a text (DESIGN, from the seeds): 64 minutes.
BENCHMARK_FIRST_REPLY = 64 * 60


@dataclass(frozen=True)
class Cell:
    value: object  # what the CSV writes: a number, a text, or None
    kind: str = "count"  # how the page writes it: text, count, share, seconds, change


@dataclass
class Table:
    slug: str  # the CSV's name
    title: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    chart: charts.Chart | None = None
    note: str = ""


def T(text: object) -> Cell:
    return Cell(text, "text")


def _change(now: float | None, before: float | None) -> Cell:
    if now is None or not before:
        return Cell(None, "change")
    return Cell((now - before) / before, "change")


def summary(f: Figures) -> Table:
    table = Table(
        "summary",
        _("In short"),
        [_("Measure"), _("This period"), _("Previous period"), _("Change")],
        note=_("Compared with %(first)s – %(last)s.")
        % {
            "first": date_format(f.period.previous().first),
            "last": date_format(f.period.previous().last),
        },
    )
    calls, texts, c0, t0 = f.total.calls, f.total.texts, f.previous.calls, f.previous.texts
    rows: list[tuple[str, float | None, float | None, str]] = [
        (_("Calls received"), calls.received, c0.received, "count"),
        (_("Calls answered"), calls.answered, c0.answered, "count"),
        (_("Share answered"), calls.answered_share, c0.answered_share, "share"),
        (_("Missed (nobody free)"), calls.missed, c0.missed, "count"),
        (_("Abandoned (caller hung up)"), calls.abandoned, c0.abandoned, "count"),
        (_("Callbacks requested"), calls.callbacks, c0.callbacks, "count"),
        (_("Time to a human, median"), calls.p50, c0.p50, "seconds"),
        (_("Time to a human, 90th percentile"), calls.p90, c0.p90, "seconds"),
        (_("Seconds in menus, mean"), calls.menu_mean, c0.menu_mean, "seconds"),
        (_("Conversations by text"), texts.received, t0.received, "count"),
        (_("First human reply, median"), texts.p50, t0.p50, "seconds"),
        (_("First human reply, 90th percentile"), texts.p90, t0.p90, "seconds"),
        (_("Texts answered at once by the FAQ"), texts.faq_instant, t0.faq_instant, "count"),
        (_("Calls taken by advisors on duty"), calls.advisor_share, c0.advisor_share, "share"),
    ]
    for label, now, before, kind in rows:
        table.rows.append([T(label), Cell(now, kind), Cell(before, kind), _change(now, before)])
    return table


def days(f: Figures) -> Table:
    table = Table(
        "days",
        _("Calls per day"),
        [_("Day"), _("Calls"), _("Answered"), _("Missed"), _("Abandoned"), _("Callbacks"),
         _("Texts"), _("Texts answered")],
    )  # fmt: skip
    columns = []
    for day, both in sorted(f.by_day.items()):
        c, t = both.calls, both.texts
        table.rows.append(
            [T(day.isoformat()), Cell(c.received), Cell(c.answered), Cell(c.missed),
             Cell(c.abandoned), Cell(c.callbacks), Cell(t.received), Cell(t.answered)]
        )  # fmt: skip
        other = c.received - c.answered - c.missed - c.abandoned
        columns.append((str(day.day), [c.answered, c.missed, c.abandoned, other]))
    table.chart = charts.stacked_bars(
        _("Calls per day"),
        _("Calls each day, answered, missed, abandoned and refused, stacked."),
        columns,
        [("answered", _("answered")), ("missed", _("missed")), ("abandoned", _("abandoned")),
         ("other", _("refused"))],
        every=max(1, len(columns) // 16),
    )  # fmt: skip
    return table


def weekdays() -> list[str]:
    return [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]


def hours(f: Figures) -> Table:
    names = weekdays()
    table = Table(
        "hours",
        _("Calls per hour of the week"),
        [_("Day"), *(f"{h:02d}" for h in range(24))],
        note=_("Hours in the destination's time zone."),
    )
    values = [[f.by_hour_of_week[(d, h)].calls.received for h in range(24)] for d in range(7)]
    for name, row in zip(names, values, strict=True):
        table.rows.append([T(name), *(Cell(v) for v in row)])
    table.chart = charts.grid(
        _("Calls per hour of the week"),
        _("Calls received by weekday and hour: the darker, the more."),
        names,
        [f"{h:02d}" for h in range(24)],
        values,
    )
    return table


def _bucket(index: int) -> str:
    low = WAIT_EDGES[index]
    if index + 1 == len(WAIT_EDGES):
        return _("%(low)s or more") % {"low": _duration(low)}
    return f"{_duration(low)} – {_duration(WAIT_EDGES[index + 1])}"


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds < 60:
        return pgettext("seconds", "%(n)s s") % {"n": seconds}
    if seconds < 3600:
        return pgettext("minutes", "%(n)s min") % {"n": round(seconds / 60)}
    return pgettext("hours", "%(n)s h") % {"n": round(seconds / 3600, 1)}


def waits(f: Figures) -> Table:
    table = Table(
        "waits",
        _("How long people waited for a human"),
        [_("Wait"), _("Calls"), _("Texts")],
        note=_("Medians and 90th percentiles are read from these counts, to the bucket."),
    )
    calls, texts = f.total.calls.histogram, f.total.texts.histogram
    for index in range(len(WAIT_EDGES)):
        table.rows.append([T(_bucket(index)), Cell(calls[index]), Cell(texts[index])])
    shown = [(_bucket(i), [calls[i]]) for i in range(10)]
    table.chart = charts.stacked_bars(
        _("Time to a human on the phone"),
        _("Answered calls by time from dialling to a local accepting."),
        shown,
        [("answered", _("calls"))],
        every=2,
    )
    return table


def texts(f: Figures) -> Table:
    t = f.total.texts
    table = Table(
        "texts",
        _("First human reply to a text"),
        [_("Measure"), _("Minutes")],
        note=_("The best tourism board answers a first message in 64 minutes."),
    )
    bars = [
        (_("Median"), t.p50, "answered"),
        (_("90th percentile"), t.p90, "answered"),
        (_("Best tourism board"), float(BENCHMARK_FIRST_REPLY), "benchmark"),
    ]
    for label, seconds, _css in bars:
        table.rows.append(
            [T(label), Cell(None if seconds is None else round(seconds / 60, 1), "minutes")]
        )
    table.chart = charts.horizontal_bars(
        _("First human reply to a text"),
        _("Median and 90th percentile of the first human reply, beside the best tourism board."),
        [
            (label, round(seconds / 60, 1), css)
            for label, seconds, css in bars
            if seconds is not None
        ],
        unit=" min",
    )
    return table


def handlers(f: Figures) -> Table:
    c, t = f.total.calls, f.total.texts
    table = Table(
        "handlers",
        _("Who answered"),
        [_("Who"), _("Calls"), _("Share of calls"), _("Texts"), _("Share of texts")],
    )

    def share(part: int, totals: Totals) -> Cell:
        handled = totals.by_advisor + totals.by_volunteer
        return Cell(part / handled if handled else None, "share")

    for label, calls, texts_ in (
        (_("Advisors on duty"), c.by_advisor, t.by_advisor),
        (_("Volunteers"), c.by_volunteer, t.by_volunteer),
    ):
        table.rows.append([T(label), Cell(calls), share(calls, c), Cell(texts_), share(texts_, t)])
    table.chart = charts.horizontal_bars(
        _("Who answered"),
        _("Calls and texts answered by advisors on duty and by volunteers."),
        [(_("Advisors on duty"), c.by_advisor + t.by_advisor, "advisor"),
         (_("Volunteers"), c.by_volunteer + t.by_volunteer, "answered")],
    )  # fmt: skip
    return table


def _breakdown(slug: str, title: str, heading: str, rows: dict[str, Both], unknown: str) -> Table:
    table = Table(
        slug,
        title,
        [heading, _("Calls"), _("Answered"), _("Missed"), _("Abandoned"), _("Callbacks"),
         _("Time to a human, mean"), _("Texts"), _("Texts answered"), _("First reply, mean")],
    )  # fmt: skip
    ordered = sorted(rows.items(), key=lambda kv: -(kv[1].calls.received + kv[1].texts.received))
    for label, both in ordered:
        c, t = both.calls, both.texts
        table.rows.append(
            [T(label or unknown), Cell(c.received), Cell(c.answered), Cell(c.missed),
             Cell(c.abandoned), Cell(c.callbacks), Cell(c.wait_mean, "seconds"),
             Cell(t.received), Cell(t.answered), Cell(t.wait_mean, "seconds")]
        )  # fmt: skip
    table.chart = charts.horizontal_bars(
        title,
        _("Calls and texts received, the ten largest."),
        [(label or unknown, both.calls.received + both.texts.received, "answered")
         for label, both in ordered[:10]],
    )  # fmt: skip
    return table


def countries(f: Figures) -> Table:
    named = {}
    for code, both in f.by_dimension[Dimension.COUNTRY].items():
        named[country_name(code) if code else ""] = both
    return _breakdown("countries", _("By caller's country"), _("Country"), named, _("Unknown"))


def languages(f: Figures) -> Table:
    named = {}
    for code, both in f.by_dimension[Dimension.LANGUAGE].items():
        named[language_name(code) if code else ""] = both
    return _breakdown("languages", _("By language"), _("Language"), named, _("Unknown"))


def topics(f: Figures) -> Table:
    return _breakdown(
        "topics", _("By topic"), _("Topic"), f.by_dimension[Dimension.TOPIC], _("No topic chosen")
    )


def communities(f: Figures) -> Table:
    """Calls and texts that asked for a community (a line's own, a menu choice, a phrase said
    or a keyword written), and how many a member of it answered."""
    table = Table(
        "communities",
        _("By community"),
        [_("Community"), _("Calls"), _("Answered"), _("Answered by a member"),
         _("Share answered by a member"), _("Time to a human, mean"), _("Texts"),
         _("Texts answered"), _("Texts answered by a member")],
        note=_("Only what asked for a community; a member is an approved one when counted."),
    )  # fmt: skip
    asked = {name: both for name, both in f.by_dimension[Dimension.COMMUNITY].items() if name}
    ordered = sorted(asked.items(), key=lambda kv: -(kv[1].calls.received + kv[1].texts.received))
    for name, both in ordered:
        c, t = both.calls, both.texts
        share = c.by_member / c.answered if c.answered else None
        table.rows.append(
            [T(name), Cell(c.received), Cell(c.answered), Cell(c.by_member),
             Cell(share, "share"), Cell(c.wait_mean, "seconds"), Cell(t.received),
             Cell(t.answered), Cell(t.by_member)]
        )  # fmt: skip
    table.chart = charts.horizontal_bars(
        _("By community"),
        _("Calls and texts answered by a member of the community asked for."),
        [(name, both.calls.by_member + both.texts.by_member, "answered") for name, both in ordered],
    )
    return table


def regions(f: Figures) -> Table:
    return _breakdown("regions", _("By region"), _("Region"), f.by_region, _("No region chosen"))


def lines(f: Figures) -> Table:
    return _breakdown("lines", _("By line"), _("Line"), f.by_line, "?")


def satisfaction(f: Figures) -> Table:
    """What visitors answered to the survey after a call or a text conversation (1 to 5)."""
    table = Table(
        "satisfaction",
        _("What visitors thought"),
        [_("Score"), _("After a call"), _("After texts"), _("Share")],
        note=_("Answers to the one text sent after a call of a minute or more, or after a text "
               "conversation. 1 and 2 go to the staff's review list."),
    )  # fmt: skip
    answers = sum(f.ratings.values())
    weighted = sum(score * n for (_channel, score), n in f.ratings.items())
    for score in (5, 4, 3, 2, 1):
        calls, texts = f.ratings.get(("call", score), 0), f.ratings.get(("text", score), 0)
        share = (calls + texts) / answers if answers else None
        table.rows.append([T(str(score)), Cell(calls), Cell(texts), Cell(share, "share")])
    average = f"{weighted / answers:.1f}" if answers else "–"
    table.rows.append([T(_("Average")), T(average), T(""), Cell(answers)])
    table.chart = charts.horizontal_bars(
        _("What visitors thought"),
        _("Answers per score, from 5 (great) to 1 (poor)."),
        [(str(score), sum(f.ratings.get((c, score), 0) for c in ("call", "text")),
          "answered" if score >= 3 else "missed")
         for score in (5, 4, 3, 2, 1)],
    )  # fmt: skip
    return table


BUILDERS: list[Callable[[Figures], Table]] = [
    summary, days, hours, waits, texts, handlers, satisfaction, countries, languages, topics,
    communities, regions, lines,
]  # fmt: skip


def figures_tables(f: Figures) -> list[Table]:
    return [build(f) for build in BUILDERS]
