"""The invitation someone followed before signing up, for the sign-up pages to speak to them
(the office, the role, the address it was sent to)."""

from __future__ import annotations

from django import template

from ..models import Invitation
from ..rotas.invitations import SESSION_KEY, invitation_valid

register = template.Library()


@register.simple_tag(takes_context=True)
def pending_invitation(context: template.Context) -> Invitation | None:
    request = context.get("request")
    token = request.session.get(SESSION_KEY) if request is not None else None
    if not token:
        return None
    found = Invitation.objects.filter(token=token).select_related("office", "network").first()
    return found if found is not None and invitation_valid(found) else None
