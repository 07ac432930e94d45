"""A web-chat visitor's life: a session started, messages written (routed exactly like a
tourist's text: the advisor on duty first, then the volunteers, the FAQ while waiting), an
e-mail address left, and the replies they did not read sent to it."""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone

from ..models import (
    CloseReason,
    Conversation,
    ConversationChannel,
    ConversationStatus,
    Message,
    MessageAuthor,
    MessageDirection,
    MessageStatus,
    WebChat,
    WebVisitor,
)
from ..sms.conversations import assign, attach, close, relay_to_local, tell_masking_once
from ..sms.faq import faq_reply
from ..sms.keywords import NEW, OPT_OUT, community_for, keyword, motive_for
from ..sms.masking import mask_contacts
from ..sms.selectors import writer_name
from ..webinbox import web_inbox_changed
from . import copy
from .guard import Pass, new_challenge, proof_holds

logger = logging.getLogger(__name__)

MAX_TEXT = 1000  # what a visitor may write at once
EMAIL_KEPT = timedelta(days=2)


class ChatError(Exception):
    """A visitor's request is refused; ``what`` names the text (copy.error_text) and the HTTP
    status the API answers."""

    def __init__(self, what: str, status: int = 400, **values: int) -> None:
        super().__init__(what)
        self.what, self.status, self.values = what, status, values


def visitor_start(*, chat: WebChat, language: str) -> Pass:
    """A new anonymous visitor of the chat, and the pass their token carries."""
    if not chat.is_active or not chat.line.is_active:
        raise ChatError("closed", status=404)
    visitor = WebVisitor.objects.create(chat=chat, language=copy.visitor_language(language))
    return Pass(
        visitor=str(visitor.public_id),
        address=visitor.address,
        chat=chat.key,
        challenge=new_challenge(),
        language=visitor.language,
    )


def visitor_of(visitor_pass: Pass) -> WebVisitor:
    visitor = (
        WebVisitor.objects.select_related("chat__line")
        .filter(public_id=visitor_pass.visitor, address=visitor_pass.address)
        .first()
    )
    if visitor is None:
        raise ChatError("expired", status=401)
    return visitor


def visitor_write(
    *, visitor_pass: Pass, text: str, client_id: str, nonce: str = ""
) -> Message | None:
    """The visitor's message, handled once (``client_id``, the panel's id for it, makes a retry
    harmless): relayed to their local, or opening a conversation given to the advisor on duty or
    a free volunteer, with the FAQ's instant answers while nobody is free. None for a repeat."""
    text = text.strip()
    if not text:
        raise ChatError("empty")
    if len(text) > MAX_TEXT:
        raise ChatError("long", max=MAX_TEXT)
    visitor = visitor_of(visitor_pass)
    chat, line = visitor.chat, visitor.chat.line
    if not chat.is_active or not line.is_active:
        raise ChatError("closed", status=404)
    if visitor.proved_at is None:
        if not proof_holds(visitor_pass.challenge, nonce):
            raise ChatError("proof", status=403)
        WebVisitor.objects.filter(pk=visitor.pk, proved_at__isnull=True).update(
            proved_at=timezone.now()
        )
    sid = "WB" + hashlib.sha256(f"{visitor.address}:{client_id}".encode()).hexdigest()[:32]
    return message_receive(visitor, text, sid=sid)


