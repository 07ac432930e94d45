"""Outgoing texts: stored first, sent after commit by a task with a status callback, so a failure
or a broker outage loses nothing and nothing is sent twice; then Twilio's delivery news.

Only the calls app sends through here; numbers are used to send and never shown.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from concierge.lib import telephony
from concierge.lib.pseudonyms import number_hash
from concierge.lib.redaction import redact

from .. import copy
from ..models import (
    FAILED_MESSAGE_STATUSES,
    MESSAGE_STATUS_RANK,
    Conversation,
    ConversationChannel,
    Message,
    MessageAuthor,
    MessageDirection,
    MessageStatus,
    OptOut,
    PhoneLine,
    address_on,
    channel_of,
)
from ..responders import Responder, responder_of
from ..webinbox import web_inbox_changed
from . import whatsapp

logger = logging.getLogger(__name__)

MAX_BODY = 1500  # one stored text; Twilio refuses above 1,600 characters
MAX_REPLY = 4 * MAX_BODY  # what a local may write at once on the web: sent in parts
PART_LABEL = 8  # room for "(12/12) " in front of each part of a long text


def split_text(body: str, limit: int = MAX_BODY) -> list[str]:
    """A text as the parts that go out: itself when it fits, else "(1/3) …", "(2/3) …" cut
    between words where possible, so nothing is lost and the reader can follow the order."""
    if len(body) <= limit:
        return [body]
    room = limit - PART_LABEL
    pieces: list[str] = []
    rest = body
    while rest:
        if len(rest) <= room:
            pieces.append(rest)
            break
        cut = rest.rfind(" ", room // 2, room + 1)
        cut = cut if cut > 0 else room
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    return [f"({n}/{len(pieces)}) {piece}" for n, piece in enumerate(pieces, start=1)]


def send_to_local(
    conversation: Conversation,
    text: Callable[[str], str | list[str]],
    *,
    author: MessageAuthor = MessageAuthor.SYSTEM,
) -> None:
    """To whoever answers the conversation (the volunteer or the advisor on duty), in their
    language: ``text`` is given it and returns the words from the catalogue. A relayed text of
    the tourist's is authored by the tourist."""
    outgoing = to_local(conversation, text, author=author)
    if outgoing is not None:
        send_all([outgoing])


def to_local(
    conversation: Conversation,
    text: Callable[[str], str | list[str]],
    *,
    author: MessageAuthor = MessageAuthor.SYSTEM,
    local: Responder | None = None,
) -> Outgoing | None:
    """What :func:`send_to_local` sends, to send with others (``local``: who holds the
    conversation, when the caller knows); None when they have no phone."""
    local = local or responder_of(conversation)
    if local is None or not local.phone:
        return None
    return Outgoing(conversation, to=local.phone, body=text(local.language), author=author)


@dataclass(frozen=True)
class Outgoing:
    """One text to send (see :func:`send`)."""

    conversation: Conversation | None
    to: str
    body: str | list[str]
    author: MessageAuthor
    line: PhoneLine | None = None
    rehearsal: bool = False
    writer: Responder | None = None


def send(
    conversation: Conversation | None,
    *,
    to: str,
    body: str | list[str],
    author: MessageAuthor,
    line: PhoneLine | None = None,
    rehearsal: bool = False,
    writer: Responder | None = None,
) -> Message | None:
    """Store an outgoing text and send it after commit; a long one goes out in parts, each
    after the one before (``body`` may be the parts already cut and labelled). None when the
    number opted out. ``writer``: the local who wrote it.

    A rehearsal conversation's texts are rehearsals (``rehearsal`` marks one outside any)."""
    return send_all([Outgoing(conversation, to, body, author, line, rehearsal, writer)])[0]


def send_all(texts: list[Outgoing]) -> list[Message | None]:
    """Several texts as :func:`send` sends each, in this order, with one look at the opt-outs
    and one INSERT for all of them (one per part, for long ones): a first text costs fewer
    round trips (a long text's later parts are stored one by one). The first part of each, or
    None where the number opted out."""
    stops = _opted_out_of(texts)
    planned = [_plan(text) for text in texts if (_rehearsal(text), text.to) not in stops]
    firsts = Message.objects.bulk_create(_message(plan, plan.parts[0]) for plan in planned)
    for plan, first in zip(planned, firsts, strict=True):
        previous = first
        for part in plan.parts[1:]:  # each part of a long text follows the one before
            previous = _message(plan, part, follows=previous)
            previous.save()
        _after_storing(plan, first)
    stored = iter(firsts)
    return [None if (_rehearsal(t), t.to) in stops else next(stored) for t in texts]


