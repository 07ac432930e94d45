"""The local who answers a call or a text: a volunteer ambassador, or a tourist office's advisor
on a rota shift. Everything the calls app needs of either is built here, once."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db.models import Q

from ambassadors.models import Ambassador
from ambassadors.selectors import local_language
from concierge.models import Membership, Role, User

if TYPE_CHECKING:
    from .models import Call, CallAttempt, Conversation, Message


class ResponderKind(StrEnum):
    AMBASSADOR = "ambassador"
    ADVISOR = "advisor"


@dataclass(frozen=True)
class Responder:
    kind: ResponderKind
    pk: int
    #: E.164, or "" when none is verified: handed only to Twilio, never shown or logged.
    phone: str
    #: What a tourist may be told: a first name (an ambassador's pseudonym), never a surname.
    first_name: str
    source: Ambassador | Membership = field(compare=False, repr=False)

    @property
    def language(self) -> str:
        """The language of what we text or whisper to them (asked only when needed: it may
        cost a query, and ringing someone does not need it)."""
        if isinstance(self.source, Membership):
            return "fr"  # the destination's tourist offices work in French
        return local_language(self.source)

    @property
    def email(self) -> str:
        """Where to reach them when texts cannot (their login's address)."""
        user = self.source.user
        return user.email if user is not None else ""

    @property
    def is_advisor(self) -> bool:
        return self.kind == ResponderKind.ADVISOR

    @property
    def field(self) -> str:
        """The name of the foreign key that holds this kind of responder on a call or a
        conversation (``responder`` for ambassadors, ``advisor`` for advisors)."""
        return "advisor" if self.is_advisor else "responder"

    def owns(self) -> dict[str, Any]:
        """A filter for the calls or conversations this responder holds."""
        return {f"{self.field}_id": self.pk}

    def holds(self, obj: Call | Conversation) -> bool:
        """Whether this call or conversation is theirs."""
        return getattr(obj, f"{self.field}_id", None) == self.pk

    def wrote(self, message: Message) -> bool:
        """Whether this reply is theirs."""
        if self.is_advisor:
            return message.written_by_advisor_id == self.pk
        return message.written_by_id == self.pk


def responders_of(user: User) -> list[Responder]:
    """The ways one person answers tourists: their volunteer profile if they have one (never
    made here) and their place as an advisor in each network. Two queries."""
    found = [from_ambassador(a) for a in Ambassador.objects.filter(user=user)]
    advisors = Membership.objects.filter(user=user, role=Role.ADVISOR).select_related("user")
    found += [from_advisor(advisor) for advisor in advisors.order_by("pk")]
    return found


def held_by_any(responders: list[Responder]) -> Q:
    """A filter for the calls or conversations any of these responders holds (none: nothing)."""
    condition = Q(pk__in=[])
    for responder in responders:
        condition |= Q(**responder.owns())
    return condition


def from_ambassador(ambassador: Ambassador) -> Responder:
    return Responder(
        kind=ResponderKind.AMBASSADOR,
        pk=ambassador.pk,
        phone=ambassador.phone_number.as_e164 if ambassador.phone_number else "",
        first_name=spoken_name(ambassador.display_name),
        source=ambassador,
    )


def from_advisor(advisor: Membership) -> Responder:
    user = advisor.user
    return Responder(
        kind=ResponderKind.ADVISOR,
        pk=advisor.pk,
        phone=advisor.phone_number.as_e164 if advisor.phone_number else "",
        first_name=spoken_name(user.first_name),
        source=advisor,
    )


def responder_of(obj: Call | CallAttempt | Conversation) -> Responder | None:
    """Who answers this call, attempt or conversation, if anyone yet."""
    ambassador = getattr(obj, "ambassador", None) or getattr(obj, "responder", None)
    if ambassador is not None:
        return from_ambassador(ambassador)
    if obj.advisor is not None:
        return from_advisor(obj.advisor)
    return None


def spoken_name(name: str) -> str:
    """The name a tourist knows a local by, from their display name (an ambassador's pseudonym,
    an advisor's first name): its first word, never a surname."""
    return name.split()[0] if name and name.split() else ""
