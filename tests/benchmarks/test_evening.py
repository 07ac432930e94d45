"""The simulated evening (``make bench --only evening``) runs end to end on a tiny population and
returns sane figures. Not a timing test: a few simulated minutes, a few seconds of wall time."""

from __future__ import annotations

import pytest

from benchmarks import data, evening
from benchmarks.selector import NOW
from calls.models import AttemptOutcome, CallAttempt, CallStatus

pytestmark = pytest.mark.usefixtures("postgres")


@pytest.fixture
def population():
    data.load(data.Population(200, now=NOW).build())


def test_a_tiny_evening_runs_through_the_real_webhooks(population):
    result = evening.simulate(evening.TODAY, seed=3, hours=0.1)

    tourists = result.tourists
    assert len(tourists) >= 5  # ~24 expected in six minutes at 240 calls an hour
    assert all(t.ended is not None for t in tourists), "every call ends"
    assert {t.outcome for t in tourists} <= {"human", "abandoned", "nobody", "refused"}
    reached = result.reached()
    assert reached, "someone reaches a human"
    for t in reached:
        assert t.first_ring is not None and t.accepted is not None
        assert t.dialled < t.first_ring <= t.accepted  # menus first, then a ring, then "yes"
    for t in tourists:
        if t.outcome == "abandoned":
            assert t.ended == pytest.approx(t.dialled + t.patience)
    assert result.rings >= len(reached)
    assert all(t.free > 20 for t in tourists), "~60 locals are in a slot at 20:00 here"
    assert 0 <= result.gini <= 1
    assert result.webhooks > 5 * len(tourists)
    # Texts, the same evening: every tourist who texted is answered by a local or still waits.
    assert result.texters
    replies = [t.reply for t in result.texters if t.reply is not None]
    assert replies and all(0 < r < 3 * 3600 for r in replies)
    # Nothing is left dangling in the database: no call still routing, no phone still ringing.
    assert not evening.Call.objects.filter(status__in=[CallStatus.IVR, CallStatus.ROUTING])
    assert not CallAttempt.objects.filter(outcome=AttemptOutcome.RINGING)


def test_the_peak_hour_rate_follows_from_the_monthly_volume():
    model = evening.Model()
    assert model.calls_per_hour == pytest.approx(80_000 / 30 * 0.09)


def test_a_run_longer_than_an_hour_is_an_evening_from_six_following_the_profile():
    import random

    from benchmarks.evening_texts import PROFILE, arrives

    assert evening.evening_start(1) == evening.START  # the busiest hour, 20:00
    start = evening.evening_start(5)
    assert start.astimezone(NOW.tzinfo).hour == 18
    rng = random.Random(5)
    kept = {h: sum(arrives(start, (h - 18) * 3600 + 60, rng) for _ in range(4000)) for h in PROFILE}
    assert kept[20] == 4000  # the peak hour keeps every arrival of its Poisson process
    assert kept[18] == pytest.approx(4000 * PROFILE[18], rel=0.1)
    assert kept[22] == pytest.approx(4000 * PROFILE[22], rel=0.1)


def test_each_local_has_an_answer_rate_of_their_own_around_the_mean():
    from dataclasses import replace

    model = evening.Model()
    run = evening.Evening(evening.NEW, model=model, seed=12, hours=1)
    rates = [run.propensity(f"+336000{n:05d}") for n in range(2000)]
    assert sum(rates) / len(rates) == pytest.approx(model.accept, abs=0.02)
    assert min(rates) < 0.2 and max(rates) > 0.9  # some rarely answer, some nearly always
    assert run.propensity("+33600000001") == run.propensity("+33600000001")  # one per local
    alike = evening.Evening(
        evening.NEW, model=replace(model, answer_concentration=0), seed=12, hours=1
    )
    assert alike.propensity("+33600000001") == model.accept


def test_gini():
    assert evening.gini([1, 1, 1, 1]) == pytest.approx(0)
    assert evening.gini([0, 0, 0, 4]) == pytest.approx(0.75)


def test_a_tiny_evening_rings_groups_and_connects_each_caller_once(population):
    result = evening.simulate(evening.group(3), seed=3, hours=0.05)

    assert all(t.ended is not None for t in result.tourists)
    assert result.reached(), "someone reaches a human"
    groups = CallAttempt.objects.values_list("call_id", "group").distinct().count()
    assert CallAttempt.objects.count() > groups  # phones rang together
    for call in evening.Call.objects.filter(line__number=evening.LINE_NUMBER):
        accepted = call.attempts.filter(outcome=AttemptOutcome.ACCEPTED).count()
        assert accepted == (1 if call.answered_at else 0)  # never two locals on one call
    assert not CallAttempt.objects.filter(outcome=AttemptOutcome.RINGING)


