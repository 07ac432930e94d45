"""Sending a notice by e-mail and by text: each at most once. The row is locked while it goes
out and stamped in the same transaction, so two workers, a retry after a failure or the sweep
never send it twice; a failure rolls the stamp back and the task retries."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from ..lib import telephony
from ..models import Notice
from . import inbox, notice_copy

logger = logging.getLogger(__name__)


def enqueue(notice_id: int, *, email: bool, text: bool) -> None:
    """After commit: one task per channel. A broker outage loses nothing: the sweep
    (:func:`notices_resend`) enqueues what is still unsent."""
    from .tasks import send_notice_email, send_notice_text  # the tasks call back into here

    try:
        if email:
            send_notice_email.delay(notice_id)
        if text:
            send_notice_text.delay(notice_id)
    except Exception:  # noqa: BLE001 - broker down: the sweep sends it later
        logger.warning("Could not enqueue notice %s; the sweep will send it", notice_id)


def _claim(notice_id: int, *, pending: Q) -> Notice | None:
    """The notice, locked until the caller's transaction ends, if it still waits to go out."""
    return (
        inbox.with_rows(Notice.objects.select_for_update(of=("self",)))
        .select_related("user")
        .filter(pending, pk=notice_id)
        .first()
    )


def notice_email_send(*, notice_id: int, now: datetime | None = None) -> bool:
    """E-mail the notice to its reader in their language, once. A failure of the mail server
    propagates (the task retries) and leaves the notice unsent."""
    with transaction.atomic():
        notice = _claim(notice_id, pending=Q(by_email=True, email_sent_at__isnull=True))
        if notice is None:
            return False
        choices = inbox.choices_of(notice.user_id)
        mail = notice_copy.mail(
            inbox.facts_of(notice),
            language=choices.language,
            link=inbox.absolute(reverse("rotas:notice", args=[notice.public_id])),
            preferences=inbox.absolute(reverse("rotas:notice-preferences")),
        )
        send_mail(mail.subject, mail.body, None, [notice.user.email])
        notice.email_sent_at = now or timezone.now()
        notice.save(update_fields=["email_sent_at"])
    return True


def notice_text_send(*, notice_id: int, now: datetime | None = None) -> bool:
    """Text the notice to its reader's verified mobile, once. A temporary failure propagates
    (the task retries); a refusal for good, or a mobile no longer verified, ends the text."""
    with transaction.atomic():
        notice = _claim(notice_id, pending=Q(by_text=True, text_sent_at__isnull=True))
        if notice is None:
            return False
        number = inbox.verified_phone(notice.user_id)
        if not number:
            return _give_up(notice)
        body = notice_copy.text(
            inbox.facts_of(notice),
            language=inbox.choices_of(notice.user_id).language,
            link=inbox.absolute(reverse("rotas:notice", args=[notice.public_id])),
        )
        try:
            telephony.send_sms(to=number, body=body)
        except telephony.TelephonyError as error:
            if not error.permanent:
                raise
            logger.warning("Notice %s could not be texted: %s", notice.pk, error.message)
            return _give_up(notice)
        notice.text_sent_at = now or timezone.now()
        notice.save(update_fields=["text_sent_at"])
    return True


def _give_up(notice: Notice) -> bool:
    notice.by_text = False
    notice.save(update_fields=["by_text"])
    return False


def notices_resend(*, now: datetime | None = None) -> int:
    """Beat: enqueue again what should have gone out minutes ago and has not (a broker outage,
    a worker lost); within a day, after which a notice is stale."""
    now = now or timezone.now()
    unsent = Notice.objects.filter(
        Q(by_email=True, email_sent_at__isnull=True) | Q(by_text=True, text_sent_at__isnull=True),
        created_at__gt=now - timedelta(days=1),
        created_at__lt=now - timedelta(minutes=10),
    ).values_list("pk", "by_email", "email_sent_at", "by_text", "text_sent_at")
    count = 0
    for pk, by_email, emailed, by_text, texted in unsent:
        enqueue(pk, email=by_email and emailed is None, text=by_text and texted is None)
        count += 1
    return count
