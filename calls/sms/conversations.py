"""A conversation's life: given to a local, answered, passed on, closed. Each change is atomic
and idempotent (conditional updates decide), and everyone concerned is told once."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import DateTimeField, Exists, F, Q, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassadors.models import Ambassador
from ambassadors.points import points_award_sms_conversation
from ambassadors.services import ambassador_claim
from concierge.models import Membership
from concierge.rotas import advisors_on_duty, any_shift_running

from .. import copy
from ..figures.tasks import enqueue_conversation
from ..models import (
    CloseReason,
    Conversation,
    ConversationStatus,
    Message,
    MessageAuthor,
    MessageStatus,
)
from ..ratings.ask import rating_ask_after_conversation
from ..responders import Responder, from_advisor, from_ambassador, responder_of
from ..routing import Wish, claim_first, relaxed
from .faq import faq_reply
from .keywords import CODE_DIGITS, CODE_LETTERS
from .masking import mask_contacts
from .outbox import (
    MAX_BODY,
    MAX_REPLY,
    Outgoing,
    send,
    send_all,
    send_to_local,
    split_text,
    to_local,
)
from .selectors import sms_candidates

RELAY_LABEL = 60  # room for "[#K7 United Arab Emirates] " in front of a relayed text
COMMUNITY_LABEL = 40  # and for ", Familles avec des enfants" after the country
CODES = [a + d for a in CODE_LETTERS for d in CODE_DIGITS]


class RelayError(Exception):
    """A local's reply (web page or API) cannot be sent; the message says why."""


def attach(message: Message, conversation: Conversation, *, touch: bool = True) -> None:
    """The message belongs to the conversation, last active at it (unless ``touch`` is False:
    a conversation opened by this very message was last active at it already)."""
    message.conversation = conversation
    message.save(update_fields=["conversation"])
    if touch:
        Conversation.objects.filter(pk=conversation.pk).update(last_activity_at=message.created_at)


def held_by(local: Responder, *, rehearsal: bool) -> list[Conversation]:
    """The local's open conversations (their rehearsals only, for a rehearsed text), locked
    until the end of the transaction."""
    return list(
        Conversation.objects.select_for_update()
        .filter(status=ConversationStatus.OPEN, is_rehearsal=rehearsal, **local.owns())
        .order_by("assigned_at", "pk")
    )


def relay_to_local(conversation: Conversation, text: str, *, first: bool = False) -> None:
    """A tourist's words to their local: "[#K7] …", with the country the first time (contacts
    were hidden when the text arrived, if the line says so)."""
    send_to_local(
        conversation, _relayed(conversation, text, first=first), author=MessageAuthor.TOURIST
    )


def _relayed(conversation: Conversation, text: str, *, first: bool) -> Callable[[str], list[str]]:
    """The relayed text's parts, labelled in the local's language."""
    code, country = conversation.code, conversation.tourist_country
    channel = conversation.channel
    community = conversation.community if first else None
    room = RELAY_LABEL + (COMMUNITY_LABEL if community else 0)
    pieces = split_text(text, MAX_BODY - room)

    def labelled(language: str) -> list[str]:
        tag = copy.tag(code, country, language, community, channel=channel) if first else f"#{code}"
        return [
            copy.local_relay(tag if n == 0 else f"#{code}", piece) for n, piece in enumerate(pieces)
        ]

    return labelled


def tell_masking_once(conversation: Conversation, *, tourist: bool) -> None:
    """Someone typed a number or an address and it was hidden: they are told, once per
    conversation, so nobody wonders why the other side did not call."""
    field = "tourist_told_masking" if tourist else "local_told_masking"
    first = Conversation.objects.filter(pk=conversation.pk, **{field: False}).update(
        **{field: True}
    )
    if not first:
        return
    if tourist:
        text = copy.tourist_contacts_hidden(conversation.language)
        send(conversation, to=conversation.tourist_number, body=text, author=MessageAuthor.SYSTEM)
    else:
        code = conversation.code
        send_to_local(
            conversation, lambda language: copy.local_contacts_hidden(language, code=code)
        )


