"""The line's figures against a hand-computed day (tests/calls/figures_world.py): counts,
percentiles read from the histogram, and a call counted once however often the task runs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command

from calls.figures.rollup import (
    figures_count_call,
    figures_count_conversation,
    figures_count_ended,
    figures_rebuild,
)
from calls.figures.selectors import percentile
from calls.models import (
    EVERY_LINE,
    WAIT_EDGES,
    Call,
    CallStatus,
    Conversation,
    Dimension,
    FigureDay,
    FigureHour,
    PhoneLine,
)
from calls.voice.services import call_hung_up, call_set_status

from ..factories import make_ambassador
from ..rotas.people import Team
from .figures_world import DAY, Figures, at, call

pytestmark = pytest.mark.django_db


@pytest.fixture
def line():
    return PhoneLine.objects.create(number="+33199000000", label="National")


@pytest.fixture
def world(line):
    team = Team()
    return Figures(line, make_ambassador("camille@example.com"), team.advisor_a)


def every_line(channel: str) -> dict:
    """The day's totals of every line, from the rollups."""
    row = FigureDay.objects.get(line_key=EVERY_LINE, dimension=Dimension.ALL, channel=channel)
    return {
        f.name: getattr(row, f.name)
        for f in FigureDay._meta.fields
        if f.name not in ("id", "day", "line_key", "region_key", "channel", "dimension", "value")
    }


def snapshot() -> list[tuple]:
    hours = sorted(
        FigureHour.objects.values_list(*(f.attname for f in FigureHour._meta.fields[1:]))
    )
    days = sorted(FigureDay.objects.values_list(*(f.attname for f in FigureDay._meta.fields[1:])))
    return hours + days


def test_it_counts_the_calls_of_the_day_as_computed_by_hand(world):
    figures_rebuild()

    calls = every_line("call")
    assert calls["received"] == 7  # the rehearsal is left out
    assert (calls["answered"], calls["missed"], calls["abandoned"], calls["refused"]) == (
        4,
        1,
        1,
        1,
    )
    assert calls["callbacks"] == 1
    assert (calls["by_advisor"], calls["by_volunteer"]) == (1, 3)
    assert calls["wait_total"] == timedelta(seconds=8 + 25 + 50 + 200)
    assert calls["wait_count"] == 4
    assert calls["menu_total"] == timedelta(seconds=5 + 15 + 30 + 60 + 12)
    assert calls["menu_count"] == 5
    # 8 s → [0, 10), 25 s → [20, 30), 50 s → [45, 60), 200 s → [180, 300)
    assert [calls[f"w{i}"] for i in range(9)] == [1, 0, 1, 0, 1, 0, 0, 0, 1]


def test_it_counts_the_texts_of_the_day_as_computed_by_hand(world):
    figures_rebuild()

    texts = every_line("text")
    assert (texts["received"], texts["answered"], texts["missed"]) == (3, 2, 1)
    assert texts["faq_instant"] == 2
    assert texts["wait_total"] == timedelta(minutes=93)
    # 3 minutes → [180, 300) s; 90 minutes → [64 min, 2 h)
    assert texts["w8"] == 1 and texts["w13"] == 1 and sum(texts[f"w{i}"] for i in range(16)) == 2


def test_it_files_calls_under_their_hour_region_and_dimensions(world, line):
    figures_rebuild()

    hours = FigureHour.objects.filter(line_key=line.pk, channel="call")
    assert {(h.hour, h.region_key, h.received) for h in hours} == {
        (at(16), world.calls[0].region_id, 1),
        (at(16), 0, 1),
        (at(17), 0, 5),
    }
    countries = FigureDay.objects.filter(
        line_key=EVERY_LINE, dimension=Dimension.COUNTRY, channel="call"
    )
    assert {c.value: c.received for c in countries} == {"DE": 5, "IT": 1, "US": 1}
    topics = FigureDay.objects.filter(
        line_key=EVERY_LINE, dimension=Dimension.TOPIC, channel="call"
    )
    assert {t.value: t.received for t in topics} == {"food-and-wine": 2, "": 5}
    assert {d.day for d in FigureDay.objects.all()} == {DAY.date()}