def message_receive(
    visitor: WebVisitor, text: str, *, sid: str, rehearsal: bool = False
) -> Message | None:
    """A visitor's words (contacts masked as the line says) stored once under ``sid`` (None
    for a repeat: handled already) and routed (message_route); their panel's stamp changes.
    The SMS simulator's rehearsed visitor comes through here too (``rehearsal``)."""
    line = visitor.chat.line
    hidden = False
    if line.masks_contacts:
        masked = mask_contacts(text, region=settings.DESTINATION_COUNTRY)
        text, hidden = masked.text, masked.hidden
    with transaction.atomic():
        try:
            with transaction.atomic():
                message = Message.objects.create(
                    sid=sid,
                    direction=MessageDirection.INBOUND,
                    author=MessageAuthor.TOURIST,
                    from_number=visitor.address,
                    to_number=line.number.as_e164,
                    body=text,
                    status=MessageStatus.RECEIVED,
                    is_rehearsal=rehearsal,
                )
        except IntegrityError:  # the panel sent it again (a lost answer): handled already
            return None
        conversation = message_route(visitor, message)
        if hidden and conversation is not None:
            tell_masking_once(conversation, tourist=True)
        address = visitor.address
        transaction.on_commit(lambda: web_inbox_changed(address))
    return message


def message_route(visitor: WebVisitor, message: Message) -> Conversation | None:
    """As the SMS relay does with a tourist's text: STOP closes, NEW asks for another local,
    anything else joins the live conversation or opens one. A rehearsal message (the SMS
    simulator's web-chat visitor) lives in rehearsal conversations only."""
    line, word = visitor.chat.line, keyword(message.body)
    live = (
        Conversation.objects.select_for_update()
        .filter(line=line, tourist_number=visitor.address, is_rehearsal=message.is_rehearsal)
        .exclude(status=ConversationStatus.CLOSED)
        .first()
    )
    if word in OPT_OUT or word == NEW:
        tried: tuple[list[int], list[int]] = ([], [])
        if live is not None:
            attach(message, live)
            tried = (
                list(live.tried.values_list("pk", flat=True)),
                list(live.tried_advisors.values_list("pk", flat=True)),
            )
            close(live, CloseReason.OPTED_OUT if word in OPT_OUT else CloseReason.NEW)
        return None if word in OPT_OUT else _open(visitor, message, tried=tried)
    if live is None:
        return _open(visitor, message, tried=([], []))
    attach(message, live)
    if live.status == ConversationStatus.OPEN:
        relay_to_local(live, message.body)
    else:
        faq_reply(live, message.body)
    return live


def _open(
    visitor: WebVisitor, message: Message, *, tried: tuple[list[int], list[int]]
) -> Conversation:
    """A new conversation in the visitor's language, given to a free local if there is one."""
    asked_new = keyword(message.body) == NEW
    # A community named in the first message wins over the line's own, as in a first text.
    asked = None if asked_new else community_for(message.body, visitor.language)
    conversation = Conversation(
        line=visitor.chat.line,
        tourist_number=visitor.address,
        channel=ConversationChannel.WEB,
        tourist_country="",
        language=visitor.language,
        motive=None if asked_new else motive_for(message.body),
        community_id=asked.pk if asked else visitor.chat.line.community_id,
        opened_at=message.created_at,
        last_activity_at=message.created_at,
        is_rehearsal=message.is_rehearsal,
    )
    try:
        with transaction.atomic():
            conversation.save()
    except IntegrityError:  # another message of theirs opened it a moment ago: join it
        conversation = (
            Conversation.objects.select_for_update()
            .exclude(status=ConversationStatus.CLOSED)
            .get(
                line=visitor.chat.line,
                tourist_number=visitor.address,
                is_rehearsal=message.is_rehearsal,
            )
        )
        attach(message, conversation)
        if conversation.status == ConversationStatus.OPEN:
            relay_to_local(conversation, message.body)
        return conversation
    WebVisitor.objects.filter(pk=visitor.pk).update(conversation=conversation)
    conversation.tried.add(*tried[0])
    conversation.tried_advisors.add(*tried[1])
    if not asked_new:
        attach(message, conversation)
    if not assign(conversation):
        faq_reply(conversation, message.body, waiting=True)
    return conversation


def visitor_leave_email(*, visitor_pass: Pass, email: str) -> None:
    """Where the replies the visitor does not read in the panel go (validated by the view)."""
    visitor = visitor_of(visitor_pass)
    WebVisitor.objects.filter(pk=visitor.pk).update(email=email)


