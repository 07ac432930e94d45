"""Who may see a rota page: what every view of the rotas shares."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django_htmx.middleware import HtmxDetails

from ...models import Membership, OfficeNetwork, Role, Shift, User
from .. import selectors


class RotaRequest(HttpRequest):
    """A request to a page behind ``login_required`` (so ``user`` is a real user), through
    django-htmx's middleware."""

    user: User
    htmx: HtmxDetails


def member_or_404(request: RotaRequest, network_id: int) -> tuple[OfficeNetwork, Membership]:
    """The network and the user's strongest role in it; outsiders cannot even tell the network
    exists."""
    network = get_object_or_404(OfficeNetwork, pk=network_id)
    membership = selectors.membership_in(request.user, network)
    if membership is None:
        raise Http404
    return network, membership


def manager_or_404(request: RotaRequest, network_id: int) -> tuple[OfficeNetwork, Membership]:
    """As :func:`member_or_404`, for the pages of coordinators and office managers."""
    network, membership = member_or_404(request, network_id)
    if membership.role == Role.ADVISOR:
        raise Http404
    return network, membership


AdvisorView = Callable[..., HttpResponse]


def advisor_view(view: AdvisorView) -> AdvisorView:
    """Log-in required; the view gets the user's advisor memberships (every network they take
    shifts in) after the request. Anyone who is no advisor gets the "not in a network" page."""

    @login_required
    @wraps(view)
    def wrapper(request: RotaRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        advisors = selectors.advisor_memberships(request.user)
        if not advisors:
            return render(request, "rotas/none.html", status=404)
        return view(request, advisors, *args, **kwargs)

    return wrapper


def back_to_shift(shift: Shift) -> HttpResponse:
    """The month page, scrolled to the shift."""
    local = timezone.localtime(shift.starts_at)
    response = redirect("rotas:month", shift.network_id, local.date().replace(day=1))
    response["Location"] += f"#shift-{shift.public_id}"
    return response
