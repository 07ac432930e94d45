"""/rotas/: the month planner of a network's shared rota (server-rendered; forms post, so it
works without JavaScript). Members of the network see it; coordinators and office managers
assign; anyone else gets 404."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from concierge import rotas
from concierge.models import (
    Assignment,
    Invitation,
    Membership,
    OfferStatus,
    OfficeNetwork,
    Role,
    Shift,
    ShiftOffer,
    TouristOffice,
    Unavailability,
    new_calendar_token,
)

from ..exports import calendar_feed, month_csv


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """This month's planner of the user's network (the first one, if several)."""
    membership = Membership.objects.filter(user=request.user).order_by("network_id", "role").first()
    if membership is None:
        return render(request, "rotas/none.html", status=404)
    today = timezone.localdate()
    return redirect("rotas:month", membership.network_id, today.replace(day=1))


def _member(request: HttpRequest, network_id: int) -> tuple[OfficeNetwork, Membership]:
    network = get_object_or_404(OfficeNetwork, pk=network_id)
    membership = rotas.membership_in(request.user, network)
    if membership is None:
        raise Http404  # outsiders cannot even tell the network exists
    return network, membership


@login_required
def month(request: HttpRequest, network_id: int, first: date) -> HttpResponse:
    network, membership = _member(request, network_id)
    plan = rotas.month_plan(network=network, first=first)
    assignable = rotas.assignable_by(membership)
    previous = (first - timedelta(days=1)).replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return render(
        request,
        "rotas/month.html",
        {
            "plan": plan,
            "me": membership,
            "assignable": assignable,
            "assignable_ids": {m.pk for m in assignable},
            "previous": previous,
            "following": following,
            "is_manager": membership.role in (Role.COORDINATOR, Role.MANAGER),
            "pending_offers": ShiftOffer.objects.filter(
                status=OfferStatus.PENDING, offered_by__network=network
            ).select_related("assignment__shift", "offered_by__user", "taken_by__user")
            if membership.role == Role.COORDINATOR
            else [],
            "changes": network.changes.select_related("actor")[:10]
            if membership.role != Role.ADVISOR
            else [],
        },
    )


@require_POST
@login_required
def assign(request: HttpRequest, shift_id: str) -> HttpResponse:
    shift = get_object_or_404(Shift, public_id=shift_id)
    network, membership = _member(request, shift.network_id)
    advisor = Membership.objects.filter(
        pk=request.POST.get("advisor") or 0, network=network
    ).first()
    error = ""
    try:
        if advisor is None:
            raise rotas.RotaError(_("Choose an advisor."))
        rotas.rota_assign(shift=shift, advisor=advisor, by=membership)
    except rotas.RotaError as failure:
        error = failure.message
    return _answer(request, shift, membership, error=error, done=_("Assigned."))


@require_POST
@login_required
def unassign(request: HttpRequest, shift_id: str, membership_id: int) -> HttpResponse:
    shift = get_object_or_404(Shift, public_id=shift_id)
    _network, membership = _member(request, shift.network_id)
    assignment = get_object_or_404(Assignment, shift=shift, membership_id=membership_id)
    error = ""
    try:
        rotas.rota_unassign(assignment=assignment, by=membership)
    except rotas.RotaError as failure:
        error = failure.message
    return _answer(request, shift, membership, error=error, done=_("Taken off the shift."))


def _answer(
    request: HttpRequest, shift: Shift, membership: Membership, *, error: str, done: str
) -> HttpResponse:
    """htmx swaps the shift's box in place; without JavaScript, back to the month with a
    message."""
    if request.htmx:  # type: ignore[attr-defined]
        assignable = rotas.assignable_by(membership)
        first = timezone.localtime(shift.starts_at).date().replace(day=1)
        return render(
            request,
            "rotas/_shift.html",
            {
                "shift": rotas.shift_with_assignees(shift),
                "assignable": assignable,
                "assignable_ids": {m.pk for m in assignable},
                "is_manager": membership.role in (Role.COORDINATOR, Role.MANAGER),
                "shift_error": error,
                "gaps_oob": rotas.month_gaps(network=shift.network, first=first),
            },
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    return _back(shift)


def _back(shift: Shift) -> HttpResponse:
    local = timezone.localtime(shift.starts_at)
    response = redirect("rotas:month", shift.network_id, local.date().replace(day=1))
    response["Location"] += f"#shift-{shift.public_id}"
    return response


@login_required
def my_shifts(request: HttpRequest) -> HttpResponse:
    """An advisor's coming shifts and the private address of their calendar feed."""
    memberships = list(
        Membership.objects.filter(user=request.user, role=Role.ADVISOR).select_related("network")
    )
    if not memberships:
        return render(request, "rotas/none.html", status=404)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action in ("phone-send", "phone-confirm"):
        try:
            for member in memberships:
                if action == "phone-send":
                    rotas.advisor_phone_start(
                        member=member, phone_number=request.POST.get("phone_number", "")
                    )
                else:
                    rotas.advisor_phone_confirm(member=member, code=request.POST.get("code", ""))
        except rotas.RotaError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Code sent by text message.")
                if action == "phone-send"
                else _("Your mobile is verified: calls on duty will come to it."),
            )
        return redirect("rotas:mine")
    if request.method == "POST" and request.POST.get("action") in ("away", "back"):
        try:
            day = date.fromisoformat(request.POST.get("day", ""))
        except ValueError:
            messages.error(request, _("Choose a day."))
            return redirect("rotas:mine")
        for member in memberships:
            if request.POST["action"] == "away":
                Unavailability.objects.get_or_create(membership=member, day=day)
            else:
                Unavailability.objects.filter(membership=member, day=day).delete()
        messages.success(request, _("Saved."))
        return redirect("rotas:mine")
    if request.method == "POST" and request.POST.get("action") == "new-feed":
        for member in memberships:
            member.calendar_token = new_calendar_token()
            member.save(update_fields=["calendar_token"])
        messages.success(request, _("New calendar address: the old one no longer works."))
        return redirect("rotas:mine")
    upcoming = (
        Assignment.objects.filter(membership__in=memberships, shift__ends_at__gte=timezone.now())
        .select_related("shift", "membership__network")
        .order_by("shift__starts_at")
    )
    page = Paginator(upcoming, 30).get_page(request.GET.get("page"))
    feeds = [
        (m, request.build_absolute_uri(reverse("rotas:feed", args=[m.calendar_token])))
        for m in memberships
    ]
    colleagues_offer = (
        ShiftOffer.objects.filter(
            status=OfferStatus.OPEN,
            offered_by__network__in=[m.network for m in memberships],
            assignment__shift__starts_at__gt=timezone.now(),
        )
        .exclude(offered_by__in=memberships)
        .select_related("assignment__shift", "offered_by__user", "offered_by__office")
    )
    offered = set(
        ShiftOffer.objects.filter(
            offered_by__in=memberships, status__in=[OfferStatus.OPEN, OfferStatus.PENDING]
        ).values_list("assignment", flat=True)
    )
    away = Unavailability.objects.filter(
        membership__in=memberships, day__gte=timezone.localdate()
    ).values_list("day", flat=True)
    return render(
        request,
        "rotas/mine.html",
        {
            "page": page,
            "feeds": feeds,
            "away": sorted(set(away)),
            "colleagues_offer": colleagues_offer,
            "member": Membership.objects.get(pk=memberships[0].pk),
            "offered": offered,
        },
    )


