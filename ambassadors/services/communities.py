"""Joining and leaving affinity communities, and staff deciding on moderated requests."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concierge.models import Community, User

from ..models import Ambassador, CommunityMembership, MembershipStatus
from .common import AmbassadorError


@transaction.atomic
def community_join(*, ambassador: Ambassador, community: Community) -> CommunityMembership:
    """Join at once, or ask when staff moderate the community. Asking again after a refusal
    asks anew; joining twice changes nothing."""
    if not community.is_active:
        raise AmbassadorError(_("This community is closed."))
    status = MembershipStatus.PENDING if community.moderated else MembershipStatus.APPROVED
    membership, created = CommunityMembership.objects.select_for_update().get_or_create(
        ambassador=ambassador,
        community=community,
        defaults={
            "status": status,
            "decided_at": None if community.moderated else timezone.now(),
        },
    )
    if not created and membership.status == MembershipStatus.REFUSED:
        membership.status = MembershipStatus.PENDING
        membership.requested_at = timezone.now()
        membership.decided_at = None
        membership.decided_by = None
        membership.save(update_fields=["status", "requested_at", "decided_at", "decided_by"])
    return membership


def community_leave(*, ambassador: Ambassador, community: Community) -> bool:
    """Leave (or withdraw a request); False when the ambassador was not in it."""
    deleted, _counts = CommunityMembership.objects.filter(
        ambassador=ambassador, community=community
    ).delete()
    return bool(deleted)


@transaction.atomic
def membership_decide(
    *, membership: CommunityMembership, approve: bool, decided_by: User
) -> CommunityMembership:
    locked = CommunityMembership.objects.select_for_update().get(pk=membership.pk)
    if locked.status != MembershipStatus.PENDING:
        raise AmbassadorError(_("This request was already decided."))
    locked.status = MembershipStatus.APPROVED if approve else MembershipStatus.REFUSED
    locked.decided_at = timezone.now()
    locked.decided_by = decided_by
    locked.save(update_fields=["status", "decided_at", "decided_by"])
    return locked
