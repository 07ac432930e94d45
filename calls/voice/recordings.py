"""Recorded calls (premium lines, after the notice): the audio stays at Twilio; we keep its
reference, text the caller a signed, expiring replay link, and delete it after retention."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from concierge.lib import telephony

from .. import copy
from ..models import Call, Recording
from .notices import notify

logger = logging.getLogger(__name__)


REPLAY_SALT = "calls.replay"


def replay_token(recording: Recording) -> str:
    return signing.TimestampSigner(salt=REPLAY_SALT).sign(str(recording.pk))


def recording_from_token(token: str) -> Recording | None:
    """The recording a replay link points to, if the link is genuine, fresh and still useful."""
    max_age = timedelta(days=settings.RECORDING_LINK_DAYS)
    try:
        pk = signing.TimestampSigner(salt=REPLAY_SALT).unsign(token, max_age=max_age)
    except signing.BadSignature:  # forged, or expired (SignatureExpired is a subclass)
        return None
    return Recording.objects.filter(pk=pk, deleted_at__isnull=True).first()


def recording_store(*, call: Call, sid: str, url: str, duration: int | None) -> Recording | None:
    """Keep the reference of a finished recording and text the caller a private replay link;
    a repeated callback stores and texts nothing more."""
    recording, created = Recording.objects.get_or_create(
        sid=sid, defaults={"call": call, "url": url, "duration": duration}
    )
    if not created or not call.caller_number:
        return None
    link = settings.PUBLIC_BASE_URL + reverse("calls:replay", args=[replay_token(recording)])
    body = copy.caller_replay_link(
        call.language or "en", link=link, days=settings.RECORDING_LINK_DAYS
    )
    number = call.caller_number
    transaction.on_commit(lambda: notify(number, body))
    return recording


def recordings_delete_old(*, now: datetime | None = None) -> int:
    """Retention: recordings older than the setting are deleted at Twilio and marked here."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.RECORDING_RETENTION_DAYS)
    deleted = 0
    for recording in Recording.objects.filter(created_at__lt=cutoff, deleted_at__isnull=True):
        try:
            telephony.get_backend().delete_recording(sid=recording.sid)
        except telephony.TelephonyError as exc:
            logger.warning("Recording %s not deleted yet: %s", recording.sid, exc)
            continue
        Recording.objects.filter(pk=recording.pk).update(deleted_at=now, url="")
        deleted += 1
    return deleted
