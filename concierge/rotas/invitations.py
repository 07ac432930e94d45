"""Invitations: managers invite advisors by e-mail; the link lets them join with their account,
new (signing up through allauth) or existing."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Invitation, Membership, Role, TouristOffice, User
from . import copy
from .changelog import rota_log
from .expansion import RotaError
from .selectors import member_name

if TYPE_CHECKING:
    from allauth.account.models import EmailAddress

VALID_FOR = timedelta(days=14)
# The invitation a visitor followed, kept while they sign up (the sign-up pages name it).
SESSION_KEY = "rotas.invitation"


def can_invite(by: Membership | None, office: TouristOffice, role: str) -> bool:
    if by is None or by.network_id != office.network_id:
        return False
    if by.role == Role.COORDINATOR:
        return role in (Role.ADVISOR, Role.MANAGER)
    return by.role == Role.MANAGER and by.office_id == office.pk and role == Role.ADVISOR


@transaction.atomic
def invitation_send(
    *, by: Membership, office: TouristOffice, email: str, role: str = Role.ADVISOR
) -> Invitation:
    if not can_invite(by, office, role):
        raise RotaError(_("You cannot invite people to this office."))
    email = email.strip().lower()
    if Membership.objects.filter(
        user__email__iexact=email, network=office.network, role=role
    ).exists():
        raise RotaError(_("This person is already a member of the network."))
    invitation = Invitation.objects.create(
        network=office.network, office=office, role=role, email=email, invited_by=by.user
    )
    link = settings.PUBLIC_BASE_URL + reverse("rotas:invitation", args=[invitation.token])
    mail = copy.invitation(
        inviter=member_name(by),
        office=office.name,
        network=office.network.name,
        days=VALID_FOR.days,
        link=link,
    )
    transaction.on_commit(lambda: send_mail(mail.subject, mail.body, None, [email]))
    rota_log(by=by, action="invite", by_name=member_name(by), email=email, office=office.name)
    return invitation


def joined_through(invitation: Invitation, user: User) -> Membership | None:
    """The place the user took through this invitation, once accepted (the e-mail confirmation
    of a new account accepts it before the person comes back to the link)."""
    if invitation.accepted_at is None:
        return None
    return Membership.objects.filter(
        user=user, network=invitation.network_id, role=invitation.role
    ).first()


def invitation_valid(invitation: Invitation, *, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return invitation.accepted_at is None and now - invitation.created_at <= VALID_FOR


@transaction.atomic
def invitation_accept(
    *, invitation: Invitation, user: User, first_name: str | None = None
) -> Membership:
    """Join the office; ``first_name`` (what tourists are told) is kept on the account."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation_valid(invitation):
        raise RotaError(_("This invitation has expired or was already used."))
    if first_name:
        member_first_name_set(user=user, first_name=first_name)
    membership, _created = Membership.objects.get_or_create(
        user=user,
        network=invitation.network,
        role=invitation.role,
        defaults={"office": invitation.office},
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    rota_log(
        by=membership,
        action="join",
        advisor=member_name(membership),
        office=invitation.office.name,
    )
    return membership


def member_first_name_set(*, user: User, first_name: str) -> None:
    """The first name tourists are told ("in touch with Chloé"): given when accepting, or later
    on the advisor's home by those who joined by signing up."""
    if first_name != user.first_name:
        user.first_name = first_name
        user.save(update_fields=["first_name"])


def accept_on_email_confirmed(
    sender: object, request: object, email_address: EmailAddress, **kwargs: object
) -> None:
    """Someone invited who signs up confirms the invited address: that proves the invitation
    is theirs, so they join at once (the link they followed did not survive the sign-up)."""
    pending = Invitation.objects.filter(email__iexact=email_address.email, accepted_at__isnull=True)
    for invitation in pending:
        if invitation_valid(invitation):
            invitation_accept(invitation=invitation, user=email_address.user)