@dataclass(frozen=True)
class _Plan:
    text: Outgoing
    rehearsal: bool
    from_: str
    status: str
    error: str
    parts: list[str]


def _rehearsal(text: Outgoing) -> bool:
    """Whether the text is a rehearsal: a rehearsal conversation's texts are."""
    return text.rehearsal or (text.conversation is not None and text.conversation.is_rehearsal)


def _opted_out_of(texts: list[Outgoing]) -> set[tuple[bool, str]]:
    hashes = {number_hash(text.to): text.to for text in texts}
    found = OptOut.objects.filter(number_hash__in=hashes).values_list("is_rehearsal", "number_hash")
    return {(rehearsal, hashes[hashed]) for rehearsal, hashed in found}


def _plan(text: Outgoing) -> _Plan:
    rehearsal, line = _rehearsal(text), text.line
    if line is None:
        assert text.conversation is not None, "a text outside a conversation names its line"
        line = text.conversation.line
    channel = channel_of(text.to)
    from_ = address_on(channel, line.number.as_e164)  # a WhatsApp tourist hears from WhatsApp
    status, error = MessageStatus.PENDING, ""
    if channel == ConversationChannel.WHATSAPP and not whatsapp.window_open(
        line_address=from_, address=text.to, rehearsal=rehearsal, now=timezone.now()
    ):
        # A local's words wait for the tourist to write again; our own notices are dropped.
        if text.author == MessageAuthor.LOCAL:
            status = MessageStatus.HELD
        else:
            status, error = MessageStatus.FAILED, whatsapp.OUTSIDE_WINDOW
    elif channel == ConversationChannel.WEB:
        status = MessageStatus.DELIVERED  # a web-chat visitor's panel shows it (calls.webchat)
    body = text.body
    parts = split_text(body) if isinstance(body, str) else list(body)
    assert parts, "a text has words"
    return _Plan(text, rehearsal, from_, status, error, parts)


def _message(plan: _Plan, part: str, *, follows: Message | None = None) -> Message:
    writer = plan.text.writer
    return Message(
        conversation=plan.text.conversation,
        direction=MessageDirection.OUTBOUND,
        author=plan.text.author,
        from_number=plan.from_,
        to_number=plan.text.to,
        body=part,
        status=plan.status,
        error=plan.error,
        is_rehearsal=plan.rehearsal,
        written_by_id=writer.pk if writer and not writer.is_advisor else None,
        written_by_advisor_id=writer.pk if writer and writer.is_advisor else None,
        follows=follows,
    )


def _after_storing(plan: _Plan, first: Message) -> None:
    to = plan.text.to
    if channel_of(to) == ConversationChannel.WEB:  # no phone to hand it to
        transaction.on_commit(lambda: web_inbox_changed(to))
        return
    first_id = first.pk
    if plan.status == MessageStatus.PENDING:
        transaction.on_commit(lambda: _enqueue(first_id))
    elif plan.status == MessageStatus.HELD:
        _invite_back(
            plan.text.conversation,
            line_address=plan.from_,
            to=to,
            writer=plan.text.writer,
            rehearsal=plan.rehearsal,
        )


def _invite_back(
    conversation: Conversation | None,
    *,
    line_address: str,
    to: str,
    writer: Responder | None,
    rehearsal: bool,
) -> None:
    """A local answered a WhatsApp tourist whose window has closed: the approved template
    tells them so (once per closed window), and their next message brings the reply."""
    heard = whatsapp.last_heard(line_address=line_address, address=to, rehearsal=rehearsal)
    if whatsapp.invited_since(
        line_address=line_address, address=to, rehearsal=rehearsal, since=heard
    ):
        return
    language = conversation.language if conversation is not None else "en"
    content_sid = whatsapp.template_for(language)
    if not content_sid:
        logger.warning("No WhatsApp template is configured: a reply waits without a notice")
        return
    name = (writer.first_name if writer is not None else "") or copy.someone(language)
    message = Message.objects.create(
        conversation=conversation,
        direction=MessageDirection.OUTBOUND,
        author=MessageAuthor.SYSTEM,
        from_number=line_address,
        to_number=to,
        body=copy.tourist_whatsapp_local_answered(language, name=name),
        status=MessageStatus.PENDING,
        template_sid=content_sid,
        template_variables={"1": name},
        is_rehearsal=rehearsal,
    )
    message_id = message.pk
    transaction.on_commit(lambda: _enqueue(message_id))


