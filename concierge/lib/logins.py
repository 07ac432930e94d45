"""Password logins outside allauth's own forms (the API's token endpoint), under the same limits.

allauth counts failed logins in the cache, per account (5 in 5 minutes) and per client address
(10 a minute), and refuses the next one while a limit is reached. Going through its adapter here
means one count for the web form and the API: a guesser gets five tries on an account in all,
not five on each door, and the count is in the shared cache, not in one web process.
"""

from __future__ import annotations

import math
import time

from allauth.account.adapter import get_adapter
from allauth.core.internal import ratelimit
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest

ACTION = "login_failed"
APP = "allauth.account"


class LoginLocked(Exception):
    """Too many failed logins for this account or from this address."""

    def __init__(self, wait: int) -> None:
        super().__init__(f"login locked for {wait} s")
        self.wait = wait  # seconds until a try is counted again


def login_with_password(
    request: HttpRequest, *, email: str, password: str
) -> AbstractBaseUser | None:
    """The active user with this e-mail address and password, or None; LoginLocked while too many
    attempts failed. A success spends no try."""
    adapter = get_adapter(request)
    try:
        user = adapter.authenticate(request, email=email, password=password)
    except ValidationError as error:
        if error.code == "too_many_login_attempts":
            raise LoginLocked(seconds_until_unlocked(request, email=email)) from None
        raise
    # allauth hands back a suspended account whose password matched (to show its own page).
    if user is None or not user.is_active:
        return None
    return user


def seconds_until_unlocked(request: HttpRequest, *, email: str) -> int:
    """When the oldest failure that holds a limit leaves its window (allauth keeps, per limit,
    the times of the failures still inside it, newest first)."""
    key = get_adapter(request)._get_login_attempts_cache_key(request, email=email)
    now = time.time()
    waits = [1.0]
    for rate in ratelimit.get_rates(app=APP, action=ACTION):
        cache_key = ratelimit.get_cache_key(request, app=APP, action=ACTION, rate=rate, key=key)
        history = [at for at in cache.get(cache_key, []) if at > now - rate.duration]
        if len(history) >= rate.amount:
            waits.append(history[rate.amount - 1] + rate.duration - now)
    return math.ceil(max(waits))
