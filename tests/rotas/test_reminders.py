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
    # In the offices' language, French, with the date in words (no ambiguous "jui").
    assert text.body.startswith(
        "Destination Concierge : vous êtes de permanence pour Alps evenings le lundi 1 juin, "
        "18:00–22:00."
    )
    assert mail.outbox[0].subject == "Votre permanence sur la ligne"
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
    assert message.subject == "Alps evenings : permanences non couvertes"
    assert (
        "9 permanences de Alps evenings dans les 14 prochains jours attendent encore des "
        "conseillers" in message.body
    )
    assert "lundi 1 juin 18:00: 2 place(s) libre(s) sur 2" in message.body
    assert "mardi 2 juin" not in message.body  # fully staffed
    assert rotas.rota_notify_uncovered(today=today + timedelta(days=1)) == 1
