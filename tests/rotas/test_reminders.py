"""Reminders before each shift, by text and e-mail, exactly once; the coordinators' daily notice
of uncovered shifts, once a day."""

from __future__ import annotations

from datetime import date, timedelta

from django.core import mail

from calls.telephony import locmem
from concierge import rotas
from concierge.models import Assignment, Shift


def test_each_advisor_is_reminded_once_before_their_shift(
    team,
    settings,
    django_capture_on_commit_callbacks,
):
    Assignment.objects.create(shift=team.shift, membership=team.advisor_a)
    Assignment.objects.create(shift=team.shift, membership=team.advisor_b)
    early = team.shift.starts_at - timedelta(hours=settings.ROTA_REMINDER_HOURS, minutes=5)
    assert rotas.rota_send_reminders(now=early) == 0
    soon = team.shift.starts_at - timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert rotas.rota_send_reminders(now=soon) == 2
    assert rotas.rota_send_reminders(now=soon + timedelta(minutes=5)) == 0  # beat again
    (text,) = [sms for sms in locmem.outbox if sms.to == "+33612340501"]
    assert text.body.startswith(
        "Destination Concierge: you are on duty for Alps evenings on Mon 01 Jun, 18:00–22:00"
    )
    assert sorted(m.to[0] for m in mail.outbox) == [
        "advisor-a@example.com",
        "advisor-b@example.com",
    ]


def test_coordinators_hear_about_uncovered_shifts_once_a_day(team):
    full = Shift.objects.order_by("starts_at")[1]
    Assignment.objects.create(shift=full, membership=team.advisor_a)
    Assignment.objects.create(shift=full, membership=team.advisor_b)
    today = date(2026, 6, 1)
    assert rotas.rota_notify_uncovered(today=today) == 1
    assert rotas.rota_notify_uncovered(today=today) == 0  # beat twice the same day
    (message,) = mail.outbox
    assert message.to == ["coord@example.com"]
    assert "9 shifts of Alps evenings in the next 14 days still need advisors" in message.body
    assert "Mon 01 Jun 18:00: 2 of 2 seats empty" in message.body
    assert "Tue 02 Jun" not in message.body  # fully staffed
    assert rotas.rota_notify_uncovered(today=today + timedelta(days=1)) == 1
