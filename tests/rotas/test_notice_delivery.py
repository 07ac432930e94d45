"""Delivering notices: as each person chose, texts only to verified mobiles and never with
someone else's number, in the reader's language, and once, whatever fails and is retried."""

from __future__ import annotations

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from calls.telephony import locmem
from calls.telephony.locmem import LocmemBackend
from concierge import rotas
from concierge.lib import telephony
from concierge.models import Assignment, Notice, NoticeKind
from concierge.rotas import delivery, preferences, swaps
from concierge.rotas.tasks import send_notice_email, send_notice_text

from .people import NOW


@pytest.fixture
def backend(monkeypatch):
    """Use the given telephony backend instance for the test."""

    def use(instance: telephony.TelephonyBackend) -> None:
        monkeypatch.setattr(telephony, "get_backend", lambda: instance)

    return use


class FlakyTexts(LocmemBackend):
    """The SMS provider unreachable for a while (a temporary error), then fine again."""

    def __init__(self, failures: int) -> None:
        self.failures = failures

    def send_sms(self, **kwargs):
        if self.failures:
            self.failures -= 1
            raise telephony.TelephonyError("Twilio could not be reached: timeout")
        return super().send_sms(**kwargs)


class FlakyMail(EmailBackend):
    """The mail server refuses the first connection, then accepts."""

    failures = 0

    def send_messages(self, messages):
        if FlakyMail.failures:
            FlakyMail.failures -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


def take_with_approval(team):
    offer = swaps.shift_offer(
        assignment=Assignment.objects.create(shift=team.shift, membership=team.advisor_a),
        by=team.advisor_a,
    )
    return swaps.shift_take(offer=offer, by=team.advisor_b)


def test_a_hand_over_waiting_is_texted_to_a_verified_mobile_only(
    team, django_capture_on_commit_callbacks
):
    # The coordinator also takes shifts as an advisor elsewhere, with a verified mobile.
    team.coordinator.phone_number, team.coordinator.phone_verified_at = "+33612340509", NOW
    team.coordinator.save()
    with django_capture_on_commit_callbacks(execute=True):
        take_with_approval(team)
    # Managers have no verified mobile: e-mail only. The advisors' numbers are in no text.
    (text,) = locmem.outbox
    assert text.to == "+33612340509"
    assert text.body.startswith(
        "Destination Concierge\u00a0: Advisor-A cède la permanence du lundi 1er juin, "
        "18:00–22:00 à Advisor-B\u00a0: en attente d’accord. http"
    )
    assert "0501" not in text.body and "0502" not in text.body
    notice = Notice.objects.get(kind=NoticeKind.HANDOVER_WAITING, user=team.coordinator.user)
    assert notice.text_sent_at is not None


def test_a_name_shaped_like_a_number_is_blanked_in_a_text(team, django_capture_on_commit_callbacks):
    team.advisor_b.user.first_name = "06 12 34 05 02"
    team.advisor_b.user.save()
    preferences.notice_preferences_save(
        user=team.advisor_a.user, language="fr", email=[], text=[NoticeKind.TAKEN]
    )
    with django_capture_on_commit_callbacks(execute=True):
        take_with_approval(team)
    (text,) = [sms for sms in locmem.outbox if sms.to == "+33612340501"]
    assert "06 12 34 05 02" not in text.body
    assert text.body.startswith("Destination Concierge\u00a0: [number] souhaite prendre")


def test_preferences_decide_e_mail_text_or_the_app_only(team, django_capture_on_commit_callbacks):
    preferences.notice_preferences_save(  # advisor A: the app only for everything
        user=team.advisor_a.user, language="fr", email=[], text=[]
    )
    preferences.notice_preferences_save(  # the coordinator: takes by text only, in English
        user=team.coordinator.user, language="en", email=[], text=[NoticeKind.HANDOVER_WAITING]
    )
    team.coordinator.phone_number, team.coordinator.phone_verified_at = "+33612340509", NOW
    team.coordinator.save()
    with django_capture_on_commit_callbacks(execute=True):
        take_with_approval(team)
    assert Notice.objects.filter(user=team.advisor_a.user, kind=NoticeKind.TAKEN).exists()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "manager-a@example.com",
        "manager-b@example.com",
    ]
    (text,) = locmem.outbox
    assert text.body.startswith(
        "Destination Concierge: Advisor-A hands the shift of Monday 1 June, 18:00–22:00 to "
        "Advisor-B: waiting for approval."
    )


