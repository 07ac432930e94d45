"""What every portal view needs: a logged-in user and their ambassador profile (or, for staff and
tourist-office accounts that are not volunteers, the page that says so)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, cast

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from concierge.models import User

from ..models import Ambassador
from ..selectors import onboarding_next_step
from ..services import NotAVolunteer, ambassador_for_user

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

View = Callable[..., HttpResponse]


class SignedInRequest(HttpRequest):
    """What a view behind login_required (or staff_member_required) receives."""

    user: User


class AmbassadorRequest(SignedInRequest):
    """What a portal view receives: a signed-in user, their ambassador, htmx's details."""

    ambassador: Ambassador
    htmx: HtmxDetails


def ambassador_view(*, onboarded: bool = True) -> Callable[[View], View]:
    """Log-in required; sets ``request.ambassador``. With ``onboarded``, an ambassador who has
    not finished onboarding is sent to the step they are on."""

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            portal_request = cast(AmbassadorRequest, request)  # signed in: login_required
            try:
                ambassador = ambassador_for_user(user=portal_request.user)
            except NotAVolunteer:
                return not_a_volunteer(portal_request, status=403)
            portal_request.ambassador = ambassador
            if onboarded and (step := onboarding_next_step(ambassador)) is not None:
                return redirect(f"ambassadors:onboarding-{step}")
            return view(portal_request, *args, **kwargs)

        return wrapper

    return decorator


def not_a_volunteer(request: SignedInRequest, *, status: int = 200) -> HttpResponse:
    """The page a staff or tourist-office account sees instead of the volunteer portal."""
    user = request.user
    context = {"is_staff": user.is_staff, "is_member": user.memberships.exists()}
    return render(request, "ambassadors/not_a_volunteer.html", context, status=status)
