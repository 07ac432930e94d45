"""``{% satisfaction ambassador as summary %}``: what tourists thought of a volunteer, for pages of
the ambassadors app, which may not import the calls app (templates may load its tags)."""

from __future__ import annotations

from django import template

from ambassadors.models import Ambassador

from ..ratings.selectors import RatingSummary, rating_summary_for_ambassador

register = template.Library()


@register.simple_tag
def satisfaction(ambassador: Ambassador) -> RatingSummary:
    return rating_summary_for_ambassador(ambassador)
