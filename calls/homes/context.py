"""The header's knowledge of the person: their roles and the one they act in (one query, only
on pages that show the header to someone signed in)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.http import HttpRequest

from concierge.models import User

from .roles import HomeRole, current_role, roles_of


@dataclass
class HeaderRoles:
    request: HttpRequest

    @cached_property
    def all(self) -> list[HomeRole]:
        user = self.request.user
        return roles_of(user) if isinstance(user, User) else []

    @cached_property
    def current(self) -> HomeRole | None:
        return current_role(self.request, self.all)

    @property
    def others(self) -> list[HomeRole]:
        return [role for role in self.all if role != self.current]

    @property
    def is_member(self) -> bool:
        return HomeRole.PLANNER in self.all or HomeRole.ADVISOR in self.all


def roles(request: HttpRequest) -> dict[str, HeaderRoles]:
    return {"home_roles": HeaderRoles(request)}
