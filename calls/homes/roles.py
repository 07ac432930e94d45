"""Who someone is on the site, role by role, and which of their roles they are acting in now
(remembered in their session). Nobody gets a role by asking for a page: roles come from the
account (staff), its memberships (advisor, manager, coordinator) and a volunteer profile, or,
for an account made to volunteer, the sign-up itself."""

from __future__ import annotations

from enum import StrEnum

from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from ambassadors.models import Ambassador
from concierge.models import PLANNING_ROLES, Membership, Role, User

SESSION_KEY = "homes.role"


class HomeRole(StrEnum):
    PLANNER = "planner"  # a network's coordinator or an office's manager
    ADVISOR = "advisor"
    STAFF = "staff"
    VOLUNTEER = "volunteer"

    @property
    def label(self) -> Promise:
        return LABELS[self]

    @property
    def url(self) -> str:
        return reverse(URL_NAMES[self])


LABELS = {
    HomeRole.PLANNER: gettext_lazy("Rota planning"),
    HomeRole.ADVISOR: gettext_lazy("Advisor"),
    HomeRole.STAFF: gettext_lazy("Staff"),
    HomeRole.VOLUNTEER: gettext_lazy("Volunteer"),
}
URL_NAMES = {
    HomeRole.PLANNER: "homes:tonight",
    HomeRole.ADVISOR: "homes:evening",
    HomeRole.STAFF: "homes:operations",
    HomeRole.VOLUNTEER: "ambassadors:dashboard",
}


def roles_of(user: User) -> list[HomeRole]:
    """The person's roles, in the order their homes are offered (the first is the default).
    One query."""
    memberships = Membership.objects.filter(user=OuterRef("pk"))
    found = (
        User.objects.filter(pk=user.pk)
        .annotate(
            planner=Exists(memberships.filter(role__in=PLANNING_ROLES)),
            advisor=Exists(memberships.filter(role=Role.ADVISOR)),
            member=Exists(memberships),
            volunteer=Exists(Ambassador.objects.filter(user=OuterRef("pk"))),
        )
        .values("planner", "advisor", "member", "volunteer", "is_staff", "is_superuser")
        .first()
    )
    if found is None:
        return []
    staff = found["is_staff"] or found["is_superuser"]
    # An account with no other role was made to volunteer (ambassadors.services.common).
    volunteer = found["volunteer"] or not (staff or found["member"])
    flags = {
        HomeRole.PLANNER: found["planner"],
        HomeRole.ADVISOR: found["advisor"],
        HomeRole.STAFF: found["is_staff"],
        HomeRole.VOLUNTEER: volunteer,
    }
    return [role for role in HomeRole if flags[role]]


def current_role(request: HttpRequest, roles: list[HomeRole]) -> HomeRole | None:
    """The role chosen in this session if the person still has it, else their first."""
    chosen = request.session.get(SESSION_KEY)
    if chosen in roles:
        return HomeRole(chosen)
    return roles[0] if roles else None


def remember(request: HttpRequest, role: HomeRole) -> None:
    if request.session.get(SESSION_KEY) != role:
        request.session[SESSION_KEY] = str(role)
