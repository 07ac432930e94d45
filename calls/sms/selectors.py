"""Reads of the SMS relay: who may take a conversation, and what a local sees of theirs."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    DateTimeField,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.utils.translation import gettext as _

from ambassadors.models import Ambassador, OpenConversations
from ambassadors.selectors import (
    availability_values,
    in_queue_order,
    prepared_availability,
)
from ambassadors.services import queue_walk
from concierge.lib.prepared import Param, PreparedQuery
from concierge.lib.pseudonyms import number_hash
from concierge.models import CallMotive, Community, Membership, Role

from ..models import (
    Conversation,
    ConversationStatus,
    Message,
    MessageAuthor,
    MessageDirection,
    OptOut,
    PhoneLine,
    Rating,
)
from ..responders import Responder, from_advisor, from_ambassador, held_by_any


def sms_candidates(
    *,
    conversation: Conversation,
    at: datetime,
    language: str,
    motive: CallMotive | None,
    limit: int,
    community: Community | None = None,
) -> list[Ambassador]:
    """The first ``limit`` locals who may take this text conversation now, in queue order:
    available and matching, not offered it before, and not already holding as many
    conversations as we allow (``pk``, ``display_name``, ``phone_number`` and
    ``last_offered_at`` loaded). The voice line's plan: the same conditions walking the same
    queue seats, compiled once per shape (calls.voice.selectors), stale seats refreshed first."""
    query = _sms_candidates_query(
        by_motive=motive is not None, by_community=community is not None, limit=limit
    )
    values = {
        **availability_values(at=at, language=language, motive=motive, community=community),
        "conversation": conversation.pk,
        "cap": settings.SMS_MAX_OPEN_PER_LOCAL,
    }
    return queue_walk(lambda: list(query.fetch(**values)))


@functools.cache
def _sms_candidates_query(*, by_motive: bool, by_community: bool, limit: int) -> PreparedQuery:
    conditions = prepared_availability(
        by_motive=by_motive, by_region=False, by_community=by_community
    )
    tried = Conversation.tried.through.objects.filter(
        conversation_id=Param("conversation", IntegerField()), ambassador_id=OuterRef("pk")
    )
    # Locals already holding as many conversations as we allow: one key probe of the count the
    # database keeps (ambassadors.OpenConversations), for the few rows the walk visits.
    full = OpenConversations.objects.filter(
        ambassador=OuterRef("pk"), held__gte=Param("cap", IntegerField())
    )
    queryset = Ambassador.objects.filter(*conditions, ~Exists(tried), ~Exists(full))
    return PreparedQuery(
        in_queue_order(queryset).only("pk", "display_name", "phone_number", "last_offered_at")[
            :limit
        ]
    )


@dataclass(frozen=True)
class Sender:
    """What handling a text needs to know of whoever sent it, read in one query: whether the
    number is a local's (their volunteer or advisor id), and for a tourist whether they opted
    out, have a live conversation on the line, or were asked the survey there lately (each
    row is locked, or read in full, only when it exists)."""

    ambassador_id: int | None
    advisor_id: int | None
    opted_out: bool
    in_conversation: bool
    surveyed: bool


def sender_of(
    *, line: PhoneLine, number: str, address: str, rehearsal: bool, at: datetime
) -> Sender | None:
    """``number``: the plain number (a local's verified mobile); ``address``: it on the channel
    (what opt-outs, conversations and surveys know). None when the line is gone."""
    hashed = number_hash(address)
    row = next(
        iter(
            _sender_query().fetch(
                line=line.pk,
                number=number,
                address=address,
                hashed=hashed,
                rehearsal=rehearsal,
                since=at - timedelta(hours=settings.RATING_ANSWER_HOURS),
            )
        ),
        None,
    )
    if row is None:
        return None
    return Sender(
        ambassador_id=row.sender_ambassador,
        advisor_id=row.sender_advisor,
        opted_out=bool(row.sender_opted_out),
        in_conversation=bool(row.sender_in_conversation),
        surveyed=bool(row.sender_surveyed),
    )


@functools.cache
def _sender_query() -> PreparedQuery:
    """Compiled once: building this queryset costs more Python than the database needs to
    answer it (the line's row is only what the five probes hang on)."""
    number, address = Param("number", CharField()), Param("address", CharField())
    hashed, rehearsal = Param("hashed", CharField()), Param("rehearsal", BooleanField())
    line = Param("line", IntegerField())
    verified = Q(phone_number=number, phone_verified_at__isnull=False)
    surveys = Rating.objects.filter(
        tourist_hash=hashed,
        line=line,
        is_rehearsal=rehearsal,
        asked_at__gte=Param("since", DateTimeField()),
    )
    live = Conversation.objects.filter(
        line=line, tourist_number=address, is_rehearsal=rehearsal
    ).exclude(status=ConversationStatus.CLOSED)
    return PreparedQuery(
        PhoneLine.objects.filter(pk=line)
        .annotate(
            sender_ambassador=Subquery(
                Ambassador.objects.filter(verified).order_by("pk").values("pk")[:1]
            ),
            sender_advisor=Subquery(
                Membership.objects.filter(verified, role=Role.ADVISOR)
                .order_by("pk")
                .values("pk")[:1]
            ),
            sender_opted_out=Exists(
                OptOut.objects.filter(number_hash=hashed, is_rehearsal=rehearsal)
            ),
            sender_in_conversation=Exists(live),
            sender_surveyed=Exists(surveys),
        )
        .only("pk")
    )


def conversations_of(responders: list[Responder]) -> QuerySet[Conversation]:
    """A local's text conversations (as a volunteer and as an advisor), open ones first, then
    by last activity; not the simulator's rehearsals."""
    return (
        Conversation.objects.filter(held_by_any(responders), is_rehearsal=False)
        .select_related("motive")
        .order_by(
            Case(When(status=ConversationStatus.OPEN, then=0), default=1),
            "-last_activity_at",
            "-pk",
        )
    )


@dataclass(frozen=True)
class ThreadLine:
    """One message of a thread as a local sees it, with who wrote it."""

    message: Message
    who: str  # "Tourist", "You", another local's first name, "Destination Concierge"
    from_tourist: bool
    mine: bool


def thread_lines(conversation: Conversation, *, viewer: Responder) -> list[ThreadLine]:
    """The thread for the local looking at it: their replies are "You", replies of whoever had
    the conversation before them carry that local's first name."""
    lines = []
    messages = conversation_thread(conversation).select_related(
        "written_by", "written_by_advisor__user"
    )
    for message in messages:
        mine = False
        if message.author == MessageAuthor.TOURIST:
            who = str(_("Tourist"))
        elif message.author == MessageAuthor.LOCAL:
            mine = viewer.wrote(message)
            who = str(_("You")) if mine else writer_name(message)
        else:
            who = str(MessageAuthor.SYSTEM.label)
        lines.append(
            ThreadLine(
                message=message,
                who=who,
                from_tourist=message.author == MessageAuthor.TOURIST,
                mine=mine,
            )
        )
    return lines


def writer_name(message: Message) -> str:
    """The first name of the local who wrote a reply, as tourists know them."""
    if message.written_by is not None:
        name = from_ambassador(message.written_by).first_name
    elif message.written_by_advisor is not None:
        name = from_advisor(message.written_by_advisor).first_name
    else:
        name = ""
    return name or str(_("Another local"))


def conversation_thread(conversation: Conversation) -> QuerySet[Message]:
    """What a local sees of a conversation: the tourist's texts and everything the tourist was
    sent (replies, confirmations, FAQ answers); not the relayed copies sent to locals."""
    return conversation.messages.filter(
        Q(author=MessageAuthor.TOURIST, direction=MessageDirection.INBOUND)
        | Q(direction=MessageDirection.OUTBOUND, to_number=conversation.tourist_number)
    ).order_by("created_at", "pk")