def message_hold(message: Message) -> bool:
    """Twilio refused a local's reply as outside WhatsApp's window (error 63016: its clock
    ran ahead of ours): the reply is held as if we had known, and the template goes instead.
    False for anything else (it simply failed)."""
    if message.author != MessageAuthor.LOCAL or channel_of(message.to_number) == "sms":
        return False
    live = [s for s, rank in MESSAGE_STATUS_RANK.items() if 0 < rank < MESSAGE_STATUS_RANK["read"]]
    with transaction.atomic():
        held = Message.objects.filter(pk=message.pk, status__in=live).update(
            status=MessageStatus.HELD
        )
        if not held:
            return False
        conversation = message.conversation
        _invite_back(
            conversation,
            line_address=message.from_number,
            to=message.to_number,
            writer=responder_of(conversation) if conversation is not None else None,
            rehearsal=message.is_rehearsal,
        )
        if conversation is not None:
            code = conversation.code
            send_to_local(
                conversation, lambda language: copy.local_whatsapp_held(language, code=code)
            )
    return True


def release_held(*, line: PhoneLine, to: str, rehearsal: bool) -> int:
    """The WhatsApp tourist wrote again: the replies that waited for them go out now, in
    order (the first part of each; later parts follow as usual)."""
    line_address = address_on(channel_of(to), line.number.as_e164)
    held = Message.objects.filter(
        status=MessageStatus.HELD, to_number=to, from_number=line_address, is_rehearsal=rehearsal
    )
    rows = list(held.order_by("created_at", "pk").values_list("pk", "follows_id"))
    if not rows:
        return 0
    held.update(status=MessageStatus.PENDING, sid="")  # sent afresh (a 63016 left a sid)
    ids = {pk for pk, _follows in rows}
    heads = [pk for pk, follows in rows if follows not in ids]
    transaction.on_commit(lambda: _enqueue_all(heads))
    return len(rows)


def _enqueue_all(message_ids: list[int]) -> None:
    for message_id in message_ids:
        _enqueue(message_id)


def opted_out(number: str, *, rehearsal: bool = False) -> bool:
    """Whether the number texted STOP (and not START since). Opt-outs keep only the number's
    keyed hash: recognised when it texts again, never readable. Rehearsed opt-outs hold in
    rehearsals only."""
    return OptOut.objects.filter(number_hash=number_hash(number), is_rehearsal=rehearsal).exists()


def opt_out(number: str, *, rehearsal: bool = False) -> bool:
    """Record the opt-out; whether it is new (a repeated STOP changes nothing)."""
    _opt_out, created = OptOut.objects.get_or_create(
        number_hash=number_hash(number), is_rehearsal=rehearsal
    )
    return created


def opt_in(number: str, *, rehearsal: bool = False) -> None:
    OptOut.objects.filter(number_hash=number_hash(number), is_rehearsal=rehearsal).delete()


def _enqueue(message_id: int) -> None:
    from .tasks import send_sms_message  # the task calls back into this module

    try:
        send_sms_message.delay(message_id)
    except Exception:  # noqa: BLE001 - broker down: the sweep sends pending messages later
        logger.warning("Could not enqueue SMS %s; the sweep will send it", message_id)


def message_send(*, message_id: int) -> bool:
    """Hand one stored message to the telephony backend, once: the conditional update on its
    status decides who sends it. A temporary failure puts it back for a retry."""
    claimed = Message.objects.filter(pk=message_id, status=MessageStatus.PENDING, sid="").update(
        status=MessageStatus.SENDING
    )
    if not claimed:
        return False
    message = Message.objects.get(pk=message_id)
    if message.is_rehearsal and telephony.get_backend().reaches_real_phones:
        # Rehearsed where phones were fake, about to go out where they are real: never.
        error = "A rehearsal is never sent to a real phone."
        message_status_update(message=message, status=MessageStatus.FAILED, error=error)
        return False
    callback = settings.PUBLIC_BASE_URL + reverse("calls:sms-status") + f"?m={message.public_id}"
    try:
        if message.template_sid:
            sent = telephony.send_template(
                to=message.to_number,
                from_=message.from_number,
                content_sid=message.template_sid,
                variables=message.template_variables,
                body=message.body,
                status_callback=callback,
            )
        else:
            sent = telephony.send_sms(
                to=message.to_number,
                body=message.body,
                from_=message.from_number,
                status_callback=callback,
            )
    except telephony.TelephonyError as exc:
        if not exc.permanent:
            Message.objects.filter(pk=message_id).update(status=MessageStatus.PENDING)
            raise
        message_status_update(message=message, status=MessageStatus.FAILED, error=exc.message)
        return False
    status = sent.status if sent.status in MESSAGE_STATUS_RANK else MessageStatus.SENDING
    Message.objects.filter(pk=message_id).update(sid=sent.sid)
    message_status_update(message=message, status=status)
    if following := Message.objects.filter(follows_id=message_id).values_list("pk", flat=True):
        _enqueue(following[0])  # the next part of a long text, now that this one is out
    return True