def test_a_tiny_evening_texts_by_every_channel_and_asks_for_communities(population):
    from dataclasses import replace

    from calls.models import Conversation, ConversationChannel

    model = replace(
        evening.Model(),
        texts_per_month=400_000,
        whatsapp_share=0.35,
        web_share=0.35,
        community_share=0.3,
        community_members=0.5,
    )
    result = evening.simulate(evening.SHORT, seed=3, hours=0.05, model=model)

    by_channel = {
        c: [t for t in result.texters if t.channel == c] for c in ("sms", "whatsapp", "web")
    }
    assert all(by_channel.values()), "texts arrive on every channel"
    conversations = Conversation.objects.filter(line__number=evening.LINE_NUMBER)
    for texter in by_channel["whatsapp"]:
        assert (
            conversations.get(tourist_number=texter.number).channel == ConversationChannel.WHATSAPP
        )
    for texter in by_channel["web"]:
        assert texter.number.startswith("web:")
        assert conversations.get(tourist_number=texter.number).channel == ConversationChannel.WEB
    assert any(t.reply is not None for t in by_channel["web"]), "a local answers a web visitor"
    # A community asked for by SMS or WhatsApp is recorded, and routed to its members first.
    asked = [t for t in result.texters if t.community and t.channel != "web"]
    assert asked
    for texter in asked:
        assert texter.recognised
        community = conversations.get(tourist_number=texter.number).community
        assert community is not None and community.code == texter.community
    assert any(t.by_member for t in asked), "a member of the community answers"


def test_a_week_carries_the_queue_over_and_a_switched_off_local_is_not_rung(population):
    """Two evenings on one population: the second evening's first locals are those the first
    evening did not reach (the queue goes on, it is not reloaded); a local switched off by
    misses in a row is not rung again until they switch calls back on."""
    from dataclasses import replace

    from ambassadors.models import Ambassador

    model = replace(evening.Model(), accept=0.3, resume_daily=0.5)  # misses in a row happen
    result = evening.simulate(evening.NEW, seed=3, hours=0.1, evenings=2, model=model)

    week = result.week
    assert week is not None and len(week.days) == 2
    assert all(day.tourists for day in week.days), "calls on each evening"
    assert sum(len(day.tourists) for day in week.days) == len(result.tourists)
    monday = evening.evening_start(0.1, 2)
    tuesday = monday + evening.timedelta(days=1)
    attempts = CallAttempt.objects.filter(ambassador__isnull=False).order_by("started_at")
    first = set(attempts.filter(started_at__lt=tuesday).values_list("ambassador_id", flat=True))
    second = list(attempts.filter(started_at__gte=tuesday).values_list("ambassador_id", flat=True))
    assert first and second
    # The queue is not reloaded: who was rung on Monday and not since keeps Monday's place
    # (or a later one: texts take turns in the same queue), not the place they began with.
    for local in Ambassador.objects.filter(pk__in=first - set(second)):
        last = attempts.filter(ambassador=local).last()
        assert last is not None and local.last_offered_at is not None
        assert local.last_offered_at >= last.started_at
    again = [pk for pk in second[:10] if pk in first]
    assert len(again) <= 3, f"Tuesday begins with those Monday did not ring: {again}"
    # Switched off by misses in a row: never rung while off.
    assert week.week.paused, "with 30% answering, someone misses three in a row"
    for pk, intervals in result_pauses(result).items():
        rung = attempts.filter(ambassador_id=pk).values_list("started_at", flat=True)
        for off, on in intervals:
            assert not [t for t in rung if off < (t - monday).total_seconds() < on]
    still_off = [pk for pk, i in result_pauses(result).items() if i[-1][1] == float("inf")]
    assert not Ambassador.objects.filter(pk__in=still_off, accepting_calls=True)
    # Hours are counted only while a local accepts calls: the week's figures stay sane.
    assert 0 <= week.week.gini <= 1 and 0 <= week.week.rotation[0] <= 1


def result_pauses(result):
    return result.week.pauses


def test_the_ideal_rotation_offers_calls_in_turn():
    import random

    from benchmarks.evening_week import DAY, rotation

    always = [[(0.0, DAY / 2)]]  # one evening, everyone available all of it
    windows = {pk: always for pk in range(1, 5)}
    calls = [float(60 * n) for n in range(8)]
    even = rotation(calls, windows, dict.fromkeys(windows, 1.0), random.Random(1))
    assert even.gini == pytest.approx(0) and even.rings == 1  # two calls each, one ring each
    # Local 1 never answers: each of their turns is a ring for nothing.
    rates = {1: 0.0, 2: 1.0, 3: 1.0, 4: 1.0}
    turns = rotation(calls, windows, rates, random.Random(1))
    assert turns.rings > 1.2 and turns.gini > 0.2
    # Who missed their last call goes after the others of the queue's head: fewer such rings.
    demoted = rotation(calls, windows, rates, random.Random(1), missed_last=3)
    assert demoted.rings < turns.rings


def test_the_replay_switches_a_local_off_at_the_third_no_answer_in_a_row():
    import math

    from benchmarks.week_replay import replay_pauses

    def no(t):
        return (t, AttemptOutcome.NO_ANSWER, t + 20)

    attempts = {
        1: [no(60), (70, AttemptOutcome.RELEASED, 80), no(120), no(180), no(240)],
        2: [no(60), (100, AttemptOutcome.ACCEPTED, 300), no(400), no(500)],
    }
    pauses = replay_pauses(attempts, evenings=1, seed=12)
    assert pauses == {1: [[200, math.inf]]}  # a release is neither an answer nor a miss