def visitor_polling(visitor_pass: Pass) -> WebVisitor:
    """The visitor and their conversation, the least a poll needs (one query, one join)."""
    visitor = (
        WebVisitor.objects.select_related("conversation")
        .only("pk", "address", "read_up_to", "conversation__status")
        .filter(public_id=visitor_pass.visitor, address=visitor_pass.address)
        .first()
    )
    if visitor is None:
        raise ChatError("expired", status=401)
    return visitor


def visitor_read(*, visitor: WebVisitor, up_to: int) -> None:
    """The panel fetched the messages up to this one: they are read, no e-mail for them."""
    if up_to <= visitor.read_up_to:
        return
    WebVisitor.objects.filter(pk=visitor.pk, read_up_to__lt=up_to).update(read_up_to=up_to)


# --- Replies the visitor did not read -----------------------------------------------------------


def unread_replies(visitor: WebVisitor, *, before: datetime) -> list[Message]:
    """Locals' replies to the visitor newer than what they read and what was e-mailed, older
    than ``before`` (the panel had time to fetch them)."""
    if visitor.conversation_id is None:
        return []
    return list(
        Message.objects.filter(
            conversation_id=visitor.conversation_id,
            direction=MessageDirection.OUTBOUND,
            author=MessageAuthor.LOCAL,
            to_number=visitor.address,
            pk__gt=max(visitor.read_up_to, visitor.mailed_up_to),
            created_at__lt=before,
        )
        .select_related("written_by", "written_by_advisor__user")
        .order_by("pk")
    )


def visitors_to_mail(*, now: datetime) -> list[int]:
    """Visitors with an address and replies they have not read for WEBCHAT_MAIL_AFTER_SECONDS;
    addresses left more than two days ago are erased on the way."""
    WebVisitor.objects.filter(created_at__lt=now - EMAIL_KEPT).exclude(email="").update(email="")
    before = now - timedelta(seconds=settings.WEBCHAT_MAIL_AFTER_SECONDS)
    return _due(before=before, now=now)


def _due(*, before: datetime, now: datetime) -> list[int]:
    due = []
    visitors = (
        WebVisitor.objects.exclude(email="")
        .filter(conversation__isnull=False, created_at__gte=now - EMAIL_KEPT)
        .annotate(
            newest=Max(
                "conversation__messages__pk",
                filter=Q(
                    conversation__messages__author=MessageAuthor.LOCAL,
                    conversation__messages__direction=MessageDirection.OUTBOUND,
                    conversation__messages__created_at__lt=before,
                ),
            )
        )
        .values_list("pk", "newest", "read_up_to", "mailed_up_to")
    )
    for pk, newest, read_up_to, mailed_up_to in visitors:
        if newest is not None and newest > max(read_up_to, mailed_up_to):
            due.append(pk)
    return due


def visitor_mail_unread(*, visitor_id: int, now: datetime | None = None) -> bool:
    """One e-mail with the replies the visitor did not read, once (a conditional update on
    ``mailed_up_to`` decides who sends it)."""
    now = now or timezone.now()
    visitor = WebVisitor.objects.select_related("chat").filter(pk=visitor_id).first()
    if visitor is None or not visitor.email:
        return False
    before = now - timedelta(seconds=settings.WEBCHAT_MAIL_AFTER_SECONDS)
    replies = unread_replies(visitor, before=before)
    if not replies:
        return False
    claimed = WebVisitor.objects.filter(pk=visitor.pk, mailed_up_to=visitor.mailed_up_to).update(
        mailed_up_to=replies[-1].pk
    )
    if not claimed:
        return False
    mail = copy.unread_replies_mail(
        visitor.language,
        chat=visitor.chat.name,
        replies=[(writer_name(reply), reply.body) for reply in replies],
    )
    send_mail(mail.subject, mail.body, None, [visitor.email])
    logger.info("Unread web-chat replies e-mailed to visitor %s", str(visitor.public_id)[:8])
    return True
