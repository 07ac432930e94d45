"""The SMS relay: a tourist texts a line, a local answers from their own phone, numbers stay hidden.

Every inbound SMS is stored once (its MessageSid is unique) and handled in the same transaction,
so a retried webhook relays nothing twice and a failure loses nothing (Twilio retries). Outgoing
texts are stored first and sent after commit by a task, each with a status callback; a failed
reply is reported to the local who wrote it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from ambassadors.models import Ambassador
from concierge.models import Membership

from .. import copy
from ..cached import active_line
from ..countries import country_of, guess_language
from ..models import (
    CloseReason,
    Conversation,
    ConversationChannel,
    ConversationStatus,
    Message,
    MessageAuthor,
    MessageDirection,
    MessageStatus,
    PhoneLine,
    address_on,
    channel_of,
    number_of,
)
from ..responders import Responder, from_advisor, from_ambassador
from .conversations import (
    Fresh,
    assign,
    attach,
    close,
    end,
    hand_over,
    held_by,
    relay_to_local,
    reply,
    tell_masking_once,
)
from .faq import faq_reply
from .keywords import (
    CODE,
    DONE,
    DONE_WORD,
    HELP,
    NEW,
    OPT_IN,
    OPT_OUT,
    community_for,
    keyword,
    motive_for,
)
from .masking import mask_contacts
from .outbox import opt_in, opt_out, opted_out, release_held, send
from .selectors import Sender, sender_of
from .survey import rating_reply

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Tried:
    """Who a tourist's previous conversation was offered to: NEW means someone else."""

    ambassadors: list[int] = field(default_factory=list)
    advisors: list[int] = field(default_factory=list)


def sms_receive(
    *,
    sid: str,
    from_: str,
    to: str,
    body: str,
    rehearsal: bool = False,
    channel: str = ConversationChannel.SMS,
    media: int = 0,
) -> Message | None:
    """Handle one inbound text (an SMS, or a WhatsApp message: ``channel``), exactly once.
    None when it is a duplicate or not for us. ``from_`` and ``to`` are plain numbers; the
    tourist's address on the channel is what we store and answer to. ``media``: how many
    attachments came (never relayed: only words are).

    A ``rehearsal`` (the SMS simulator's) is kept apart from real traffic: it only ever joins,
    opens or closes rehearsal conversations and records rehearsal opt-outs."""
    found = active_line(to)
    line = found.line if found else None
    if line is None or not from_:
        logger.warning("A text for an unknown line arrived (%s): ignored", to[-4:])
        return None
    if active_line(from_) is not None:  # answering would bounce texts between our lines
        logger.warning("A text from our own line %s arrived: ignored", from_[-4:])
        return None
    text = Inbound(sid, from_, to, body, rehearsal, channel, media)
    try:
        return _receive(line, text)
    except Raced:  # another text of theirs opened their conversation meanwhile: join it
        return _receive(line, text)  # (lost twice: the webhook asks them to send it again)


@dataclass(frozen=True)
class Inbound:
    """A text as Twilio posted it (see :func:`sms_receive`)."""

    sid: str
    from_: str
    to: str
    body: str
    rehearsal: bool
    channel: str
    media: int


class Raced(Exception):
    """Another text of the same tourist opened their conversation while this one was being
    handled: all this one did is rolled back, and it is handled again (it joins that one)."""


class Duplicate(Exception):
    """The MessageSid is stored already: a retried webhook, handled the first time."""


def _receive(line: PhoneLine, text: Inbound) -> Message | None:
    channel, from_ = text.channel, text.from_
    sender = sender_of(
        line=line,
        number=from_,
        address=address_on(channel, from_),
        rehearsal=text.rehearsal,
        at=timezone.now(),
    )
    if sender is None:
        logger.warning("A text for a line that is gone arrived (%s): ignored", text.to[-4:])
        return None
    local = _local(sender)
    body, hidden = text.body, False
    if local is None and line.masks_contacts:  # what a tourist types reaches a local
        masked = mask_contacts(body, region=country_of(from_))
        body, hidden = masked.text, masked.hidden
    try:
        # No savepoint: storing the text is the transaction's first write, and a failure
        # anywhere (a duplicate, a lost race) rolls all of it back.
        with transaction.atomic():
            message = _store(text, body, local)
            if local is not None:
                _from_local(local, line, message)
                return message
            # A photo, an empty text: nothing a local could read.
            wordless = text.media or not body
            conversation = (
                _media(line, message, sender) if wordless else _from_tourist(line, message, sender)
            )
            if hidden and conversation is not None:
                tell_masking_once(conversation, tourist=True)
    except Duplicate:
        return None
    return message


