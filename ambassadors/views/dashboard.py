from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

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
        # Points and calls arrive with the voice line and the rewards ledger.
        "points_balance": 0,
        "recent_calls": [],
    }
    return render(request, "ambassadors/dashboard.html", context)