def test_a_notice_is_read_in_the_readers_language(team, django_capture_on_commit_callbacks):
    preferences.notice_preferences_save(
        user=team.advisor_b.user, language="en", email=list(NoticeKind.values), text=[]
    )
    offer = take_with_approval(team)
    with django_capture_on_commit_callbacks(execute=True):
        swaps.shift_offer_decide(offer=offer, by=team.coordinator, approve=True)
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects["advisor-b@example.com"] == "Hand-over approved: Monday 1 June"
    assert subjects["advisor-a@example.com"] == "Passation approuvée\u00a0: lundi 1er juin"


def test_a_text_chosen_without_a_verified_mobile_is_not_sent(
    team, django_capture_on_commit_callbacks
):
    team.advisor_a.phone_verified_at = None
    team.advisor_a.save()
    Assignment.objects.create(shift=team.shift, membership=team.advisor_a)
    with django_capture_on_commit_callbacks(execute=True):
        rotas.rota_send_reminders(now=team.shift.starts_at - timedelta(hours=1))
    notice = Notice.objects.get(kind=NoticeKind.SHIFT_SOON)
    assert not notice.by_text and notice.text_sent_at is None
    assert locmem.outbox == []
    assert [m.to for m in mail.outbox] == [["advisor-a@example.com"]]


def test_a_failing_text_is_retried_and_sent_once(team, backend, django_capture_on_commit_callbacks):
    backend(FlakyTexts(failures=2))
    team.coordinator.phone_number, team.coordinator.phone_verified_at = "+33612340509", NOW
    team.coordinator.save()
    with django_capture_on_commit_callbacks(execute=True):
        take_with_approval(team)
    assert locmem.outbox == []  # the first try failed
    notice = Notice.objects.get(kind=NoticeKind.HANDOVER_WAITING, user=team.coordinator.user)
    assert notice.text_sent_at is None
    # The task as a worker runs it: it fails once more, Celery retries it, the text goes.
    send_notice_text.apply(args=(notice.pk,), throw=False)
    assert [sms.to for sms in locmem.outbox] == ["+33612340509"]
    assert len([m for m in mail.outbox if m.to == ["coord@example.com"]]) == 1
    # Sent: a late retry, a second worker or the sweep sends nothing more.
    send_notice_text.apply(args=(notice.pk,), throw=False)
    assert delivery.notice_email_send(notice_id=notice.pk) is False
    assert delivery.notices_resend(now=timezone.now() + timedelta(minutes=20)) == 0
    assert len(locmem.outbox) == 1
    assert len([m for m in mail.outbox if m.to == ["coord@example.com"]]) == 1


def test_a_failing_mail_server_is_retried_without_a_second_e_mail(
    team, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.rotas.test_notice_delivery.FlakyMail"
    FlakyMail.failures = 2
    with django_capture_on_commit_callbacks(execute=True):
        rotas.rota_assign(shift=team.shift, advisor=team.advisor_a, by=team.manager_a)
    assert mail.outbox == []
    notice = Notice.objects.get(kind=NoticeKind.ASSIGNED)
    send_notice_email.apply(args=(notice.pk,), throw=False)
    send_notice_email.apply(args=(notice.pk,), throw=False)
    assert [m.to for m in mail.outbox] == [["advisor-a@example.com"]]
    notice.refresh_from_db()
    assert notice.email_sent_at is not None


def test_a_text_refused_for_good_is_given_up(team, backend, django_capture_on_commit_callbacks):
    class Refusing(LocmemBackend):
        def send_sms(self, **kwargs):
            raise telephony.TelephonyError("Twilio refused: 21211 invalid 'To'", permanent=True)

    backend(Refusing())
    Assignment.objects.create(shift=team.shift, membership=team.advisor_a)
    with django_capture_on_commit_callbacks(execute=True):
        rotas.rota_send_reminders(now=team.shift.starts_at - timedelta(hours=1))
    notice = Notice.objects.get(kind=NoticeKind.SHIFT_SOON)
    assert notice.by_text is False and notice.text_sent_at is None
    assert notice.email_sent_at is not None  # the e-mail went all the same
    assert delivery.notices_resend(now=timezone.now() + timedelta(minutes=20)) == 0


def test_the_sweep_sends_what_a_broker_outage_kept_back(
    team, backend, django_capture_on_commit_callbacks
):
    backend(FlakyTexts(failures=100))  # more than the retries: the text stays unsent
    Assignment.objects.create(shift=team.shift, membership=team.advisor_a)
    with django_capture_on_commit_callbacks(execute=True):
        rotas.rota_send_reminders(now=team.shift.starts_at - timedelta(hours=1))
    assert locmem.outbox == []
    backend(FlakyTexts(failures=0))
    later = timezone.now() + timedelta(minutes=20)
    assert delivery.notices_resend(now=later) == 1
    assert delivery.notices_resend(now=later) == 0
    assert len(locmem.outbox) == 1
    assert len(mail.outbox) == 1  # the e-mail had gone: not sent again
