"""What the notices read: a person's choices (and their defaults), their recent notices as the
app shows them, where each notice leads, and the unread count."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from ..lib.languages import OFFICE_LANGUAGE
from ..models import (
    Membership,
    Notice,
    NoticeKind,
    NoticePreferences,
    OfferStatus,
    Role,
    User,
)
from . import notice_copy
from .selectors import member_name, user_name

# E-mail by default for every kind: each one asks the reader to act or changes their own shifts.
DEFAULT_EMAIL = frozenset(NoticeKind.values)
# A text only where minutes count: a shift about to start, a hand-over waiting for a decision.
DEFAULT_TEXT = frozenset({NoticeKind.SHIFT_SOON, NoticeKind.HANDOVER_WAITING})


@dataclass(frozen=True)
class Choices:
    """What a person receives outside the app, and in which language."""

    language: str
    email: frozenset[str]
    text: frozenset[str]
    saved: bool  # False: the defaults


def choices_of(user_id: int) -> Choices:
    return choices_for([user_id])[user_id]


def choices_for(user_ids: Iterable[int]) -> dict[int, Choices]:
    """Each person's choices, in one query however many they are."""
    ids = list(user_ids)
    saved = {p.user_id: p for p in NoticePreferences.objects.filter(user_id__in=ids)}
    return {user_id: _choices(saved.get(user_id)) for user_id in ids}


def _choices(preferences: NoticePreferences | None) -> Choices:
    if preferences is None:
        return Choices(
            language=OFFICE_LANGUAGE, email=DEFAULT_EMAIL, text=DEFAULT_TEXT, saved=False
        )
    return Choices(
        language=preferences.language or OFFICE_LANGUAGE,
        email=frozenset(preferences.email_kinds) & DEFAULT_EMAIL,
        text=frozenset(preferences.text_kinds) & DEFAULT_EMAIL,
        saved=True,
    )


def verified_phone(user_id: int) -> str:
    """The person's verified mobile (E.164), or "" when they have none."""
    return verified_phones([user_id]).get(user_id, "")


def verified_phones(user_ids: Iterable[int]) -> dict[int, str]:
    """Each person's verified mobile (that of their first membership with one), in one query."""
    numbers = (
        Membership.objects.filter(
            user_id__in=list(user_ids), phone_number__isnull=False, phone_verified_at__isnull=False
        )
        .order_by("-pk")
        .values_list("user_id", "phone_number")
    )
    return {user_id: str(number) if number else "" for user_id, number in numbers}


def facts_of(notice: Notice) -> notice_copy.Facts:
    """What the notice says, from the rows it points to (taken as they are now)."""
    shift, offer = notice.shift, notice.offer
    offerer = taker = ""
    to_offerer = handed_over = False
    if offer is not None:
        offerer = member_name(offer.offered_by)
        taker = member_name(offer.taken_by) if offer.taken_by else ""
        to_offerer = offer.offered_by.user_id == notice.user_id
        handed_over = offer.status == OfferStatus.DONE
    empty = needed = 0
    if shift is not None and notice.kind == NoticeKind.EMPTY_SEAT:
        needed = shift.advisors_needed
        empty = max(needed - len(shift.assignments.all()), 0)  # prefetched by with_rows
    return notice_copy.Facts(
        kind=notice.kind,
        network=notice.network.name,
        starts_at=shift.starts_at if shift else None,
        ends_at=shift.ends_at if shift else None,
        actor=user_name(notice.actor),
        offerer=offerer,
        taker=taker,
        to_offerer=to_offerer,
        handed_over=handed_over,
        empty=empty,
        needed=needed,
    )


def with_rows(notices: QuerySet[Notice]) -> QuerySet[Notice]:
    """The notices with all their words need, in a fixed number of queries."""
    return notices.select_related(
        "network",
        "shift",
        "actor",
        "offer__offered_by__user",
        "offer__taken_by__user",
    ).prefetch_related("shift__assignments")


def notices_of(user: User) -> QuerySet[Notice]:
    return with_rows(Notice.objects.filter(user=user))


def unread_count(user: User) -> int:
    return Notice.objects.filter(user=user, read_at__isnull=True).count()


def target(notice: Notice) -> str:
    """Where the reader acts on the notice: the hand-over's approval on the notices page, the
    shift on the month's planner for an empty seat, their own shifts otherwise."""
    if notice.kind == NoticeKind.HANDOVER_WAITING:
        return reverse("rotas:notices") + f"#notice-{notice.public_id}"
    if notice.kind == NoticeKind.EMPTY_SEAT and notice.shift is not None:
        local = timezone.localtime(notice.shift.starts_at)
        month = reverse("rotas:month", args=[notice.network_id, local.date().replace(day=1)])
        return f"{month}#shift-{notice.shift.public_id}"
    return reverse("rotas:mine")


def absolute(path: str) -> str:
    return f"{settings.PUBLIC_BASE_URL}{path}"


@dataclass(frozen=True)
class NoticeRow:
    """A notice as the app lists it, with what the reader can do right there."""

    public_id: uuid.UUID
    kind: str
    line: str
    created_at: datetime
    unread: bool
    open_url: str
    decide_url: str  # approve or refuse the hand-over, for the coordinator while it waits
    take_url: str  # take the offered shift, while it is open and ahead


def rows(notices: Iterable[Notice], *, user: User, now: datetime | None = None) -> list[NoticeRow]:
    """The notices (from ``with_rows``) in the active language; one more query, for the
    reader's roles, however many there are."""
    now = now or timezone.now()
    notices = list(notices)
    roles = set(Membership.objects.filter(user=user).values_list("network_id", "role"))
    found = []
    for notice in notices:
        offer = notice.offer
        decide = take = ""
        if (
            notice.kind == NoticeKind.HANDOVER_WAITING
            and offer is not None
            and offer.status == OfferStatus.PENDING
            and (notice.network_id, Role.COORDINATOR) in roles
        ):
            decide = reverse("rotas:decide", args=[offer.public_id])
        if (
            notice.kind == NoticeKind.OFFERED
            and offer is not None
            and offer.status == OfferStatus.OPEN
            and notice.shift is not None
            and notice.shift.starts_at > now
        ):
            take = reverse("rotas:take", args=[offer.public_id])
        found.append(
            NoticeRow(
                public_id=notice.public_id,
                kind=notice.kind,
                line=notice_copy.line(facts_of(notice)),
                created_at=notice.created_at,
                unread=notice.read_at is None,
                open_url=reverse("rotas:notice", args=[notice.public_id]),
                decide_url=decide,
                take_url=take,
            )
        )
    return found


def recent(user: User, *, limit: int = 5) -> list[NoticeRow]:
    return rows(notices_of(user)[:limit], user=user)
