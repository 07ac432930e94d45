"""django-allauth's adapter: after log-in (and after confirming an e-mail address, which logs
in), each person goes straight to the home of their role, unless a ``next`` says otherwise."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from concierge.models import User

from .roles import current_role, roles_of


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request: HttpRequest) -> str:
        user = request.user
        role = current_role(request, roles_of(user)) if isinstance(user, User) else None
        return role.url if role else super().get_login_redirect_url(request)
