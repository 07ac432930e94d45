"""An ambassador's affinity communities: join, ask to join, leave."""

from __future__ import annotations

from django.contrib import messages
from django.core.validators import slug_re
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from concierge.models import Community

from ..communities import communities_for
from ..models import MembershipStatus
from ..services import AmbassadorError, community_join, community_leave
from .common import AmbassadorRequest, ambassador_view


@require_http_methods(["GET", "POST"])
@ambassador_view(onboarded=False)
def communities(request: AmbassadorRequest) -> HttpResponse:
    if request.method == "POST":
        code = request.POST.get("code", "")
        if not slug_re.match(code):  # no community's code: nothing to look up (NUL and all)
            raise Http404
        community = get_object_or_404(Community, code=code, is_active=True)
        action = request.POST.get("action")
        if action == "join":
            try:
                membership = community_join(ambassador=request.ambassador, community=community)
            except AmbassadorError as error:
                messages.error(request, error.message)
            else:
                if membership.status == MembershipStatus.APPROVED:
                    messages.success(
                        request, _("You joined %(community)s.") % {"community": community}
                    )
                else:
                    messages.success(
                        request,
                        _("Asked to join %(community)s: staff will decide soon.")
                        % {"community": community},
                    )
        elif action == "leave":
            if community_leave(ambassador=request.ambassador, community=community):
                messages.success(request, _("You left %(community)s.") % {"community": community})
        else:
            messages.error(request, _("Choose to join or to leave."))
        return redirect("ambassadors:communities")
    return render(
        request,
        "ambassadors/communities.html",
        {"rows": communities_for(request.ambassador)},
    )
