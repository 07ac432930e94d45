"""Inviting someone to an office of the network, and the invitation's own page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from ...models import Invitation, Membership, Role, User
from .. import invitations
from ..expansion import RotaError
from ..forms import AcceptForm, InviteForm
from .access import RotaRequest, manager_or_404


@login_required
def invite(request: RotaRequest, network_id: int) -> HttpResponse:
    network, membership = manager_or_404(request, network_id)
    form = InviteForm(request.POST or None, by=membership)
    if request.method == "POST" and form.is_valid():
        try:
            invitations.invitation_send(
                by=membership,
                office=form.cleaned_data["office"],
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except RotaError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]},
            )
            return redirect("rotas:invite", network.pk)
    return render(request, "rotas/invite.html", {"network": network, "form": form})


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Anyone with the link sees the invitation; accepting needs an account. A visitor signs up
    (the sign-up page names the office and is filled with the invited address) or logs in, and
    comes back here; a signed-in person accepts in one click. Someone who already joined through
    it (confirming their new account's address accepts it) is welcomed on their home."""
    found = get_object_or_404(Invitation.objects.select_related("office", "network"), token=token)
    user = request.user
    if isinstance(user, User) and (member := invitations.joined_through(found, user)):
        request.session.pop(invitations.SESSION_KEY, None)
        return _welcome(request, found, member)
    valid = invitations.invitation_valid(found)
    if valid and not isinstance(user, User):
        request.session[invitations.SESSION_KEY] = found.token
    initial = {"first_name": user.first_name} if isinstance(user, User) else None
    form = AcceptForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and valid and isinstance(user, User) and form.is_valid():
        try:
            member = invitations.invitation_accept(
                invitation=found, user=user, first_name=form.cleaned_data["first_name"]
            )
        except RotaError as error:
            messages.error(request, error.message)
            return redirect("rotas:invitation", token)
        return _welcome(request, found, member)
    return render(
        request,
        "rotas/invitation.html",
        {"invitation": found, "valid": valid, "form": form, "next": request.get_full_path()},
    )


def _welcome(request: HttpRequest, found: Invitation, member: Membership) -> HttpResponse:
    """To the home of the role they joined as (an advisor's evening, a manager's tonight)."""
    messages.success(
        request,
        _("Welcome to %(office)s! You joined the %(network)s rota as: %(role)s.")
        % {
            "office": found.office.name,
            "network": found.network.name,
            "role": member.get_role_display(),
        },
    )
    return redirect("homes:evening" if member.role == Role.ADVISOR else "homes:tonight")
