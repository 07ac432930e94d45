"""Affinity communities as an ambassador sees them: each open community, how many members it
has, and whether they are in it (one query)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, Subquery

from concierge.models import Community

from .models import Ambassador, CommunityMembership, MembershipStatus


@dataclass(frozen=True)
class CommunityRow:
    community: Community
    members: int
    status: str  # a MembershipStatus value, or "" when not in it

    @property
    def name(self) -> str:
        return str(self.community)

    @property
    def is_member(self) -> bool:
        return self.status == MembershipStatus.APPROVED

    @property
    def is_pending(self) -> bool:
        return self.status == MembershipStatus.PENDING


def communities_for(ambassador: Ambassador | None) -> list[CommunityRow]:
    """Every active community with its approved members' count and, for ``ambassador``, their
    membership's status."""
    mine = CommunityMembership.objects.filter(community=OuterRef("pk"), ambassador=ambassador)
    rows = Community.objects.filter(is_active=True).annotate(
        members=Count("memberships", filter=Q(memberships__status=MembershipStatus.APPROVED)),
        my_status=Subquery(mine.values("status")[:1]) if ambassador else Subquery(mine.none()),
    )
    return [
        CommunityRow(community=row, members=row.members, status=row.my_status or "") for row in rows
    ]


def member_ids(community: Community) -> Subquery:
    """Approved members' ambassador ids, for a candidates query to prefer them."""
    return Subquery(
        CommunityMembership.objects.filter(
            community=community, status=MembershipStatus.APPROVED
        ).values("ambassador_id")
    )