def message_status_update(*, message: Message, status: str, error: str = "") -> bool:
    """Twilio's delivery news: statuses only move forward (late and repeated callbacks change
    nothing); a local whose reply failed is told once."""
    rank = MESSAGE_STATUS_RANK.get(status)
    if rank is None:
        return False
    behind = [s for s, r in MESSAGE_STATUS_RANK.items() if r < rank]
    # A provider's refusal may quote the number ("The 'To' number +49… is not valid").
    updated = Message.objects.filter(pk=message.pk, status__in=behind).update(
        status=status, error=redact(error)[:200]
    )
    if updated and status in FAILED_MESSAGE_STATUSES:
        _fail_later_parts(message)
        if message.author == MessageAuthor.LOCAL:
            _tell_local_of_failure(message)
    return bool(updated)


def _fail_later_parts(message: Message) -> None:
    """The rest of a long text is not sent without the part that failed before it."""
    later = Message.objects.filter(follows=message, status=MessageStatus.PENDING).first()
    while later is not None:
        Message.objects.filter(pk=later.pk).update(
            status=MessageStatus.FAILED, error="An earlier part could not be sent."
        )
        later = Message.objects.filter(follows=later, status=MessageStatus.PENDING).first()


def _tell_local_of_failure(message: Message) -> None:
    first = Message.objects.filter(pk=message.pk, failure_notified_at__isnull=True).update(
        failure_notified_at=timezone.now()
    )
    conversation = message.conversation
    if not first or conversation is None:
        return
    conversation = Conversation.objects.select_related("responder", "advisor__user", "line").get(
        pk=conversation.pk
    )
    excerpt = message.body[:40] + ("…" if len(message.body) > 40 else "")
    code = conversation.code
    send_to_local(
        conversation,
        lambda language: copy.local_reply_failed(language, code=code, excerpt=excerpt),
    )


def resend_stuck(now: datetime) -> int:
    """Messages a broker outage left unsent are enqueued again; one whose sending was cut off
    half-way (no answer from the backend) is marked failed rather than risk sending it twice."""
    pending = list(
        Message.objects.filter(
            status=MessageStatus.PENDING, created_at__lt=now - timedelta(minutes=1)
        )
        # A later part waits for the one it follows to be handed over.
        .filter(Q(follows__isnull=True) | Q(follows__sid__gt=""))
        .values_list("pk", flat=True)[:500]
    )
    for message_id in pending:
        _enqueue(message_id)
    # A reply held for a WhatsApp tourist who never wrote again: its local is told it failed.
    for message in Message.objects.filter(
        status=MessageStatus.HELD,
        created_at__lt=now - timedelta(days=settings.WHATSAPP_HOLD_DAYS),
    )[:500]:
        message_status_update(
            message=message,
            status=MessageStatus.FAILED,
            error="Not delivered: the tourist did not write again on WhatsApp.",
        )
    for message in Message.objects.filter(
        status=MessageStatus.SENDING, sid="", created_at__lt=now - timedelta(minutes=10)
    ):
        message_status_update(
            message=message, status=MessageStatus.FAILED, error="Sending was interrupted."
        )
    return len(pending)


def messages_blank_old(*, now: datetime | None = None) -> int:
    """Retention: message texts older than SMS_RETENTION_DAYS are erased (the rows stay, for
    response times and statistics)."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.SMS_RETENTION_DAYS)
    return Message.objects.filter(created_at__lt=cutoff, body_deleted=False).update(
        body="", body_deleted=True
    )
