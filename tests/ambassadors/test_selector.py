"""Who can take a call at instant T: the selector routing depends on, and the status shown to
ambassadors. Times are Europe/Paris wall clock; instants are always aware."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection
from django.utils import timezone

from ambassadors.models import (
    Ambassador,
    AmbassadorLanguage,
    AvailabilitySlot,
    Weekday,
    week_minutes,
)
from ambassadors.selectors import (
    Status,
    ambassador_status,
    ambassadors_available_at,
    next_available_from,
)
from concierge.models import CallMotive, Region

from ..factories import every_day, make_ambassador

PARIS = ZoneInfo("Europe/Paris")
# An ordinary week (no DST change): Monday 12 January 2026.
MONDAY = datetime(2026, 1, 12, tzinfo=PARIS)
TUESDAY = MONDAY + timedelta(days=1)
# DST in 2026: clocks go 02:00 -> 03:00 on Sunday 29 March, 03:00 -> 02:00 on Sunday 25 October.
SPRING_FORWARD = datetime(2026, 3, 29, tzinfo=PARIS)
FALL_BACK = datetime(2026, 10, 25, tzinfo=PARIS)


def paris(day: datetime, hour: int, minute: int = 0) -> datetime:
    return day.replace(hour=hour, minute=minute)


def utc(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def available(at: datetime, language: str = "en", **preferences: Any) -> list[str]:
    return [
        a.display_name for a in ambassadors_available_at(at=at, language=language, **preferences)
    ]


def with_slot(name: str, weekday: int, start: time, end: time, **extra: Any) -> Ambassador:
    return make_ambassador(
        f"{name.lower()}@example.com", name=name, slots=((weekday, start, end),), **extra
    )


def anytime(name: str, **extra: Any) -> Ambassador:
    return make_ambassador(f"{name.lower()}@example.com", name=name, slots=every_day(), **extra)


# Who: language, motive, region


def test_it_matches_the_language_asked_for(alice, bob):
    assert sorted(available(MONDAY, "en")) == ["Alice", "Bob"]
    assert available(MONDAY, "de") == ["Bob"]
    assert available(MONDAY, "ja") == []


def test_it_matches_the_motive_or_anything(db):
    food = CallMotive.objects.get(code="food-and-wine")
    anytime("Gourmet", motives=("food-and-wine",))
    anytime("Curious")  # anything
    anytime("Artist", motives=("culture",))

    assert sorted(available(MONDAY, motive=food)) == ["Curious", "Gourmet"]
    assert sorted(available(MONDAY)) == ["Artist", "Curious", "Gourmet"]


def test_it_matches_the_region_or_anywhere(db):
    corse = Region.objects.get(code="corse")
    anytime("Corsican", regions=("corse",))
    anytime("Breton", regions=("bretagne",))
    anytime("Nomad")  # anywhere

    assert sorted(available(MONDAY, region=corse)) == ["Corsican", "Nomad"]


def test_it_combines_language_motive_and_region(db):
    food = CallMotive.objects.get(code="food-and-wine")
    corse = Region.objects.get(code="corse")
    food_in_corse = {"regions": ("corse",), "motives": ("food-and-wine",)}
    anytime("Right", languages=("en", "it"), **food_in_corse)
    anytime("WrongLanguage", languages=("en",), **food_in_corse)
    anytime(
        "WrongRegion", languages=("en", "it"), regions=("bretagne",), motives=("food-and-wine",)
    )
    anytime("WrongMotive", languages=("en", "it"), regions=("corse",), motives=("culture",))

    assert available(MONDAY, "it", motive=food, region=corse) == ["Right"]


# Who: switches and states


def test_a_paused_ambassador_is_left_out_until_the_pause_ends(alice):
    alice.paused_until = paris(TUESDAY, 0)
    alice.save(update_fields=["paused_until"])

    assert available(paris(MONDAY, 23, 59)) == []
    assert available(paris(TUESDAY, 0)) == ["Alice"]
    assert available(paris(TUESDAY, 9)) == ["Alice"]


def test_an_ambassador_who_switched_calls_off_is_left_out(alice):
    alice.accepting_calls = False
    alice.save(update_fields=["accepting_calls"])
    assert available(MONDAY) == []


def test_a_suspended_ambassador_is_left_out(alice):
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    assert available(MONDAY) == []


def test_an_ambassador_still_onboarding_is_left_out(alice):
    Ambassador.objects.filter(pk=alice.pk).update(onboarded_at=None)
    assert available(MONDAY) == []


def test_an_ambassador_whose_phone_is_not_verified_is_left_out(alice):
    Ambassador.objects.filter(pk=alice.pk).update(phone_verified_at=None)
    assert available(MONDAY) == []


def test_an_ambassador_without_slots_is_left_out(db):
    make_ambassador("idle@example.com", name="Idle")
    assert available(MONDAY) == []


# When: slots in an ordinary week


def test_a_slot_includes_its_start_and_excludes_its_end(db):
    with_slot("Evening", Weekday.MONDAY, time(18), time(22))
    assert available(paris(MONDAY, 17, 59)) == []
    assert available(paris(MONDAY, 18)) == ["Evening"]
    assert available(paris(MONDAY, 21, 59)) == ["Evening"]
    assert available(paris(MONDAY, 22)) == []
    assert available(paris(TUESDAY, 18)) == []


def test_a_slot_crossing_midnight_runs_into_the_next_day(db):
    with_slot("Owl", Weekday.MONDAY, time(22), time(2))
    assert available(paris(MONDAY, 23)) == ["Owl"]
    assert available(paris(TUESDAY, 1, 30)) == ["Owl"]
    assert available(paris(TUESDAY, 2)) == []
    assert available(paris(MONDAY, 1, 30)) == []  # the night before belongs to Sunday


def test_a_sunday_night_slot_wraps_into_monday(db):
    with_slot("Wrap", Weekday.SUNDAY, time(23), time(1))
    sunday = MONDAY + timedelta(days=6)
    assert available(paris(sunday, 23, 30)) == ["Wrap"]
    assert available(paris(MONDAY, 0, 30)) == ["Wrap"]
    assert available(paris(sunday + timedelta(days=1), 0, 30)) == ["Wrap"]
    assert available(paris(MONDAY, 1)) == []


def test_a_slot_from_midnight_to_midnight_lasts_the_whole_day(db):
    with_slot("Allday", Weekday.WEDNESDAY, time(0), time(0))
    wednesday = MONDAY + timedelta(days=2)
    assert available(paris(wednesday, 0)) == ["Allday"]
    assert available(paris(wednesday, 23, 59)) == ["Allday"]
    assert available(paris(wednesday - timedelta(days=1), 23, 59)) == []
    assert available(paris(wednesday + timedelta(days=1), 0)) == []


def test_it_reads_the_slots_on_the_destination_clock_whatever_the_instants_zone(db):
    with_slot("Evening", Weekday.MONDAY, time(18), time(22))
    # 17:30 UTC is 18:30 in Paris in January; in Tokyo it is already Tuesday.
    assert available(utc(2026, 1, 12, 17, 30).astimezone(ZoneInfo("Asia/Tokyo"))) == ["Evening"]
    assert available(utc(2026, 1, 12, 21, 30)) == []


# When: DST changes (last Sundays of March and October)


def test_a_sunday_morning_slot_moves_an_hour_earlier_in_utc_in_summer(db):
    with_slot("Morning", Weekday.SUNDAY, time(8), time(9))
    # The Sunday before: winter time, 08:00-09:00 Paris is 07:00-08:00 UTC.
    assert available(utc(2026, 3, 22, 6, 59)) == []
    assert available(utc(2026, 3, 22, 7, 0)) == ["Morning"]
    assert available(utc(2026, 3, 22, 8, 0)) == []
    # The day of the change, and after it: summer time, 06:00-07:00 UTC.
    assert available(utc(2026, 3, 29, 6, 0)) == ["Morning"]
    assert available(utc(2026, 3, 29, 7, 0)) == []
    # Back to winter time on 25 October.
    assert available(utc(2026, 10, 25, 6, 30)) == []
    assert available(utc(2026, 10, 25, 7, 30)) == ["Morning"]


def test_a_slot_over_the_repeated_hour_covers_both_occurrences(db):
    # At 03:00 summer time (01:00 UTC) the clocks go back to 02:00: 02:00-03:00 happens twice.
    with_slot("Repeat", Weekday.SUNDAY, time(2), time(3))
    assert available(utc(2026, 10, 24, 23, 59)) == []  # 01:59 summer time
    assert available(utc(2026, 10, 25, 0, 30)) == ["Repeat"]  # the first 02:30 (summer time)
    assert available(utc(2026, 10, 25, 1, 0)) == ["Repeat"]  # 02:00 again (winter time)
    assert available(utc(2026, 10, 25, 1, 30)) == ["Repeat"]  # the second 02:30
    assert available(utc(2026, 10, 25, 2, 0)) == []  # 03:00 winter time


def test_a_slot_starting_inside_the_skipped_hour_starts_when_the_clock_jumps(db):
    # 02:30 does not exist on 29 March: at 02:00 the clocks show 03:00.
    with_slot("Gap", Weekday.SUNDAY, time(2, 30), time(4))
    assert available(utc(2026, 3, 29, 0, 59)) == []  # 01:59 winter time
    assert available(utc(2026, 3, 29, 1, 0)) == ["Gap"]  # 03:00 summer time
    assert available(utc(2026, 3, 29, 1, 59)) == ["Gap"]  # 03:59
    assert available(utc(2026, 3, 29, 2, 0)) == []  # 04:00


def test_a_slot_inside_the_skipped_hour_simply_does_not_happen_that_night(db):
    with_slot("Lost", Weekday.SUNDAY, time(2), time(2, 30))
    for minutes in range(0, 181, 15):  # 00:00 to 03:00 UTC, i.e. 01:00 CET to 05:00 CEST
        assert available(utc(2026, 3, 29, 0, 0) + timedelta(minutes=minutes)) == []
    assert available(utc(2026, 3, 22, 1, 15)) == ["Lost"]  # a week before: 02:15 winter time


def test_a_night_slot_across_the_spring_change_is_an_hour_shorter(db):
    with_slot("Night", Weekday.SATURDAY, time(23), time(6))
    assert available(utc(2026, 3, 28, 22, 0)) == ["Night"]  # 23:00 winter time
    assert available(utc(2026, 3, 29, 3, 59)) == ["Night"]  # 05:59 summer time
    assert available(utc(2026, 3, 29, 4, 0)) == []  # 06:00 summer time


# Order and cost


def test_whoever_was_offered_a_call_longest_ago_comes_first(db):
    recent = anytime("Recent")
    never = anytime("Never")
    oldest = anytime("Oldest")
    never_too = anytime("NeverToo")
    now = paris(MONDAY, 12)
    Ambassador.objects.filter(pk=recent.pk).update(last_offered_at=now - timedelta(minutes=5))
    Ambassador.objects.filter(pk=oldest.pk).update(last_offered_at=now - timedelta(days=3))
    assert never.pk < never_too.pk

    assert available(now) == ["Never", "NeverToo", "Oldest", "Recent"]


def test_it_runs_one_query_whatever_the_preferences(db, django_assert_num_queries):
    food = CallMotive.objects.get(code="food-and-wine")
    corse = Region.objects.get(code="corse")
    for n in range(5):
        anytime(f"A{n}", languages=("en", "de"), regions=("corse",), motives=("food-and-wine",))

    with django_assert_num_queries(1):
        found = list(ambassadors_available_at(at=MONDAY, language="de", motive=food, region=corse))
    assert len(found) == 5
    with django_assert_num_queries(1):
        assert len(list(ambassadors_available_at(at=MONDAY, language="de")[:3])) == 3


# Status and next availability, across DST changes


def test_next_availability_is_on_the_destination_clock_after_spring_forward(db):
    morning = with_slot("Morning", Weekday.SUNDAY, time(8), time(9))
    saturday_noon = paris(SPRING_FORWARD - timedelta(days=1), 12)
    assert next_available_from(morning, now=saturday_noon) == utc(2026, 3, 29, 6, 0)
    status = ambassador_status(morning, now=saturday_noon)
    assert status.status is Status.LATER
    assert status.next_available == paris(SPRING_FORWARD, 8)


def test_next_availability_is_on_the_destination_clock_after_fall_back(db):
    morning = with_slot("Morning", Weekday.SUNDAY, time(8), time(9))
    saturday_noon = paris(FALL_BACK - timedelta(days=1), 12)
    assert next_available_from(morning, now=saturday_noon) == utc(2026, 10, 25, 7, 0)


def test_next_availability_skips_to_next_week_once_todays_slot_is_over(db):
    morning = with_slot("Morning", Weekday.SUNDAY, time(8), time(9))
    after = paris(SPRING_FORWARD, 10)
    assert next_available_from(morning, now=after) == paris(SPRING_FORWARD + timedelta(days=7), 8)


def test_status_is_available_inside_a_slot_across_the_change(db):
    night = with_slot("Night", Weekday.SATURDAY, time(23), time(6))
    inside = utc(2026, 3, 29, 3, 30)  # 05:30 summer time
    status = ambassador_status(night, now=inside)
    assert status.status is Status.AVAILABLE
    assert status.next_available == inside


def test_the_announced_start_of_a_slot_in_the_skipped_hour_is_a_time_it_takes_calls(db):
    gap = with_slot("Gap", Weekday.SUNDAY, time(2, 30), time(4))
    saturday_noon = paris(SPRING_FORWARD - timedelta(days=1), 12)
    upcoming = next_available_from(gap, now=saturday_noon)
    assert upcoming == utc(2026, 3, 29, 1, 0)  # the jump to 03:00, when the selector starts too
    assert available(upcoming) == ["Gap"]
    assert available(upcoming.astimezone(UTC) - timedelta(minutes=1)) == []


def test_status_reports_a_pause_and_when_calls_resume(alice):
    now = paris(MONDAY, 12)
    alice.paused_until = paris(MONDAY + timedelta(days=3), 0)
    alice.save(update_fields=["paused_until"])
    status = ambassador_status(alice, now=now)
    assert status.status is Status.PAUSED
    assert status.next_available == paris(MONDAY + timedelta(days=3), 0)


def test_status_says_when_there_are_no_slots(db):
    idle = make_ambassador("idle@example.com", name="Idle")
    assert ambassador_status(idle, now=MONDAY).status is Status.NO_SLOTS


# The query plan at a realistic volume


def test_postgres_answers_with_an_index_on_a_realistic_volume(postgres):
    """A few thousand ambassadors (of whom few speak Japanese), statistics up to date: the
    planner must reach the rows through an index, not by reading every table in full."""
    _many_ambassadors(3000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    plan = ambassadors_available_at(at=paris(TUESDAY, 20), language="ja")[:5].explain()
    assert "Seq Scan on ambassadors_ambassadorlanguage" not in plan, plan
    assert "Seq Scan on ambassadors_availabilityslot" not in plan, plan
    assert "Index" in plan, plan


def _many_ambassadors(count: int) -> None:
    now = timezone.now()
    ambassadors = Ambassador.objects.bulk_create(
        Ambassador(
            display_name=f"A{n}",
            phone_number=f"+336{20000000 + n:08d}",
            phone_verified_at=now,
            onboarded_at=now,
            any_region=True,
            any_motive=True,
            last_offered_at=None if n % 3 else now - timedelta(minutes=n),
        )
        for n in range(count)
    )
    AmbassadorLanguage.objects.bulk_create(
        AmbassadorLanguage(ambassador=a, language=code)
        for n, a in enumerate(ambassadors)
        for code in (("en", "ja") if n % 50 == 0 else ("en", "fr"))
    )
    slots = []
    for n, a in enumerate(ambassadors):
        for weekday in range(7):
            start = time((n + weekday * 5) % 24)
            end = time((start.hour + 3) % 24)
            first, last = week_minutes(weekday, start, end)
            slots.append(
                AvailabilitySlot(
                    ambassador=a,
                    weekday=weekday,
                    start=start,
                    end=end,
                    start_minute=first,
                    end_minute=last,
                )
            )
    AvailabilitySlot.objects.bulk_create(slots, batch_size=2000)
