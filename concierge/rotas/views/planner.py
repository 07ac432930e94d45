"""/rotas/: the month planner of a network's shared rota. Members of the network see it;
coordinators and office managers assign; anyone else gets 404."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ...models import PLANNING_ROLES, Assignment, Closure, Membership, Role, Shift, ShiftOffer
from .. import closures, planning, selectors, swaps
from .. import fill as filling
from ..expansion import RotaError
from ..exports import month_csv
from ..forms import ClosureForm, can_close_any
from ..worktime import Breach
from .access import RotaRequest, back_to_shift, manager_or_404, member_or_404


@login_required
def home(request: RotaRequest) -> HttpResponse:
    """This month's planner of the user's network (the first one, if several)."""
    membership = selectors.first_membership(request.user)
    if membership is None:
        return render(request, "rotas/none.html", status=404)
    return redirect("rotas:month", membership.network_id, timezone.localdate().replace(day=1))


@login_required
def month(request: RotaRequest, network_id: int, first: date) -> HttpResponse:
    network, membership = member_or_404(request, network_id)
    assignable = selectors.assignable_by(membership)
    return render(
        request,
        "rotas/month.html",
        {
            "plan": selectors.month_plan(network=network, first=first, by=membership),
            "me": membership,
            "assignable_ids": {m.pk for m in assignable},
            "closure_form": ClosureForm(by=membership) if can_close_any(membership) else None,
            "previous": (first - timedelta(days=1)).replace(day=1),
            "following": (first + timedelta(days=32)).replace(day=1),
            "is_manager": membership.role in PLANNING_ROLES,
            "pending_offers": selectors.offers_to_decide(network)
            if membership.role == Role.COORDINATOR
            else [],
            "changes": selectors.latest_changes(network) if membership.role != Role.ADVISOR else [],
        },
    )


@require_POST
@login_required
def assign(request: RotaRequest, shift_id: uuid.UUID) -> HttpResponse:
    shift = get_object_or_404(Shift, public_id=shift_id)
    network, membership = member_or_404(request, shift.network_id)
    chosen = request.POST.get("advisor", "")
    number = chosen.isascii() and chosen.isdigit()  # "¹".isdigit(), and int() refuses it
    advisor = selectors.network_member(network, int(chosen)) if number else None
    error = ""
    try:
        if advisor is None:
            raise RotaError(_("Choose an advisor."))
        coming = shift.starts_at > timezone.now()
        if coming and not request.POST.get("confirm") and selectors.can_assign(membership, advisor):
            breaches = selectors.breaches_if_assigned(shift=shift, advisor=advisor)
            if breaches:
                return _confirm(request, shift, membership, advisor, breaches)
        planning.rota_assign(shift=shift, advisor=advisor, by=membership)
    except RotaError as failure:
        error = failure.message
    return _answer(request, shift, membership, error=error, done=_("Assigned."))


def _confirm(
    request: RotaRequest,
    shift: Shift,
    membership: Membership,
    advisor: Membership,
    breaches: list[Breach],
) -> HttpResponse:
    """The working-time limits the assignment would break, and a button to assign anyway: in
    the shift's box (htmx), or on a page of its own without JavaScript."""
    context = {
        "row": selectors.shift_row(shift, by=membership),
        "assignable_ids": {m.pk for m in selectors.assignable_by(membership)},
        "is_manager": True,
        "pending": advisor,
        "breaches": breaches,
    }
    if request.htmx:
        return render(request, "rotas/_shift.html", context)
    first = timezone.localtime(shift.starts_at).date().replace(day=1)
    return render(request, "rotas/confirm.html", {**context, "first": first})


@require_POST
@login_required
def unassign(request: RotaRequest, shift_id: uuid.UUID, membership_id: int) -> HttpResponse:
    shift = get_object_or_404(Shift, public_id=shift_id)
    _network, membership = member_or_404(request, shift.network_id)
    assignment = get_object_or_404(Assignment, shift=shift, membership_id=membership_id)
    error = ""
    try:
        planning.rota_unassign(assignment=assignment, by=membership)
    except RotaError as failure:
        error = failure.message
    return _answer(request, shift, membership, error=error, done=_("Taken off the shift."))


