"""What the locals' pages and API need: the signed-in person as the responders they are (a
volunteer, an advisor of one or more networks, or both). Nobody becomes a volunteer here: an
account made to volunteer gets its profile as it always did, staff and tourist-office accounts
only by asking."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from rest_framework import exceptions
from rest_framework.request import Request

from ambassadors.api import signed_in
from ambassadors.services import NotAVolunteer, ambassador_for_user
from ambassadors.services.common import volunteers_by_default
from ambassadors.views.common import SignedInRequest, not_a_volunteer
from concierge.models import User

from .responders import Responder, responders_of

View = Callable[..., HttpResponse]


class LocalRequest(SignedInRequest):
    """A request from someone who answers tourists: ``responders`` is never empty."""

    responders: list[Responder]


def locals_for(user: User) -> list[Responder]:
    """The person's responders; a fresh volunteer account gets its profile on first use."""
    if volunteers_by_default(user):
        ambassador_for_user(user=user)
    return responders_of(user)


def local_view(view: View) -> View:
    """Log-in required; sets ``request.responders``. Accounts that answer no tourist (staff, a
    manager or a coordinator who is not an advisor) get the page saying how to volunteer."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        local_request = cast(LocalRequest, request)
        responders = locals_for(local_request.user)
        if not responders:
            return not_a_volunteer(local_request, status=403)
        local_request.responders = responders
        return view(local_request, *args, **kwargs)

    return wrapper


def api_responders(request: Request) -> list[Responder]:
    """The API's caller as responders; a 403 that says why for an account that answers nobody."""
    responders = locals_for(signed_in(request))
    if not responders:
        raise exceptions.PermissionDenied(NotAVolunteer().message)
    return responders
