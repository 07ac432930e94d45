"""/communities/: the affinity communities as anyone may see them — how many locals are in
each and how many tourists they helped in the last 30 days. Aggregates only: never who the
members are (no name, no list, nothing per member)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta

from django.core.cache import cache
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ambassadors.models import CommunityMembership, MembershipStatus
from concierge.lib.names import community_name
from concierge.models import Community

FIGURES_SECONDS = 300
ACTIVITY_DAYS = 30  # "helped in the last 30 days": a window that never resets to zero


@dataclass(frozen=True)
class CommunityFigures:
    code: str
    name: str
    description: str
    members: int
    calls: int  # answered by members in the last ACTIVITY_DAYS days
    conversations: int  # text conversations members answered in the last ACTIVITY_DAYS days


def community_figures() -> list[CommunityFigures]:
    """Every active community with its figures: three grouped queries, cached five minutes."""
    cached = cache.get("communities:figures")
    if cached is not None:
        return list(cached)
    since = timezone.now() - timedelta(days=ACTIVITY_DAYS)
    approved = CommunityMembership.objects.filter(status=MembershipStatus.APPROVED)
    members = dict(
        approved.values_list("community_id").annotate(n=Count("ambassador_id")).order_by()
    )
    calls = dict(
        approved.filter(
            ambassador__answered_calls__received_at__gte=since,
            ambassador__answered_calls__answered_at__isnull=False,
            ambassador__answered_calls__is_rehearsal=False,
        )
        .values_list("community_id")
        .annotate(n=Count("ambassador__answered_calls"))
        .order_by()
    )
    texts = dict(
        approved.filter(
            ambassador__conversations__opened_at__gte=since,
            ambassador__conversations__first_reply_at__isnull=False,
            ambassador__conversations__is_rehearsal=False,
        )
        .values_list("community_id")
        .annotate(n=Count("ambassador__conversations"))
        .order_by()
    )
    figures = [
        CommunityFigures(
            code=community.code,
            name=community.name,
            description=community.description,
            members=members.get(community.pk, 0),
            calls=calls.get(community.pk, 0),
            conversations=texts.get(community.pk, 0),
        )
        for community in Community.objects.filter(is_active=True)
    ]
    cache.set("communities:figures", figures, FIGURES_SECONDS)
    return figures


def named(figures: CommunityFigures) -> CommunityFigures:
    """The figures with the community's name in the reader's language (cached: the row's)."""
    return replace(figures, name=community_name(figures))


def community_list(request: HttpRequest) -> HttpResponse:
    rows = [named(figures) for figures in community_figures()]
    return render(request, "calls/communities.html", {"rows": rows})


def community_detail(request: HttpRequest, code: str) -> HttpResponse:
    for figures in community_figures():
        if figures.code == code:
            return render(request, "calls/community.html", {"community": named(figures)})
    raise Http404("No open community has this code.")