def test_it_reads_medians_and_90th_percentiles_to_the_bucket(world):
    figures_rebuild()
    calls = every_line("call")
    histogram = [calls[f"w{i}"] for i in range(len(WAIT_EDGES))]

    # Exact: waits 8, 25, 50, 200 s: the median lies between 25 and 50 s, the 90th near 200.
    median, ninetieth = percentile(histogram, 0.5), percentile(histogram, 0.9)
    assert median is not None and 20 <= median < 60
    assert ninetieth is not None and 180 <= ninetieth < 300
    assert percentile([0] * len(WAIT_EDGES), 0.5) is None
    assert percentile([0] * (len(WAIT_EDGES) - 1) + [3], 0.9) == WAIT_EDGES[-1]


def test_it_counts_a_call_once_however_often_the_task_runs(world):
    for c in world.calls:
        assert figures_count_call(call_id=c.pk)
    for t in world.texts:
        assert figures_count_conversation(conversation_id=t.pk)
    once = snapshot()

    assert not any(figures_count_call(call_id=c.pk) for c in world.calls)
    assert not any(figures_count_conversation(conversation_id=t.pk) for t in world.texts)
    assert not figures_count_call(call_id=world.rehearsal.pk)
    assert snapshot() == once
    assert every_line("call")["received"] == 7


def test_it_rebuilds_to_what_the_task_counted(world):
    for c in world.calls:
        figures_count_call(call_id=c.pk)
    for t in world.texts:
        figures_count_conversation(conversation_id=t.pk)
    counted = snapshot()

    call_command("rebuild_figures")
    rebuilt = snapshot()
    call_command("rebuild_figures", "--from", "2026-06-10", "--to", "2026-06-10")

    assert rebuilt == counted
    assert snapshot() == counted


def test_it_rebuilds_one_range_and_leaves_the_others(world, line):
    call(line, DAY - timedelta(days=3), answered_after=30)
    figures_rebuild()
    FigureDay.objects.filter(day=DAY.date()).update(received=99)

    figures_rebuild(first=DAY.date() - timedelta(days=3), last=DAY.date() - timedelta(days=3))

    assert FigureDay.objects.filter(day=DAY.date(), received=99).exists()  # untouched
    earlier = FigureDay.objects.get(
        day=DAY.date() - timedelta(days=3), line_key=EVERY_LINE, dimension=Dimension.ALL
    )
    assert earlier.received == 1


def test_it_refuses_a_backwards_range():
    with pytest.raises(CommandError, match="before"):
        call_command("rebuild_figures", "--from", "2026-06-10", "--to", "2026-06-01")
    with pytest.raises(CommandError, match="Not a date"):
        call_command("rebuild_figures", "--from", "June")


def test_it_counts_a_call_when_it_ends(line, django_capture_on_commit_callbacks):
    live = call(line, at(18), status=CallStatus.ROUTING, ended=False)
    assert not figures_count_call(call_id=live.pk)  # not over yet

    with django_capture_on_commit_callbacks(execute=True):
        call_set_status(live, CallStatus.ABANDONED)

    assert every_line("call")["abandoned"] == 1
    assert Call.objects.get(pk=live.pk).rolled_up_at is not None


def test_it_waits_for_the_hang_up_of_a_call_nobody_answered(
    line, django_capture_on_commit_callbacks
):
    unanswered = call(line, at(18), status=CallStatus.NO_RESPONDER, ended=False)
    assert not figures_count_call(call_id=unanswered.pk)  # they may still ask for a callback

    with django_capture_on_commit_callbacks(execute=True):
        call_hung_up(unanswered, duration=None)

    assert every_line("call")["missed"] == 1


def test_it_counts_what_ended_while_the_broker_was_away(line):
    ended = call(line, at(18), status=CallStatus.COMPLETED, answered_after=12)
    import time_machine

    with time_machine.travel(at(20)):
        assert figures_count_ended() == 1
        assert figures_count_ended() == 0
    assert Call.objects.get(pk=ended.pk).rolled_up_at is not None
    assert not Conversation.objects.filter(rolled_up_at__isnull=False).exists()


def test_it_counts_a_conversation_when_it_closes(line, django_capture_on_commit_callbacks):
    from calls.models import CloseReason, ConversationStatus
    from calls.sms.conversations import close

    conversation = Conversation.objects.create(
        line=line,
        tourist_number="+447700900123",
        tourist_country="GB",
        status=ConversationStatus.WAITING,
        opened_at=at(18),
        faq_sent_at=at(18),
    )
    with django_capture_on_commit_callbacks(execute=True):
        close(conversation, CloseReason.IDLE)

    texts = every_line("text")
    assert (texts["received"], texts["missed"], texts["faq_instant"]) == (1, 1, 1)
