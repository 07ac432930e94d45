"""/: the public home. What the service is, each line's number written for humans with a tel:
link, and live figures, like the counters of the national numbers that came before us. Signed-in
people go on to their role's home (calls.homes)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from concierge.models import User

from .copy import human_number
from .homes.roles import current_role, roles_of
from .models import Call, CallStatus, PhoneLine

FIGURES_SECONDS = 60  # the figures are a minute old at most: one query a minute, not per visit


@dataclass(frozen=True)
class LineShown:
    label: str
    number: str  # "+33 1 99 00 00 00"
    tel: str  # "+33199000000", for the tel: link


@dataclass(frozen=True)
class Figures:
    calls: int
    countries: int
    talk_minutes: int


def live_figures() -> Figures:
    """Calls answered, the countries they came from and the minutes talked; rehearsals and
    unanswered calls are left out."""
    figures = cache.get("home:figures")
    if figures is None:
        real = Call.objects.filter(is_rehearsal=False, answered_at__isnull=False)
        totals = real.aggregate(
            calls=Count("pk"),
            countries=Count("caller_country", distinct=True, filter=~Q(caller_country="")),
            seconds=Sum("duration", filter=Q(status=CallStatus.COMPLETED)),
        )
        figures = Figures(
            calls=totals["calls"] or 0,
            countries=totals["countries"] or 0,
            talk_minutes=(totals["seconds"] or 0) // 60,
        )
        cache.set("home:figures", figures, FIGURES_SECONDS)
    return figures


def home(request: HttpRequest) -> HttpResponse:
    if isinstance(request.user, User):
        role = current_role(request, roles_of(request.user))
        return redirect(role.url if role else "homes:home")
    lines = [
        LineShown(
            label=line.label, number=human_number(line.number.as_e164), tel=line.number.as_e164
        )
        for line in PhoneLine.objects.filter(is_active=True).order_by("pk")
    ]
    return render(request, "home.html", {"lines": lines, "figures": live_figures()})
