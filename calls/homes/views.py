"""The homes: /home/ sends each person to the home of the role they act in; /home/role/
switches role; /office/evening/ (an advisor's), /office/tonight/ (a network's coordinator's and
managers'), /staff/ (the platform's staff). A volunteer's home is their dashboard (/portal/)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ambassadors.views.common import SignedInRequest
from concierge.rotas import advisor_memberships, member_first_name_set, planner_memberships
from concierge.rotas.forms import AcceptForm

from . import selectors
from .roles import HomeRole, current_role, remember, roles_of


@login_required
def home(request: SignedInRequest) -> HttpResponse:
    role = current_role(request, roles_of(request.user))
    if role is None:  # an account deleted meanwhile
        raise Http404
    return redirect(role.url)


@require_POST
@login_required
def switch(request: SignedInRequest) -> HttpResponse:
    roles = roles_of(request.user)
    chosen = request.POST.get("role", "")
    if chosen not in roles:
        messages.error(request, _("You do not have this role."))
        return redirect("homes:home")
    role = HomeRole(chosen)
    remember(request, role)
    return redirect(role.url)


@login_required
def evening(request: SignedInRequest) -> HttpResponse:
    advisors = advisor_memberships(request.user)
    if not advisors:
        raise Http404
    remember(request, HomeRole.ADVISOR)
    context = {
        "evening": selectors.evening(advisors, now=timezone.now()),
        "name": request.user.first_name,
        "several_networks": len(advisors) > 1,
        # Joined by signing up: nobody asked the first name tourists are told yet.
        "name_form": None if request.user.first_name else AcceptForm(),
    }
    return render(request, "homes/evening.html", context)


@require_POST
@login_required
def evening_name(request: SignedInRequest) -> HttpResponse:
    if not advisor_memberships(request.user):
        raise Http404
    form = AcceptForm(request.POST)
    if form.is_valid():
        member_first_name_set(user=request.user, first_name=form.cleaned_data["first_name"])
        messages.success(
            request,
            _("Saved: tourists will be told %(name)s.") % {"name": form.cleaned_data["first_name"]},
        )
    else:
        messages.error(request, _("Enter your first name."))
    return redirect("homes:evening")


@login_required
def tonight(request: SignedInRequest) -> HttpResponse:
    """The network chosen with ``?network=`` among those the person plans, else their first."""
    planners = planner_memberships(request.user)
    if not planners:
        raise Http404
    wanted = request.GET.get("network", "")
    chosen = [m for m in planners if str(m.network_id) == wanted] if wanted else planners
    if not chosen:
        raise Http404
    member = chosen[0]
    remember(request, HomeRole.PLANNER)
    context = {
        "member": member,
        "networks": [m.network for m in planners],
        "tonight": selectors.network_tonight(member.network, now=timezone.now()),
        "month": timezone.localdate().replace(day=1),
    }
    return render(request, "homes/tonight.html", context)


@staff_member_required
def operations(request: SignedInRequest) -> HttpResponse:
    remember(request, HomeRole.STAFF)
    return render(
        request, "homes/operations.html", {"ops": selectors.operations(now=timezone.now())}
    )
