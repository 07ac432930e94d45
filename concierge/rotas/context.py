"""What every page may show of a person's notices, computed only if the page shows it: the
unread count in the header (one query) and the latest five (``rotas/_notices.html``), each at
most once per request."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from . import inbox


def notices(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_notices": SimpleLazyObject(lambda: inbox.unread_count(user)),
        "recent_notices": SimpleLazyObject(lambda: inbox.recent(user)),
    }
