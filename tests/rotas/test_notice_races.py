"""On PostgreSQL, as in production: workers sending one notice at once send it once, and beat
runs telling of one event at once make one notice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail

from calls.telephony import locmem
from concierge.models import Assignment, Notice, NoticeKind
from concierge.rotas import delivery, notices

from ..concurrency import at_once

pytestmark = pytest.mark.django_db(transaction=True)


def test_workers_sending_one_notice_at_once_send_it_once(postgres, team):
    Assignment.objects.create(shift=team.shift, membership=team.advisor_a)
    notices.rota_send_reminders(now=team.shift.starts_at - timedelta(hours=1))  # eager: sent
    notice = Notice.objects.get(kind=NoticeKind.SHIFT_SOON)
    Notice.objects.filter(pk=notice.pk).update(email_sent_at=None, text_sent_at=None)
    mail.outbox.clear()
    locmem.outbox.clear()

    emails = at_once(*[lambda: delivery.notice_email_send(notice_id=notice.pk)] * 6)
    texts = at_once(*[lambda: delivery.notice_text_send(notice_id=notice.pk)] * 6)
    assert sorted(emails) == [False] * 5 + [True]
    assert sorted(texts) == [False] * 5 + [True]
    assert len(mail.outbox) == 1
    assert len(locmem.outbox) == 1


def test_runs_telling_of_one_empty_seat_at_once_make_one_notice_each(postgres, team):
    counts = at_once(
        *[lambda: notices.rota_notify_empty_seats(now=team.shift.starts_at - timedelta(hours=2))]
        * 4
    )
    assert sum(counts) == 3  # the coordinator and two managers, once each
    assert Notice.objects.filter(kind=NoticeKind.EMPTY_SEAT).count() == 3
