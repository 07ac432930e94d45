"""``{% impact_card ambassador %}``: the volunteer dashboard's card of their impact. A template
tag of this app, so that the ambassadors app shows calls' figures without importing calls."""

from __future__ import annotations

from typing import Any

from django import template

from ambassadors.models import Ambassador

from ..impact import ambassador_impact

register = template.Library()


@register.inclusion_tag("calls/_impact.html")
def impact_card(ambassador: Ambassador) -> dict[str, Any]:
    return {"impact": ambassador_impact(ambassador), "ambassador": ambassador}
