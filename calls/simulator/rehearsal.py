"""Who may rehearse, on which lines, and how a rehearsal reaches our webhooks.

Staff rehearse on every active line; the coordinators and managers of tourist offices on the lines
open to their network (``PhoneLine.rehearsal_networks``). Every request the simulators send is
signed with the rehearsal key, never Twilio's token, so what it creates is marked as a rehearsal.
Where the telephony backend reaches real phones, the simulators are off.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.test import Client

from concierge.models import PLANNING_ROLES, Membership, User

from ..models import PhoneLine
from ..twilio.webhooks import REHEARSAL_HEADER, rehearsals_allowed, sign_rehearsal

View = Callable[..., HttpResponse]


def signed_post(path: str, params: dict[str, str]) -> str:
    """One webhook, in-process through Django's whole stack, signed as a rehearsal."""
    host = settings.PUBLIC_BASE_URL.split("://", 1)[1]
    secure = settings.PUBLIC_BASE_URL.startswith("https://")
    signature = sign_rehearsal(settings.PUBLIC_BASE_URL + path, params)
    client = Client(HTTP_HOST=host, headers={REHEARSAL_HEADER: signature})
    response = client.post(path, params, secure=secure)
    return response.content.decode()


def lines_to_rehearse(user: User) -> QuerySet[PhoneLine]:
    """The active lines this person may rehearse on."""
    lines = PhoneLine.objects.filter(is_active=True).order_by("label", "pk")
    if user.is_staff:
        return lines
    networks = Membership.objects.filter(user=user, role__in=PLANNING_ROLES).values("network")
    open_to_them = PhoneLine.rehearsal_networks.through.objects.filter(
        phoneline_id=OuterRef("pk"), officenetwork_id__in=networks
    )
    return lines.filter(Exists(open_to_them))


def rehearser_required(view: View) -> View:
    """Staff, and the coordinators and managers of tourist offices (who rehearse what their
    advisors on duty will live), reach the simulators; others are sent to log in. Where real
    phones are reached the page says the simulators are off, and refuses every action."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated or not (
            user.is_staff or Membership.objects.filter(user=user, role__in=PLANNING_ROLES).exists()
        ):
            return redirect_to_login(request.get_full_path())
        if not rehearsals_allowed():
            status = 403 if request.method == "POST" else 200
            return render(request, "calls/simulator_off.html", status=status)
        return view(request, *args, **kwargs)

    return wrapper