def _store(text: Inbound, body: str, local: Responder | None) -> Message:
    try:
        return Message.objects.create(
            sid=text.sid,
            direction=MessageDirection.INBOUND,
            author=MessageAuthor.LOCAL if local else MessageAuthor.TOURIST,
            from_number=address_on(text.channel, text.from_),
            to_number=address_on(text.channel, text.to),
            body=body,
            status=MessageStatus.RECEIVED,
            is_rehearsal=text.rehearsal,
        )
    except IntegrityError as error:
        raise Duplicate from error


def _media(line: PhoneLine, message: Message, sender: Sender) -> Conversation | None:
    """A photo, a voice note, a location (WhatsApp, MMS), an empty text…: nothing a local could
    read by text. The tourist is asked, in their language, to write words; a caption is relayed
    as any text."""
    number, rehearsal = message.from_number, message.is_rehearsal
    if sender.opted_out:
        return None
    release_held(line=line, to=number, rehearsal=rehearsal)  # they wrote: the window is open
    live = (
        Conversation.objects.filter(line=line, tourist_number=number, is_rehearsal=rehearsal)
        .exclude(status=ConversationStatus.CLOSED)
        .first()
    )
    language = live.language if live else _language_of(number)
    text = copy.tourist_text_only(language)
    send(live, line=line, to=number, body=text, author=MessageAuthor.SYSTEM, rehearsal=rehearsal)
    return _from_tourist(line, message, sender) if message.body else None


def _language_of(address: str) -> str:
    return guess_language(country_of(number_of(address)), list(copy.TOURIST_LANGUAGES))


def _local(sender: Sender) -> Responder | None:
    """The volunteer or advisor whose verified mobile sent the text; None for a tourist (or
    for a local deleted since the look: they are no longer one)."""
    if sender.ambassador_id is not None:
        ambassador = Ambassador.objects.filter(pk=sender.ambassador_id).first()
        return from_ambassador(ambassador) if ambassador is not None else None
    if sender.advisor_id is not None:
        advisor = Membership.objects.select_related("user").filter(pk=sender.advisor_id).first()
        return from_advisor(advisor) if advisor is not None else None
    return None


def _from_tourist(line: PhoneLine, message: Message, sender: Sender) -> Conversation | None:
    """Obey a keyword, or relay the text (opening a conversation if need be); the tourist's
    live conversation, if the text went to one."""
    number, word, rehearsal = message.from_number, keyword(message.body), message.is_rehearsal
    if word in OPT_OUT:
        _opt_out(line, number, message)
        return None
    if word in OPT_IN:
        opt_in(number, rehearsal=rehearsal)
        _to_tourist_now(line, number, "opted_in", rehearsal=rehearsal)
        if channel_of(number) == ConversationChannel.WHATSAPP:
            release_held(line=line, to=number, rehearsal=rehearsal)
        return None
    if sender.opted_out:
        return None  # nothing is sent to them until START, so nothing is started either
    if channel_of(number) == ConversationChannel.WHATSAPP:
        release_held(line=line, to=number, rehearsal=rehearsal)  # they wrote: window open
    if word in HELP:
        _to_tourist_now(line, number, "help", rehearsal=rehearsal)
        return None
    conversation = (
        Conversation.objects.select_for_update()
        .filter(line=line, tourist_number=number, is_rehearsal=rehearsal)
        .exclude(status=ConversationStatus.CLOSED)
        .first()
        if sender.in_conversation  # (one opened since is met when opening another: Raced)
        else None
    )
    surveyed = conversation is None and word != NEW and sender.surveyed
    if surveyed and rating_reply(line=line, message=message):
        return None  # an answer to the survey: recorded, never relayed
    if word == NEW:
        tried = Tried()
        if conversation is not None:  # whoever had it is not offered it again
            tried = Tried(
                ambassadors=list(conversation.tried.values_list("pk", flat=True)),
                advisors=list(conversation.tried_advisors.values_list("pk", flat=True)),
            )
            close(conversation, CloseReason.NEW)
        return open_conversation(line, number, message, tried=tried)
    if conversation is None:
        return open_conversation(line, number, message, tried=Tried())
    attach(message, conversation)
    if conversation.status == ConversationStatus.OPEN:
        relay_to_local(conversation, message.body)
    else:
        faq_reply(conversation, message.body)
    return conversation


def _to_tourist_now(line: PhoneLine, number: str, what: str, *, rehearsal: bool) -> None:
    """Answers outside a conversation (HELP, START), in the tourist's likely language."""
    language = _language_of(number)
    text = copy.tourist_help(language) if what == "help" else copy.tourist_welcome_back(language)
    send(None, line=line, to=number, body=text, author=MessageAuthor.SYSTEM, rehearsal=rehearsal)