# --- Giving a conversation to a local -----------------------------------------------------------


@dataclass(frozen=True)
class Fresh:
    """What the caller that has just opened a conversation knows of it, so that giving it to
    someone asks the database nothing more: the tourist's texts so far (none after NEW), and
    whether someone was offered it before (NEW carries over who had the last one)."""

    texts: list[str]
    offered_before: bool


def assign(
    conversation: Conversation, *, now: datetime | None = None, fresh: Fresh | None = None
) -> Responder | None:
    """Give a waiting conversation to the advisor on duty or a free volunteer, relay what the
    tourist wrote so far and tell the tourist who will answer (``fresh``: see :class:`Fresh`)."""
    now = now or timezone.now()
    local = _claim_advisor(conversation, now) or _claim_volunteer(conversation, now)
    if local is None:
        return None
    # Someone had it before (no answer, NEW, a local leaving): the tourist is told it changed.
    handover = (
        fresh.offered_before
        if fresh
        else Conversation.objects.filter(
            Q(tried__isnull=False) | Q(tried_advisors__isnull=False), pk=conversation.pk
        ).exists()
    )
    _give(conversation, local, now)
    if fresh is None:
        conversation.refresh_from_db()
    (conversation.tried_advisors if local.is_advisor else conversation.tried).add(local.pk)
    if fresh is None:
        waiting = conversation.messages.filter(author=MessageAuthor.TOURIST).order_by("-created_at")
        texts = [m.body for m in reversed(waiting[:3])]
    else:
        texts = fresh.texts
    text = copy.tourist_in_touch(
        conversation.language, name=local.first_name, advisor=local.is_advisor, handover=handover
    )
    author = MessageAuthor.TOURIST if texts else MessageAuthor.SYSTEM
    them = to_local(conversation, _first_words(conversation, texts), author=author, local=local)
    tourist = Outgoing(
        conversation, to=conversation.tourist_number, body=text, author=MessageAuthor.SYSTEM
    )
    send_all([them, tourist] if them else [tourist])  # one INSERT for both
    return local


def _first_words(conversation: Conversation, texts: list[str]) -> Callable[[str], str | list[str]]:
    """What the local is sent first: the tourist's texts so far, or (after NEW: none yet) that
    a tourist is waiting."""
    if texts:
        return _relayed(conversation, " / ".join(texts), first=True)
    code, country, community, channel = (
        conversation.code,
        conversation.tourist_country,
        conversation.community,
        conversation.channel,
    )
    return lambda language: copy.local_new_chat(
        language, label=copy.tag(code, country, language, community, channel=channel)
    )


def _give(conversation: Conversation, local: Responder, now: datetime) -> None:
    """The conversation becomes the local's under a code none of their open ones has: a code
    drawn at random and checked in the same UPDATE; only when it is taken (rarely: a local
    holds a few of 147) are the taken ones read and another drawn among the free."""
    theirs = Conversation.objects.filter(status=ConversationStatus.OPEN, **local.owns())
    fields = {**local.owns(), "status": ConversationStatus.OPEN, "assigned_at": now}
    this = Conversation.objects.filter(pk=conversation.pk)
    code = random.choice(CODES)  # noqa: S311 - a label, not a secret
    if not this.filter(~Exists(theirs.filter(code=code))).update(code=code, **fields):
        taken = set(theirs.values_list("code", flat=True))
        code = random.choice([c for c in CODES if c not in taken])  # noqa: S311
        this.update(code=code, **fields)
    # What the UPDATE wrote, without reading the row back.
    conversation.code, conversation.status, conversation.assigned_at = (
        code,
        ConversationStatus.OPEN,
        now,
    )
    source = local.source
    conversation.responder = source if isinstance(source, Ambassador) else None
    conversation.advisor = source if isinstance(source, Membership) else None


