"""Points for calls and texts: the right amount, explained, exactly once; taken back for abuse."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from ambassadors import points
from ambassadors.models import AwardStatus, PointsAward, PointsEntry, PointsRules
from calls.models import Call, CallReport
from calls.voice.reports import report_confirm

from ..calls.twilio import phone, signed_post

PARIS = ZoneInfo("Europe/Paris")
TUESDAY_AFTERNOON = datetime(2026, 1, 13, 15, 0, tzinfo=PARIS)
SATURDAY_EVENING = datetime(2026, 1, 17, 19, 30, tzinfo=PARIS)
TOURIST = "+4915112345678"


def answered_call(client, *, seconds: int, at: datetime = TUESDAY_AFTERNOON) -> Call:
    with time_machine.travel(at, tick=False):
        phone(client, from_=TOURIST).dial().press("1").press("1").press("0").answer("1").hang_up(
            after=seconds
        )
    return Call.objects.latest("received_at")


def entries(ambassador) -> list[tuple[int, str]]:
    return [(e.amount, e.reason) for e in PointsEntry.objects.filter(ambassador=ambassador)]


@pytest.fixture(autouse=True)
def _committed(django_capture_on_commit_callbacks, monkeypatch):
    """Awards are enqueued after commit, which a test's transaction never reaches: run each
    award's callbacks as its own commit would."""
    record = points._record

    def committed(**fields):
        with django_capture_on_commit_callbacks(execute=True):
            record(**fields)

    monkeypatch.setattr(points, "_record", committed)


def test_an_accepted_call_earns_base_points_plus_a_point_a_minute(client, national_line, alice):
    answered_call(client, seconds=7 * 60 + 59)
    assert entries(alice) == [(10 + 7, "Call of 7 min, Tue 13 Jan, 15:00")]
    assert points.points_balance(alice) == 17


def test_evenings_and_weekends_earn_a_bonus(client, national_line, alice):
    answered_call(client, seconds=120, at=SATURDAY_EVENING)
    ((amount, reason),) = entries(alice)
    assert amount == 10 + 2 + 5 + 5
    assert reason == "Call of 2 min, Sat 17 Jan, 19:30 (evening + weekend bonus)"


def test_minutes_count_up_to_the_cap_and_staff_rules_apply(client, national_line, alice):
    rules = PointsRules.current()
    rules.call_base, rules.call_minutes_cap = 20, 15
    rules.save()
    answered_call(client, seconds=3 * 3600)
    assert entries(alice)[0][0] == 20 + 15


def test_a_call_under_a_minute_earns_nothing_but_is_counted(client, national_line, alice):
    answered_call(client, seconds=59)
    assert entries(alice) == []
    assert PointsAward.objects.get().status == AwardStatus.DONE


def test_repeated_status_callbacks_award_once(client, national_line, alice):
    call = answered_call(client, seconds=300)
    for _ in range(3):
        signed_post(
            client,
            "/calls/voice/status/",
            {"CallSid": call.sid, "CallStatus": "completed", "CallDuration": "300"},
        )
    points.points_award_pending()  # a retried task, a restarted worker
    points.points_award_pending()
    assert len(entries(alice)) == 1
    assert PointsAward.objects.count() == 1


def test_a_confirmed_abuse_report_takes_the_points_back_once(client, national_line, alice):
    call = answered_call(client, seconds=300)
    report = CallReport.objects.create(call=call, ambassador=alice, reason="Insults")
    report_confirm(report=report)
    report_confirm(report=report)
    assert [amount for amount, _ in entries(alice)] == [-15, 15]
    assert entries(alice)[0][1] == "Call reported as abusive: its points are withdrawn"
    assert points.points_balance(alice) == 0


def test_abuse_confirmed_before_the_award_ran_means_no_points_at_all(alice):
    points.points_award_call(
        ambassador_id=alice.pk, call_ref="c1", answered_at=TUESDAY_AFTERNOON, duration=600
    )  # recorded; imagine the broker down, so not yet awarded
    PointsAward.objects.filter(key="call:c1").update(status=AwardStatus.PENDING)
    PointsEntry.objects.all().delete()
    assert points.points_reverse_call(call_ref="c1")
    points.points_award_pending()
    assert entries(alice) == []


def test_a_text_answered_within_fifteen_minutes_earns_points(alice):
    opened = TUESDAY_AFTERNOON
    points.points_award_sms_conversation(
        ambassador_id=alice.pk,
        conversation_ref="quick",
        first_message_at=opened,
        first_reply_at=opened + timedelta(minutes=4, seconds=10),
    )
    points.points_award_sms_conversation(
        ambassador_id=alice.pk,
        conversation_ref="slow",
        first_message_at=opened,
        first_reply_at=opened + timedelta(minutes=16),
    )
    assert entries(alice) == [(5, "Text conversation answered in 4 min")]


def test_the_monthly_bonus_comes_once_to_busy_ambassadors(alice, bob):
    rules = PointsRules.current()
    rules.monthly_calls = 3
    rules.save()
    january = TUESDAY_AFTERNOON
    for n in range(3):
        points.points_award_call(
            ambassador_id=alice.pk, call_ref=f"a{n}", answered_at=january, duration=60
        )
    for n, seconds in enumerate((600, 600, 30, 59)):  # calls too short to earn do not count
        points.points_award_call(
            ambassador_id=bob.pk, call_ref=f"b{n}", answered_at=january, duration=seconds
        )
    points.points_award_call(  # February does not count for January
        ambassador_id=bob.pk, call_ref="b9", answered_at=january + timedelta(days=30), duration=60
    )
    for _ in range(2):
        points.points_award_monthly(month=january.date())
    monthly = PointsEntry.objects.filter(kind="monthly")
    assert [(e.ambassador, e.amount, e.reason) for e in monthly] == [
        (alice, 50, "Monthly bonus: 3 calls in January 2026")
    ]


def test_the_balance_is_the_sum_of_the_ledger(alice):
    for n, amount in enumerate((15, 22, -7)):
        PointsEntry.objects.create(
            ambassador=alice, amount=amount, kind="adjustment", reason="test", key=f"k{n}"
        )
    assert points.points_balance(alice) == 30


def test_a_text_conversation_answered_by_sms_earns_points_once(
    client, national_line, alice, django_capture_on_commit_callbacks
):
    from ..calls.twilio import text

    for sender, body in ((TOURIST, "Hallo!"), (None, "Hello!"), (None, "Welcome!")):
        with django_capture_on_commit_callbacks(execute=True):
            text(client, sender or alice.phone_number.as_e164, body)
    assert entries(alice) == [(5, "Text conversation answered in 1 min")]