def _opt_out(line: PhoneLine, number: str, message: Message) -> None:
    """STOP and its synonyms: never relayed; the tourist's conversations close, and nothing more
    goes to that number until START. Twilio confirms an SMS opt-out itself; on WhatsApp nobody
    would, so we do, before the opt-out silences the number."""
    if channel_of(number) == ConversationChannel.WHATSAPP and not opted_out(
        number, rehearsal=message.is_rehearsal
    ):
        text = copy.tourist_opted_out(_language_of(number))
        send(
            None,
            line=line,
            to=number,
            body=text,
            author=MessageAuthor.SYSTEM,
            rehearsal=message.is_rehearsal,
        )
    opt_out(number, rehearsal=message.is_rehearsal)
    live = (
        Conversation.objects.select_for_update()
        .filter(tourist_number=number, is_rehearsal=message.is_rehearsal)
        .exclude(status=ConversationStatus.CLOSED)
    )
    for conversation in live:
        if message.conversation_id is None:
            attach(message, conversation)
        close(conversation, CloseReason.OPTED_OUT)


def open_conversation(
    line: PhoneLine, number: str, message: Message, *, tried: Tried
) -> Conversation:
    """A new conversation for this tourist, given to a free local if there is one."""
    country = country_of(number_of(number))
    language = guess_language(country, list(copy.TOURIST_LANGUAGES))
    fresh = keyword(message.body) != NEW
    # A community named in the first text wins over the line's own.
    asked = community_for(message.body, language) if fresh else None
    conversation = Conversation(
        line=line,
        tourist_number=number,
        channel=channel_of(number),
        tourist_country=country,
        language=language,
        motive=motive_for(message.body) if fresh else None,
        community=asked or line.community,
        opened_at=message.created_at,
        last_activity_at=message.created_at,
        is_rehearsal=message.is_rehearsal,
    )
    try:
        conversation.save()
    except IntegrityError as error:  # the same tourist's other text opened one a moment ago
        raise Raced from error
    conversation.tried.add(*tried.ambassadors)
    conversation.tried_advisors.add(*tried.advisors)
    if fresh:
        attach(message, conversation, touch=False)  # it was last active at this text already
    offered = bool(tried.ambassadors or tried.advisors)
    if not assign(conversation, fresh=Fresh([message.body] if fresh else [], offered)):
        faq_reply(conversation, message.body, waiting=True)
    return conversation


def _from_local(local: Responder, line: PhoneLine, message: Message) -> None:
    word, rehearsal = keyword(message.body), message.is_rehearsal
    if word in OPT_OUT:
        # The carrier now blocks our texts to this phone: its conversations go to someone else
        # at once, and the local learns by e-mail what their word did and how to undo it.
        first_time = opt_out(message.from_number, rehearsal=rehearsal)
        for conversation in held_by(local, rehearsal=rehearsal):
            hand_over(conversation, now=timezone.now(), reason="left")
        if first_time and not rehearsal:
            _explain_opt_out(local, line, word)
        return
    if word in OPT_IN:
        opt_in(message.from_number, rehearsal=rehearsal)
        return
    open_ones = held_by(local, rehearsal=rehearsal)
    match = CODE.match(message.body)
    if match:
        code, text = match.group(1).upper(), match.group(2).strip()
        found = next((c for c in open_ones if c.code == code), None)
        if found is None:
            _help_local(local, line, open_ones, unknown=code, rehearsal=rehearsal)
            return
        conversation = found
    elif len(open_ones) == 1:
        conversation, text = open_ones[0], message.body.strip()
    else:
        _help_local(local, line, open_ones, rehearsal=rehearsal)
        return
    attach(message, conversation)
    if keyword(text) in DONE:
        end(conversation)
    elif text:
        reply(conversation, text)


def _explain_opt_out(local: Responder, line: PhoneLine, word: str) -> None:
    """A local texted a carrier keyword (often END, meaning "done"): tell them, once, by e-mail
    (texts can no longer reach them) what it did and how to come back."""
    email = local.email
    if not email:
        return
    mail = copy.local_opted_out_mail(
        local.language, word=word, line=line.number.as_e164, example=f"#K7 {DONE_WORD}"
    )
    transaction.on_commit(
        lambda: send_mail(mail.subject, mail.body, None, [email], fail_silently=True)
    )


def _help_local(
    local: Responder,
    line: PhoneLine,
    open_ones: list[Conversation],
    *,
    unknown: str = "",
    rehearsal: bool,
) -> None:
    language = local.language
    text = copy.local_help(
        language,
        open_tags=[
            copy.tag(c.code, c.tourist_country, language, channel=c.channel) for c in open_ones
        ],
        first_code=open_ones[0].code if open_ones else "",
        unknown=unknown,
    )
    send(
        None, line=line, to=local.phone, body=text, author=MessageAuthor.SYSTEM, rehearsal=rehearsal
    )
