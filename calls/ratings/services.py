"""Staff's side of the ratings: a low score, once looked at, leaves the review list."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from concierge.models import User

from ..models import Rating


def ratings_mark_reviewed(*, ids: Iterable[int], by: User) -> int:
    """Mark these ratings as looked at by ``by`` (now); already reviewed ones keep their first
    reviewer. How many were marked."""
    return Rating.objects.filter(pk__in=list(ids), reviewed_at__isnull=True).update(
        reviewed_at=timezone.now(), reviewed_by=by
    )
