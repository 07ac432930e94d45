"""Becoming a volunteer with a staff or tourist-office account: an explicit choice, never a side
effect of opening a page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import services
from .common import SignedInRequest, not_a_volunteer


@login_required
@require_http_methods(["GET", "POST"])
def become(request: SignedInRequest) -> HttpResponse:
    if request.method == "POST":
        services.ambassador_enrol(user=request.user)
        messages.success(request, _("Welcome, volunteer! A few steps and you can take calls."))
        return redirect("ambassadors:dashboard")
    try:
        services.ambassador_for_user(user=request.user)
    except services.NotAVolunteer:
        return not_a_volunteer(request)
    return redirect("ambassadors:dashboard")
