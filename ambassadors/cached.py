"""The communities a caller may ask for, kept in each process (concierge.lib.readmostly): the
voice menu asks at every step whether there are any."""

from __future__ import annotations

from django.db.models import Exists, OuterRef

from concierge.lib.readmostly import ReadMostly
from concierge.models import Community

from .models import CommunityMembership, MembershipStatus


def _load_offered_communities() -> tuple[Community, ...]:
    members = CommunityMembership.objects.filter(
        community=OuterRef("pk"), status=MembershipStatus.APPROVED
    )
    return tuple(Community.objects.filter(Exists(members), is_active=True))


# Joining, leaving and a moderator's decision save or delete a membership (signals); a bulk
# write (the demo's) calls OFFERED_COMMUNITIES.changed().
OFFERED_COMMUNITIES = ReadMostly("offered-communities", _load_offered_communities).watch(
    Community, CommunityMembership
)


def offered_communities() -> tuple[Community, ...]:
    """Active communities with at least one approved member, in their order (asking for an
    empty one would only delay the call)."""
    return OFFERED_COMMUNITIES.get()
