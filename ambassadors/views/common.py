"""What every portal view needs: a logged-in user and their ambassador profile."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from ..models import Ambassador
from ..selectors import onboarding_next_step
from ..services import ambassador_for_user

View = Callable[..., HttpResponse]


class AmbassadorRequest(HttpRequest):
    ambassador: Ambassador


def ambassador_view(*, onboarded: bool = True) -> Callable[[View], View]:
    """Log-in required; sets ``request.ambassador``. With ``onboarded``, an ambassador who has
    not finished onboarding is sent to the step they are on."""

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            ambassador = ambassador_for_user(user=request.user)  # type: ignore[arg-type]
            request.ambassador = ambassador  # type: ignore[attr-defined]
            if onboarded and (step := onboarding_next_step(ambassador)) is not None:
                return redirect(f"ambassadors:onboarding-{step}")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