def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The calendar feed: the secret in the address is the only key (calendar apps cannot log
    in); a wrong or revoked one is a 404."""
    member = get_object_or_404(
        Membership.objects.select_related("network"), calendar_token=token, role=Role.ADVISOR
    )
    response = HttpResponse(calendar_feed(member), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
def export(request: HttpRequest, network_id: int, first: date) -> HttpResponse:
    network, membership = _member(request, network_id)
    if membership.role == Role.ADVISOR:
        raise Http404
    response = HttpResponse(month_csv(network=network, first=first), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="rota-{first:%Y-%m}.csv"'
    return response


@login_required
def fill(request: HttpRequest, network_id: int, first: date) -> HttpResponse:
    """ "Fill the gaps fairly": a proposal to review; only what the manager confirms is saved."""
    network, membership = _member(request, network_id)
    if membership.role == Role.ADVISOR:
        raise Http404
    if request.method == "POST":
        chosen = request.POST.getlist("proposal")
        shifts = {str(s.public_id): s for s in Shift.objects.filter(network=network)}
        members = {str(m.pk): m for m in Membership.objects.filter(network=network)}
        done, refused = 0, []
        for value in chosen:
            shift_id, _sep, member_id = value.partition(":")
            shift, advisor = shifts.get(shift_id), members.get(member_id)
            if shift is None or advisor is None:
                continue
            try:
                rotas.rota_assign(shift=shift, advisor=advisor, by=membership)
                done += 1
            except rotas.RotaError as error:
                refused.append(error.message)
        messages.success(request, _("%(count)d assignments saved.") % {"count": done})
        for reason in dict.fromkeys(refused):
            messages.warning(request, reason)
        return redirect("rotas:month", network.pk, first)
    proposals = rotas.rota_propose(network=network, first=first, by=membership)
    return render(
        request,
        "rotas/fill.html",
        {"network": network, "first": first, "proposals": proposals},
    )


@require_POST
@login_required
def offer(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = get_object_or_404(
        Assignment.objects.select_related("shift", "membership"),
        pk=assignment_id,
        membership__user=request.user,
    )
    try:
        rotas.shift_offer(assignment=assignment, by=assignment.membership)
    except rotas.RotaError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Offered to your colleagues. It stays yours until taken."))
    return redirect("rotas:mine")


@require_POST
@login_required
def take(request: HttpRequest, offer_id: str) -> HttpResponse:
    shift_offer = get_object_or_404(
        ShiftOffer.objects.select_related("offered_by"), public_id=offer_id
    )
    member = Membership.objects.filter(
        user=request.user, network_id=shift_offer.offered_by.network_id, role=Role.ADVISOR
    ).first()
    if member is None:
        raise Http404
    try:
        taken = rotas.shift_take(offer=shift_offer, by=member)
    except rotas.RotaError as error:
        messages.error(request, error.message)
    else:
        if taken.status == OfferStatus.DONE:
            messages.success(request, _("The shift is yours."))
        else:
            messages.success(request, _("Taken: the coordinator will confirm."))
    return redirect("rotas:mine")


@require_POST
@login_required
def decide(request: HttpRequest, offer_id: str) -> HttpResponse:
    shift_offer = get_object_or_404(
        ShiftOffer.objects.select_related("assignment__shift"), public_id=offer_id
    )
    _network, membership = _member(request, shift_offer.assignment.shift.network_id)
    try:
        rotas.shift_offer_decide(
            offer=shift_offer, by=membership, approve=request.POST.get("decision") == "approve"
        )
    except rotas.RotaError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Decided."))
    return _back(shift_offer.assignment.shift)


class InviteForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail address"))
    office = forms.ModelChoiceField(
        label=gettext_lazy("Office"), queryset=TouristOffice.objects.none(), empty_label=None
    )
    role = forms.ChoiceField(
        label=gettext_lazy("As"),
        choices=[(Role.ADVISOR, Role.ADVISOR.label), (Role.MANAGER, Role.MANAGER.label)],
    )


@login_required
def invite(request: HttpRequest, network_id: int) -> HttpResponse:
    network, membership = _member(request, network_id)
    if membership.role == Role.ADVISOR:
        raise Http404
    offices = network.offices.all()
    if membership.role == Role.MANAGER:
        offices = offices.filter(pk=membership.office_id)
    form = InviteForm(request.POST or None)
    form.fields["office"].queryset = offices
    if membership.role == Role.MANAGER:
        form.fields["role"].choices = [(Role.ADVISOR, Role.ADVISOR.label)]
    if request.method == "POST" and form.is_valid():
        try:
            rotas.invitation_send(
                by=membership,
                office=form.cleaned_data["office"],
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except rotas.RotaError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]},
            )
            return redirect("rotas:invite", network.pk)
    return render(request, "rotas/invite.html", {"network": network, "form": form})


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Anyone with the link sees the invitation; accepting needs an account (sign up or log in
    first, and come back here)."""
    found = get_object_or_404(Invitation.objects.select_related("office", "network"), token=token)
    valid = rotas.invitation_valid(found)
    if request.method == "POST" and valid and request.user.is_authenticated:
        member = rotas.invitation_accept(invitation=found, user=request.user)
        messages.success(request, _("Welcome to %(office)s!") % {"office": found.office.name})
        today = timezone.localdate()
        return redirect("rotas:month", member.network_id, today.replace(day=1))
    return render(
        request,
        "rotas/invitation.html",
        {"invitation": found, "valid": valid, "next": request.get_full_path()},
    )
