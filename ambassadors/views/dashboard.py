from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from ..models import PointsEntry
from ..points import points_balance
from ..selectors import ambassador_status
from .common import AmbassadorRequest, ambassador_view


@ambassador_view()
def dashboard(request: AmbassadorRequest) -> HttpResponse:
    ambassador = request.ambassador
    context = {
        "ambassador": ambassador,
        "status": ambassador_status(ambassador),
        "languages": [language.get_language_display() for language in ambassador.languages.all()],
        "regions": list(ambassador.regions.all()),
        "motives": list(ambassador.motives.all()),
        "slot_count": ambassador.availability_slots.count(),
        "points_balance": points_balance(ambassador),
        "recent_points": PointsEntry.objects.filter(ambassador=ambassador)[:3],
        # The calls app records answered calls under this related name; reading it through the
        # relation keeps this app free of imports from the one above it. Rehearsals are not calls.
        "recent_calls": ambassador.answered_calls.filter(is_rehearsal=False)
        .select_related("motive")
        .order_by("-received_at")[:5],
    }
    return render(request, "ambassadors/dashboard.html", context)