def _answer(
    request: RotaRequest, shift: Shift, membership: Membership, *, error: str, done: str
) -> HttpResponse:
    """htmx swaps the shift's box in place; without JavaScript, back to the month with a
    message."""
    if request.htmx:
        assignable = selectors.assignable_by(membership)
        first = timezone.localtime(shift.starts_at).date().replace(day=1)
        return render(
            request,
            "rotas/_shift.html",
            {
                "row": selectors.shift_row(shift, by=membership),
                "assignable_ids": {m.pk for m in assignable},
                "is_manager": membership.role in PLANNING_ROLES,
                "shift_error": error,
                "gaps_oob": selectors.month_gaps(network=shift.network, first=first),
            },
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    return back_to_shift(shift)


@login_required
def export(request: RotaRequest, network_id: int, first: date) -> HttpResponse:
    network, _membership = manager_or_404(request, network_id)
    response = HttpResponse(month_csv(network=network, first=first), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="rota-{first:%Y-%m}.csv"'
    return response


@login_required
def fill(request: RotaRequest, network_id: int, first: date) -> HttpResponse:
    """ "Fill the gaps fairly": a proposal to review; only what the manager confirms is saved."""
    network, membership = manager_or_404(request, network_id)
    if request.method == "POST":
        keys = _proposal_keys(request.POST.getlist("proposal"))
        done, refused = 0, []
        for proposal in filling.proposals_named(network=network, keys=keys):
            try:
                planning.rota_assign(shift=proposal.shift, advisor=proposal.advisor, by=membership)
                done += 1
            except RotaError as error:
                refused.append(error.message)
        messages.success(request, _("%(count)d assignments saved.") % {"count": done})
        for reason in dict.fromkeys(refused):
            messages.warning(request, reason)
        return redirect("rotas:month", network.pk, first)
    proposals = filling.rota_propose(network=network, first=first, by=membership)
    return render(
        request,
        "rotas/fill.html",
        {"network": network, "first": first, "proposals": proposals},
    )


def _proposal_keys(values: list[str]) -> list[tuple[uuid.UUID, int]]:
    """The ticked proposals, ``<shift public id>:<advisor id>`` each; others are ignored."""
    keys = []
    for value in values:
        shift_id, _sep, advisor_id = value.partition(":")
        try:
            keys.append((uuid.UUID(shift_id), int(advisor_id)))
        except ValueError:
            continue
    return keys


@require_POST
@login_required
def decide(request: RotaRequest, offer_id: uuid.UUID) -> HttpResponse:
    offer = get_object_or_404(
        ShiftOffer.objects.select_related("assignment__shift"), public_id=offer_id
    )
    _network, membership = member_or_404(request, offer.assignment.shift.network_id)
    try:
        swaps.shift_offer_decide(
            offer=offer, by=membership, approve=request.POST.get("decision") == "approve"
        )
    except RotaError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Decided."))
    return back_to_shift(offer.assignment.shift)


@require_POST
@login_required
def closure_add(request: RotaRequest, network_id: int) -> HttpResponse:
    """A manager closes their office for a day; a coordinator any office, or the network."""
    network, membership = manager_or_404(request, network_id)
    form = ClosureForm(request.POST, by=membership)
    day = timezone.localdate()
    if form.is_valid():
        day = form.cleaned_data["day"]
        try:
            closures.closure_declare(
                by=membership,
                office=form.cleaned_data["office"],
                day=day,
                reason=form.cleaned_data["reason"],
            )
        except RotaError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Closure saved."))
    else:
        for field_errors in form.errors.values():
            messages.error(request, " ".join(str(problem) for problem in field_errors))
    return redirect("rotas:month", network.pk, day.replace(day=1))


@require_POST
@login_required
def closure_remove(request: RotaRequest, closure_id: int) -> HttpResponse:
    closure = get_object_or_404(Closure.objects.select_related("office", "network"), pk=closure_id)
    _network, membership = manager_or_404(request, closure.network_id)
    try:
        closures.closure_withdraw(by=membership, closure=closure)
    except RotaError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The closure is withdrawn."))
    return redirect("rotas:month", closure.network_id, closure.day.replace(day=1))
