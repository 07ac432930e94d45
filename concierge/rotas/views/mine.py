"""/rotas/me/: an advisor's coming shifts, shifts colleagues offer, their mobile, the days they
are away and the private address of their calendar feed; one view per thing they can do
there. Also the feed itself, and offering and taking shifts."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ...models import Assignment, Membership, OfferStatus, Role, ShiftOffer
from .. import advisor_phone_confirm, advisor_phone_start, selectors, swaps
from .. import advisors as services
from ..expansion import RotaError
from ..exports import calendar_feed
from .access import RotaRequest, advisor_view


@advisor_view
def my_shifts(request: RotaRequest, advisors: list[Membership]) -> HttpResponse:
    """The page. Its forms post to the views below; a form posted here with its ``action``
    (as the page did before they had addresses of their own) still reaches them."""
    if request.method == "POST" and (action := ACTIONS.get(request.POST.get("action", ""))):
        return action(request)
    now = timezone.now()
    upcoming = selectors.assignments_of(advisors, ending_after=now)
    return render(
        request,
        "rotas/mine.html",
        {
            "page": Paginator(upcoming, 30).get_page(request.GET.get("page")),
            "feeds": [_feed(request, m) for m in advisors],
            "today": timezone.localdate(),
            "now": now,
            "away": selectors.days_away(advisors, since=timezone.localdate()),
            "colleagues_offer": selectors.offers_from_colleagues(advisors, now=now),
            "member": advisors[0],
            "offered": selectors.offered_assignment_ids(advisors),
        },
    )


def _feed(request: HttpRequest, member: Membership) -> tuple[Membership, str, str]:
    """The feed's address, and the same with ``webcal:``, which calendar apps open to
    subscribe."""
    url = request.build_absolute_uri(reverse("rotas:feed", args=[member.calendar_token]))
    return member, url, "webcal:" + url.split(":", 1)[1]


@require_POST
@advisor_view
def phone_send(request: RotaRequest, advisors: list[Membership]) -> HttpResponse:
    try:  # one code for the person, whatever the number of networks they serve
        advisor_phone_start(member=advisors[0], phone_number=request.POST.get("phone_number", ""))
    except RotaError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Code sent by text message."))
    return redirect("rotas:mine")


@require_POST
@advisor_view
def phone_confirm(request: RotaRequest, advisors: list[Membership]) -> HttpResponse:
    try:
        advisor_phone_confirm(member=advisors[0], code=request.POST.get("code", ""))
    except RotaError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your mobile is verified: calls on duty will come to it."))
    return redirect("rotas:mine")


@require_POST
@advisor_view
def day_away(request: RotaRequest, advisors: list[Membership]) -> HttpResponse:
    day = _day(request)
    if day is None:
        messages.error(request, _("Choose a day."))
    elif day < timezone.localdate():
        messages.error(request, _("This day is past: choose today or a later day."))
    else:
        services.advisor_day_away(advisors=advisors, day=day)
        messages.success(request, _("Saved."))
    return redirect("rotas:mine")


@require_POST
@advisor_view
def day_back(request: RotaRequest, advisors: list[Membership]) -> HttpResponse:
    day = _day(request)
    if day is None:
        messages.error(request, _("Choose a day."))
    else:
        services.advisor_day_back(advisors=advisors, day=day)
        messages.success(request, _("Saved."))
    return redirect("rotas:mine")


def _day(request: HttpRequest) -> date | None:
    try:
        return date.fromisoformat(request.POST.get("day", ""))
    except ValueError:
        return None


@require_POST
@advisor_view
def feed_renew(request: RotaRequest, advisors: list[Membership]) -> HttpResponse:
    services.advisor_feed_renew(advisors=advisors)
    messages.success(request, _("New calendar address: the old one no longer works."))
    return redirect("rotas:mine")


# What the forms of /rotas/me/ said in their ``action`` before each had its own address.
ACTIONS: dict[str, Callable[[HttpRequest], HttpResponse]] = {
    "phone-send": phone_send,
    "phone-confirm": phone_confirm,
    "away": day_away,
    "back": day_back,
    "new-feed": feed_renew,
}


def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The calendar feed: the secret in the address is the only key (calendar apps cannot log
    in); a wrong or revoked one is a 404."""
    member = get_object_or_404(
        Membership.objects.select_related("network"), calendar_token=token, role=Role.ADVISOR
    )
    response = HttpResponse(calendar_feed(member), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_POST
@login_required
def offer(request: RotaRequest, assignment_id: int) -> HttpResponse:
    assignment = get_object_or_404(
        Assignment.objects.select_related("shift", "membership"),
        pk=assignment_id,
        membership__user=request.user,
    )
    try:
        swaps.shift_offer(assignment=assignment, by=assignment.membership)
    except RotaError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Offered to your colleagues. It stays yours until taken."))
    return redirect("rotas:mine")


@require_POST
@login_required
def take(request: RotaRequest, offer_id: uuid.UUID) -> HttpResponse:
    shift_offer = get_object_or_404(
        ShiftOffer.objects.select_related("offered_by"), public_id=offer_id
    )
    member = selectors.advisor_in(request.user, network_id=shift_offer.offered_by.network_id)
    if member is None:
        raise Http404
    try:
        taken = swaps.shift_take(offer=shift_offer, by=member)
    except RotaError as error:
        messages.error(request, error.message)
    else:
        if taken.status == OfferStatus.DONE:
            messages.success(request, _("The shift is yours."))
        else:
            messages.success(request, _("Taken: the coordinator will confirm."))
    return redirect("rotas:mine")
