"""Download my data, delete my account.

Both work before onboarding is finished: leaving must never depend on finishing sign-up.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from concierge.lib.timezones import local_today

from .. import services
from ..forms import DeleteAccountForm
from .common import AmbassadorRequest, ambassador_view


@ambassador_view(onboarded=False)
def overview(request: AmbassadorRequest) -> HttpResponse:
    return render(request, "ambassadors/privacy.html")


@never_cache  # personal data: no copy in a shared or browser cache
@ambassador_view(onboarded=False)
def export(request: AmbassadorRequest) -> HttpResponse:
    data = services.ambassador_export(ambassador=request.ambassador)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    filename = f"destination-concierge-data-{local_today():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@ambassador_view(onboarded=False)
def delete(request: AmbassadorRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if request.user.check_password(form.cleaned_data["password"]):
            services.ambassador_delete_account(ambassador=request.ambassador)
            logout(request)
            messages.success(request, _("Your account and your personal data are deleted."))
            return redirect("account_login")
        form.add_error("password", _("This is not your password."))
    context = {"form": form, "email": request.user.email}
    return render(request, "ambassadors/privacy_delete.html", context)
