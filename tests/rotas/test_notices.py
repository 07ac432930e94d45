"""Notices of swaps, planning, reminders and empty seats: each reaches the right people once, in
their language, after commit, and never anyone else."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction

from calls.telephony import locmem
from concierge import rotas
from concierge.models import (
    Assignment,
    Notice,
    NoticeKind,
    Role,
    Shift,
    Unavailability,
)
from concierge.rotas import notices, swaps

from .people import NOW


def told(kind: str) -> list[str]:
    """The e-mail addresses of the people who got a notice of this kind."""
    return sorted(Notice.objects.filter(kind=kind).values_list("user__email", flat=True))


def mailed_to(subject_start: str) -> list[str]:
    return sorted(m.to[0] for m in mail.outbox if m.subject.startswith(subject_start))


@pytest.fixture
def annecy(team):
    """Office A's advisors besides advisor A: Chloé may take shifts, Denis is away on the 1st
    and Eva is on the shift already."""
    chloe = team.member("chloe", Role.ADVISOR, team.a)
    denis = team.member("denis", Role.ADVISOR, team.a)
    eva = team.member("eva", Role.ADVISOR, team.a)
    Unavailability.objects.create(membership=denis, day=NOW.date())
    Assignment.objects.create(shift=team.shift, membership=eva)
    return chloe


def test_it_tells_an_offer_to_the_colleagues_of_the_office_who_could_take_it(
    team, annecy, django_capture_on_commit_callbacks
):
    assignment = Assignment.objects.create(shift=team.shift, membership=team.advisor_a)
    with django_capture_on_commit_callbacks(execute=True):
        swaps.shift_offer(assignment=assignment, by=team.advisor_a)
    # Not Denis (away), nor Eva (on the shift), nor advisor A (who offers), nor office B.
    assert told(NoticeKind.OFFERED) == ["chloe@example.com"]
    (message,) = mail.outbox
    assert message.to == ["chloe@example.com"]
    assert message.subject == "Une permanence à prendre\u00a0: lundi 1er juin"
    assert message.body.startswith(
        "Advisor-A propose sa permanence du lundi 1er juin, 18:00–22:00 (Alps evenings)."
    )
    assert "La prendre\u00a0: http" in message.body
    assert locmem.outbox == []  # offers come by e-mail only, unless one chooses texts


def test_it_tells_the_offerer_and_the_approvers_when_a_shift_is_taken(
    team, django_capture_on_commit_callbacks
):
    offer = swaps.shift_offer(
        assignment=Assignment.objects.create(shift=team.shift, membership=team.advisor_a),
        by=team.advisor_a,
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        swaps.shift_take(offer=offer, by=team.advisor_b)
    assert told(NoticeKind.TAKEN) == ["advisor-a@example.com"]
    # The coordinator and the managers of both offices; never the outsider.
    assert told(NoticeKind.HANDOVER_WAITING) == [
        "coord@example.com",
        "manager-a@example.com",
        "manager-b@example.com",
    ]
    assert mailed_to("Une passation à approuver") == [
        "coord@example.com",
        "manager-a@example.com",
        "manager-b@example.com",
    ]
    taken = next(m for m in mail.outbox if m.to == ["advisor-a@example.com"])
    assert "Advisor-B souhaite prendre votre permanence du lundi 1er juin" in taken.body


def test_it_tells_both_advisors_the_coordinators_decision_and_settles_the_waiting_notices(
    team, django_capture_on_commit_callbacks
):
    offer = swaps.shift_offer(
        assignment=Assignment.objects.create(shift=team.shift, membership=team.advisor_a),
        by=team.advisor_a,
    )
    offer = swaps.shift_take(offer=offer, by=team.advisor_b)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        swaps.shift_offer_decide(offer=offer, by=team.coordinator, approve=False)
    assert told(NoticeKind.REFUSED) == ["advisor-a@example.com", "advisor-b@example.com"]
    assert mailed_to("Passation refusée") == ["advisor-a@example.com", "advisor-b@example.com"]
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert (
        "votre permanence du lundi 1er juin, 18:00–22:00 reste la vôtre"
        in bodies["advisor-a@example.com"]
    )
    assert "reste à Advisor-A" in bodies["advisor-b@example.com"]
    waiting = Notice.objects.filter(kind=NoticeKind.HANDOVER_WAITING)
    assert waiting.count() == 3
    assert not waiting.filter(read_at__isnull=True).exists()  # decided: nothing left to do


def test_it_tells_both_advisors_of_an_approval(team, django_capture_on_commit_callbacks):
    offer = swaps.shift_offer(
        assignment=Assignment.objects.create(shift=team.shift, membership=team.advisor_a),
        by=team.advisor_a,
    )
    offer = swaps.shift_take(offer=offer, by=team.advisor_b)
    with django_capture_on_commit_callbacks(execute=True):
        swaps.shift_offer_decide(offer=offer, by=team.coordinator, approve=True)
    assert told(NoticeKind.APPROVED) == ["advisor-a@example.com", "advisor-b@example.com"]
    assert mailed_to("Passation approuvée") == ["advisor-a@example.com", "advisor-b@example.com"]
    bodies = {m.to[0]: m.body for m in mail.outbox if m.subject.startswith("Passation approuvée")}
    assert "Advisor-B prend votre permanence du lundi 1er juin" in bodies["advisor-a@example.com"]
    assert (
        "la permanence du lundi 1er juin, 18:00–22:00 est à vous" in bodies["advisor-b@example.com"]
    )
    assert told(NoticeKind.REFUSED) == []


def test_a_take_without_approval_tells_only_the_offerer(team, django_capture_on_commit_callbacks):
    team.network.swaps_need_approval = False
    team.network.save()
    offer = swaps.shift_offer(
        assignment=Assignment.objects.create(shift=team.shift, membership=team.advisor_a),
        by=team.advisor_a,
    )
    with django_capture_on_commit_callbacks(execute=True):
        swaps.shift_take(offer=offer, by=team.advisor_b)
    assert told(NoticeKind.TAKEN) == ["advisor-a@example.com"]
    assert told(NoticeKind.HANDOVER_WAITING) == []
    (message,) = [m for m in mail.outbox if m.to == ["advisor-a@example.com"]]
    assert "Advisor-B a pris votre permanence du lundi 1er juin" in message.body


def test_an_assignment_and_a_removal_by_a_manager_reach_the_advisor(
    team, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assignment = rotas.rota_assign(shift=team.shift, advisor=team.advisor_a, by=team.manager_a)
    with django_capture_on_commit_callbacks(execute=True):
        rotas.rota_unassign(assignment=assignment, by=team.manager_a)
    with django_capture_on_commit_callbacks(execute=True):  # on again: a new event, a new notice
        rotas.rota_assign(shift=team.shift, advisor=team.advisor_a, by=team.manager_a)
    assert told(NoticeKind.ASSIGNED) == ["advisor-a@example.com"] * 2
    assert told(NoticeKind.REMOVED) == ["advisor-a@example.com"]
    assert [m.subject for m in mail.outbox] == [
        "Nouvelle permanence\u00a0: lundi 1er juin",
        "Permanence retirée\u00a0: lundi 1er juin",
        "Nouvelle permanence\u00a0: lundi 1er juin",
    ]
    assert "Manager-A vous a confié la permanence du lundi 1er juin" in mail.outbox[0].body


def test_nothing_is_told_when_the_transaction_rolls_back(team, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        rotas.rota_assign(shift=team.shift, advisor=team.advisor_a, by=team.manager_a)
        raise RuntimeError("the request failed after the assignment")
    assert callbacks == []
    assert not Notice.objects.exists()
    assert mail.outbox == []


def test_nothing_goes_out_before_the_commit(team, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        rotas.rota_assign(shift=team.shift, advisor=team.advisor_a, by=team.manager_a)
        assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1


def test_the_reminder_is_a_notice_sent_once_by_e_mail_and_text(
    team, settings, django_capture_on_commit_callbacks
):
    Assignment.objects.create(shift=team.shift, membership=team.advisor_a)
    soon = team.shift.starts_at - timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert rotas.rota_send_reminders(now=soon) == 1
        assert rotas.rota_send_reminders(now=soon) == 0
    (notice,) = Notice.objects.filter(kind=NoticeKind.SHIFT_SOON)
    assert notice.email_sent_at and notice.text_sent_at
    (text,) = locmem.outbox
    assert text.to == "+33612340501"
    assert text.body.endswith(f"/rotas/notices/{notice.public_id}/")
    assert len(mail.outbox) == 1


def test_the_new_holder_of_a_handed_over_shift_is_reminded_too(
    team, django_capture_on_commit_callbacks
):
    team.network.swaps_need_approval = False
    team.network.save()
    assignment = Assignment.objects.create(shift=team.shift, membership=team.advisor_a)
    soon = team.shift.starts_at - timedelta(hours=1)
    rotas.rota_send_reminders(now=soon)
    offer = swaps.shift_offer(assignment=assignment, by=team.advisor_a, now=NOW)
    swaps.shift_take(offer=offer, by=team.advisor_b, now=NOW)
    rotas.rota_send_reminders(now=soon)
    assert told(NoticeKind.SHIFT_SOON) == ["advisor-a@example.com", "advisor-b@example.com"]


def test_planners_hear_of_todays_empty_seats_once_a_day(team, django_capture_on_commit_callbacks):
    tonight = team.shift  # Monday 18:00, two seats
    Assignment.objects.create(shift=tonight, membership=team.advisor_a)
    with django_capture_on_commit_callbacks(execute=True):
        assert notices.rota_notify_empty_seats(now=NOW) == 3
        assert notices.rota_notify_empty_seats(now=NOW + timedelta(minutes=30)) == 0
    # Coordinators and managers of the network; not its advisors, nor the outsider.
    assert told(NoticeKind.EMPTY_SEAT) == [
        "coord@example.com",
        "manager-a@example.com",
        "manager-b@example.com",
    ]
    assert set(
        Notice.objects.filter(kind=NoticeKind.EMPTY_SEAT).values_list("shift", flat=True)
    ) == {tonight.pk}
    assert mailed_to("Alps evenings\u00a0: une place libre aujourd’hui") == [
        "coord@example.com",
        "manager-a@example.com",
        "manager-b@example.com",
    ]
    assert "Alps evenings\u00a0: 1 place sur 2 est encore libre aujourd’hui, 18:00–22:00." in (
        mail.outbox[0].body
    )


def test_a_full_shift_and_tomorrows_are_not_empty_seats_today(team):
    tomorrow = Shift.objects.order_by("starts_at")[1]
    for advisor in (team.advisor_a, team.advisor_b):
        Assignment.objects.create(shift=team.shift, membership=advisor)
    assert tomorrow.starts_at.date() > NOW.date()
    assert notices.rota_notify_empty_seats(now=NOW) == 0
    assert not Notice.objects.exists()
