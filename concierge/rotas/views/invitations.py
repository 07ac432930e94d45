"""Inviting someone to an office of the network, and the invitation's own page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ...models import Invitation, User
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
    """Anyone with the link sees the invitation; accepting needs an account (sign up or log in
    first, and come back here)."""
    found = get_object_or_404(Invitation.objects.select_related("office", "network"), token=token)
    valid = invitations.invitation_valid(found)
    user = request.user
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
        messages.success(request, _("Welcome to %(office)s!") % {"office": found.office.name})
        return redirect("rotas:month", member.network_id, timezone.localdate().replace(day=1))
    return render(
        request,
        "rotas/invitation.html",
        {"invitation": found, "valid": valid, "form": form, "next": request.get_full_path()},
    )
