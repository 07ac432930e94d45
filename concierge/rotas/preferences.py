"""What a person does with their notices: reading them, and choosing what arrives by e-mail and
text (and in which language)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.utils import timezone

from ..models import Notice, NoticeKind, NoticePreferences, User


def notices_mark_read(*, user: User, public_ids: Iterable[uuid.UUID] | None = None) -> int:
    """The user's notices (these, or all) are read; reading one twice keeps the first time."""
    unread = Notice.objects.filter(user=user, read_at__isnull=True)
    if public_ids is not None:
        unread = unread.filter(public_id__in=list(public_ids))
    return unread.update(read_at=timezone.now())


def notice_preferences_save(
    *, user: User, language: str, email: Iterable[str], text: Iterable[str]
) -> NoticePreferences:
    kinds = set(NoticeKind.values)
    preferences, _created = NoticePreferences.objects.update_or_create(
        user=user,
        defaults={
            "language": language,
            "email_kinds": sorted(set(email) & kinds),
            "text_kinds": sorted(set(text) & kinds),
        },
    )
    return preferences