def _claim_advisor(conversation: Conversation, now: datetime) -> Responder | None:
    """As for calls, an advisor on a rota shift comes first: one not offered this conversation
    before and holding fewer than the allowed open conversations. Their row stays locked until
    the conversation is theirs, so two texts never overfill them."""
    if not any_shift_running(now):
        return None
    tried = conversation.tried_advisors.values("pk")
    for advisor in advisors_on_duty(at=now, region=None).exclude(pk__in=tried):
        locked = Membership.objects.select_for_update(skip_locked=True).filter(pk=advisor.pk)
        if not locked.exists():
            continue
        holding = advisor.conversations.filter(status=ConversationStatus.OPEN).count()
        if holding < settings.SMS_MAX_OPEN_PER_LOCAL:
            return from_advisor(advisor)
    return None


def _claim_volunteer(conversation: Conversation, now: datetime) -> Responder | None:
    """The routing policy of calls: the volunteers' queue, least recently offered first with a
    random pick among the first few, wishes relaxed (topic, then English)."""

    def head(wish: Wish, limit: int) -> list[Ambassador]:
        return sms_candidates(
            conversation=conversation,
            at=now,
            language=wish.language,
            motive=wish.motive,
            community=wish.community,
            limit=limit,
        )

    def take(candidate: Ambassador) -> Responder | None:
        return (
            from_ambassador(candidate) if ambassador_claim(ambassador=candidate, at=now) else None
        )

    return claim_first(
        relaxed(Wish(conversation.language, conversation.motive, community=conversation.community)),
        head=head,
        take=take,
    )


# --- Replies -------------------------------------------------------------------------------------


def reply(conversation: Conversation, text: str) -> Message | None:
    """A local's words to the tourist (from their phone, the web page or the API), sent whole
    (in parts when long), with contacts hidden if the line says so."""
    now = timezone.now()
    hidden = False
    if conversation.line.masks_contacts:
        masked = mask_contacts(text, region=settings.DESTINATION_COUNTRY)
        text, hidden = masked.text, masked.hidden
    sent = send(
        conversation,
        to=conversation.tourist_number,
        body=text,
        author=MessageAuthor.LOCAL,
        writer=responder_of(conversation),
    )
    if sent is not None and hidden:
        tell_masking_once(conversation, tourist=False)
    if sent is not None and sent.status == MessageStatus.HELD:
        _tell_held_once(conversation, sent)
    if sent is None:
        code = conversation.code
        send_to_local(
            conversation, lambda language: copy.local_tourist_opted_out(language, code=code)
        )
        return None
    first = Conversation.objects.filter(pk=conversation.pk, first_reply_at__isnull=True).update(
        first_reply_at=now,
        first_response_time=Value(now, output_field=DateTimeField()) - F("opened_at"),
    )
    if first and conversation.responder_id and not conversation.is_rehearsal:
        points_award_sms_conversation(
            ambassador_id=conversation.responder_id,
            conversation_ref=str(conversation.public_id),
            first_message_at=conversation.opened_at,
            first_reply_at=now,
        )
    Conversation.objects.filter(pk=conversation.pk).update(last_activity_at=now)
    return sent


def _tell_held_once(conversation: Conversation, held: Message) -> None:
    """The reply waits for a WhatsApp tourist to write again: its local is told, once while
    replies wait (the page shows each held reply as such)."""
    earlier = conversation.messages.filter(
        status=MessageStatus.HELD, author=MessageAuthor.LOCAL, follows__isnull=True
    ).exclude(pk=held.pk)
    if not earlier.exists():
        code = conversation.code
        send_to_local(conversation, lambda language: copy.local_whatsapp_held(language, code=code))


def conversation_reply(*, conversation: Conversation, local: Responder, text: str) -> Message:
    """A reply written on the web page or through the API, by the local who holds it."""
    text = text.strip()
    if not text:
        raise RelayError(_("Write a message first."))
    if len(text) > MAX_REPLY:
        raise RelayError(_("A message can be %(max)d characters at most.") % {"max": MAX_REPLY})
    with transaction.atomic():
        locked = (
            Conversation.objects.select_for_update()
            .filter(pk=conversation.pk, **local.owns())
            .first()
        )
        if locked is None or locked.status != ConversationStatus.OPEN:
            raise RelayError(_("This conversation is closed."))
        sent = reply(locked, text)
        if sent is None:
            raise RelayError(_("The tourist has opted out: nothing more can be sent to them."))
    return sent


# --- Endings -------------------------------------------------------------------------------------


def conversation_end(*, conversation: Conversation, local: Responder) -> bool:
    """The local closes the conversation ("#K7 END", the web page or the API)."""
    if not local.holds(conversation):
        raise RelayError(_("This conversation is not yours."))
    return end(conversation)


def end(conversation: Conversation) -> bool:
    with transaction.atomic():
        if not close(conversation, CloseReason.ENDED):
            return False  # already closed: nobody is told twice
        local = responder_of(conversation)
        text = copy.tourist_closed(conversation.language, name=local.first_name if local else "")
        send(conversation, to=conversation.tourist_number, body=text, author=MessageAuthor.SYSTEM)
        code = conversation.code
        send_to_local(conversation, lambda language: copy.local_closed(language, code=code))
    return True


def close(conversation: Conversation, reason: CloseReason) -> bool:
    now = timezone.now()
    closed = (
        Conversation.objects.filter(pk=conversation.pk)
        .exclude(status=ConversationStatus.CLOSED)
        .update(status=ConversationStatus.CLOSED, close_reason=reason, closed_at=now)
    )
    if not closed:
        return False
    if not conversation.is_rehearsal:
        conversation_id = conversation.pk
        transaction.on_commit(lambda: enqueue_conversation(conversation_id))
    was_open = conversation.status == ConversationStatus.OPEN
    conversation.status, conversation.close_reason, conversation.closed_at = (
        ConversationStatus.CLOSED,
        reason,
        now,
    )
    rating_ask_after_conversation(conversation)
    if was_open and reason in (CloseReason.NEW, CloseReason.OPTED_OUT):
        code, another = conversation.code, reason == CloseReason.NEW
        send_to_local(
            conversation,
            lambda language: copy.local_tourist_left(
                language, code=code, asked_for_another=another
            ),
        )
    return True


def hand_over(
    conversation: Conversation,
    *,
    now: datetime,
    reason: str,
    before: Callable[[], None] | None = None,
) -> bool | None:
    """The local can no longer answer ("unanswered": no reply in time; "left": they opted
    out): the conversation goes at once to the next free local, and the tourist gets one text
    that says what happened — who answers now, or (nobody free) the FAQ and that we are still
    looking. ``before`` runs once the local is released (to tell them). None when there was
    nothing to hand over; otherwise whether someone new took it."""
    if not release(conversation, unanswered_only=reason == "unanswered"):
        return None
    if before is not None:
        before()
    conversation.status = ConversationStatus.WAITING
    if assign(conversation, now=now) is not None:
        return True
    last = (
        conversation.messages.filter(author=MessageAuthor.TOURIST).order_by("-created_at").first()
    )
    faq_reply(conversation, last.body if last else "", waiting=True, handed_over=reason)
    return False


def release(conversation: Conversation, *, unanswered_only: bool = False) -> bool:
    """Back to waiting, for the next free local (the sweep hands it over). With
    ``unanswered_only``, only if the local has not replied yet (the no-answer fallback)."""
    open_now = Conversation.objects.filter(pk=conversation.pk, status=ConversationStatus.OPEN)
    if unanswered_only:
        open_now = open_now.filter(first_reply_at__isnull=True)
    return bool(
        open_now.update(
            status=ConversationStatus.WAITING,
            responder=None,
            advisor=None,
            code="",
            assigned_at=None,
        )
    )
