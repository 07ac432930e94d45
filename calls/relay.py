"""The SMS relay: a tourist texts a line, a local answers from their own phone, numbers stay hidden.

Every inbound SMS is stored once (its MessageSid is unique) and handled in the same transaction,
so a retried webhook relays nothing twice and a failure loses nothing (Twilio retries). Outgoing
texts are stored first and sent after commit by a task, each with a status callback; a failed
reply is reported to the local who wrote it.
"""

from __future__ import annotations

import logging
import random
import re
import unicodedata
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ambassadors.models import Ambassador
from ambassadors.points import points_award_sms_conversation
from concierge.models import CallMotive, Membership, Role
from concierge.rotas import advisors_on_duty

from .countries import country_name, country_of, guess_language
from .messaging import MAX_BODY, resend_stuck, send, send_to_local
from .models import (
    CloseReason,
    Conversation,
    ConversationStatus,
    FaqEntry,
    Message,
    MessageAuthor,
    MessageDirection,
    MessageStatus,
    OptOut,
    PhoneLine,
)
from .selectors import any_shift_running, sms_candidates
from .services import QUEUE_HEAD, ambassador_claim

logger = logging.getLogger(__name__)

# The keywords carriers and Twilio treat as opt-out and opt-in, whole message, any case.
OPT_OUT = {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"}
OPT_IN = {"START", "UNSTOP", "YES"}
HELP = {"HELP", "INFO"}
NEW = "NEW"
END = "END"

# Conversation codes: a letter and a digit, without look-alikes (I/1, O/0, L, B/8, S/5…).
CODE_LETTERS = "ACDEFGHJKMNPQRTUVWXYZ"
CODE_DIGITS = "2346789"
# "#K7 text": what follows "#" is taken as a code, so a mistyped one gets a helpful answer.
CODE = re.compile(r"^\s*#\s*([A-Za-z0-9]{1,6})\b[\s:,.-]*(.*)$", re.DOTALL)

# Words in a first message that tell what it is about (otherwise: "just chat").
MOTIVE_WORDS = {
    "plan-a-trip": "trip itinerary visit plan planning route days week weekend voyage reise "
    "viaggio viaje itineraire",
    "food-and-wine": "food eat restaurant restaurants dinner lunch wine cheese bistro cafe "
    "manger vin essen wein comida vino cibo",
    "culture": "museum museums art history castle chateau church festival concert culture "
    "musee kunst museo",
    "unusual-places": "unusual hidden secret offbeat insolite secrets geheim",
    "practical-help": "help lost pharmacy doctor hospital train bus taxi metro ticket tickets "
    "station airport police bank money passport aide urgence hilfe ayuda aiuto",
}


class RelayError(Exception):
    """A local's reply (web page or API) cannot be sent; the message says why."""


def words(text: str) -> set[str]:
    """Lower-case words without accents: "Musée" and "musee" are the same keyword."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).casefold()
    return set(re.findall(r"[a-z0-9]+", plain))


def keyword(body: str) -> str:
    """The message as a keyword: the whole text, trimmed and upper-cased, like carriers do."""
    return re.sub(r"[\s.!]+$", "", body.strip()).upper()


def motive_for(body: str) -> CallMotive | None:
    found = words(body)
    for code, vocabulary in MOTIVE_WORDS.items():
        if found & set(vocabulary.split()):
            return CallMotive.objects.filter(code=code, is_active=True).first()
    return CallMotive.objects.filter(code="just-chat", is_active=True).first()


# --- Inbound -----------------------------------------------------------------------------------


def sms_receive(*, sid: str, from_: str, to: str, body: str) -> Message | None:
    """Handle one inbound SMS, exactly once. None when it is a duplicate or not for us."""
    line = PhoneLine.objects.filter(number=to, is_active=True).first()
    if line is None or not from_:
        logger.warning("An SMS for an unknown line arrived (%s): ignored", to[-4:])
        return None
    local: Ambassador | Membership | None = Ambassador.objects.filter(
        phone_number=from_, phone_verified_at__isnull=False
    ).first() or (
        Membership.objects.filter(
            phone_number=from_, phone_verified_at__isnull=False, role=Role.ADVISOR
        )
        .select_related("user")
        .first()
    )
    with transaction.atomic():
        try:
            with transaction.atomic():
                message = Message.objects.create(
                    sid=sid,
                    direction=MessageDirection.INBOUND,
                    author=MessageAuthor.LOCAL if local else MessageAuthor.TOURIST,
                    from_number=from_,
                    to_number=to,
                    body=body[:MAX_BODY],
                    status=MessageStatus.RECEIVED,
                )
        except IntegrityError:  # a retried webhook: handled the first time
            return None
        if local is not None:
            _from_local(local, line, message)
        else:
            _from_tourist(line, message)
    return message


def _from_tourist(line: PhoneLine, message: Message) -> None:
    number, word = message.from_number, keyword(message.body)
    if word in OPT_OUT:
        _opt_out(number, message)
        return
    if word in OPT_IN:
        OptOut.objects.filter(number=number).delete()
        _to_tourist_now(line, number, "opted_in")
        return
    if OptOut.objects.filter(number=number).exists():
        return  # nothing is sent to them until START, so nothing is started either
    if word in HELP:
        _to_tourist_now(line, number, "help")
        return
    conversation = (
        Conversation.objects.select_for_update()
        .filter(line=line, tourist_number=number)
        .exclude(status=ConversationStatus.CLOSED)
        .first()
    )
    if word == NEW:
        tried: list[int] = []
        if conversation is not None:
            tried = list(conversation.tried.values_list("pk", flat=True))
            _close(conversation, CloseReason.NEW)
        conversation = _open(line, number, message, tried=tried)
        return
    if conversation is None:
        conversation = _open(line, number, message, tried=[])
        return
    _attach(message, conversation)
    if conversation.status == ConversationStatus.OPEN:
        _relay_to_local(conversation, message.body)
    else:
        _faq(conversation, message.body)


def _to_tourist_now(line: PhoneLine, number: str, what: str) -> None:
    """Answers outside a conversation (HELP, START), in the tourist's likely language."""
    language = guess_language(country_of(number), ["en", "fr", "de", "es", "it"])
    with translation.override(language):
        if what == "help":
            text = _(
                "Destination Concierge: text us your question and a local volunteer answers. "
                "NEW: talk to another local. STOP: no more messages. Emergencies: call 112."
            )
        else:
            text = _("Destination Concierge: welcome back! Text us anytime.")
    send(None, line=line, to=number, body=text, author=MessageAuthor.SYSTEM)


def _opt_out(number: str, message: Message) -> None:
    """STOP and its synonyms: never relayed; the tourist's conversations close, and nothing more
    goes to that number until START (Twilio confirms the opt-out itself)."""
    OptOut.objects.get_or_create(number=number)
    live = (
        Conversation.objects.select_for_update()
        .filter(tourist_number=number)
        .exclude(status=ConversationStatus.CLOSED)
    )
    for conversation in live:
        if message.conversation_id is None:
            _attach(message, conversation)
        _close(conversation, CloseReason.OPTED_OUT)


def _attach(message: Message, conversation: Conversation) -> None:
    message.conversation = conversation
    message.save(update_fields=["conversation"])
    Conversation.objects.filter(pk=conversation.pk).update(last_activity_at=message.created_at)


def _open(line: PhoneLine, number: str, message: Message, *, tried: list[int]) -> Conversation:
    """A new conversation for this tourist, given to a free local if there is one."""
    country = country_of(number)
    conversation = Conversation(
        line=line,
        tourist_number=number,
        tourist_country=country,
        language=guess_language(country, ["en", "fr", "de", "es", "it", "pt", "nl", "ja", "zh"]),
        motive=motive_for(message.body) if keyword(message.body) != NEW else None,
        opened_at=message.created_at,
        last_activity_at=message.created_at,
    )
    try:
        with transaction.atomic():
            conversation.save()
    except IntegrityError:
        # The same tourist's other message opened one a moment ago: join it.
        conversation = (
            Conversation.objects.select_for_update()
            .exclude(status=ConversationStatus.CLOSED)
            .get(line=line, tourist_number=number)
        )
        _attach(message, conversation)
        if conversation.status == ConversationStatus.OPEN:
            _relay_to_local(conversation, message.body)
        return conversation
    if tried:
        conversation.tried.add(*tried)
    if keyword(message.body) != NEW:
        _attach(message, conversation)
    if not _assign(conversation):
        _faq(conversation, message.body, waiting=True)
    return conversation


def _assign(
    conversation: Conversation, *, now: datetime | None = None
) -> Ambassador | Membership | None:
    """Give a waiting conversation to the advisor on duty or a free volunteer, relay what the
    tourist wrote so far and tell the tourist who will answer."""
    now = now or timezone.now()
    local = _claim_advisor(conversation, now) or _claim_local(conversation, now)
    if local is None:
        return None
    who = {"advisor": local} if isinstance(local, Membership) else {"responder": local}
    open_now = local.conversations.filter(status=ConversationStatus.OPEN)
    taken = set(open_now.values_list("code", flat=True))
    free = [a + d for a in CODE_LETTERS for d in CODE_DIGITS if a + d not in taken]
    Conversation.objects.filter(pk=conversation.pk).update(
        **who,
        code=random.choice(free),  # noqa: S311 - a label, not a secret
        status=ConversationStatus.OPEN,
        assigned_at=now,
    )
    conversation.refresh_from_db()
    if isinstance(local, Membership):
        conversation.tried_advisors.add(local)
    else:
        conversation.tried.add(local)
    waiting = conversation.messages.filter(author=MessageAuthor.TOURIST).order_by("-created_at")
    texts = [m.body for m in reversed(waiting[:3])]
    if texts:
        _relay_to_local(conversation, " / ".join(texts), first=True)
    else:  # the tourist texted NEW: nothing to relay yet
        send_to_local(
            conversation,
            f"[{conversation.tag}] A tourist would like to chat. Say hello!",
        )
    name = conversation.local_name or _("a local")
    with translation.override(conversation.language):
        if conversation.advisor_id:
            text = _(
                "Destination Concierge: you are in touch with %(name)s, of the tourist office "
                "on duty. Reply here to chat. NEW: someone else. STOP: no more messages."
            ) % {"name": name}
        else:
            text = _(
                "Destination Concierge: you are in touch with %(name)s, a local volunteer. "
                "Reply here to chat. NEW: another local. STOP: no more messages."
            ) % {"name": name}
    send(conversation, to=conversation.tourist_number, body=text, author=MessageAuthor.SYSTEM)
    return local


def _claim_advisor(conversation: Conversation, now: datetime) -> Membership | None:
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
            return advisor
    return None


def _claim_local(conversation: Conversation, now: datetime) -> Ambassador | None:
    """The routing policy of calls: the volunteers' queue, least recently offered first with a
    random pick among the first few, preferences relaxed (topic, then English)."""
    wishes = [
        (conversation.language, conversation.motive),
        (conversation.language, None),
        ("en", None),
    ]
    for language, motive in dict.fromkeys(wishes):
        candidates = sms_candidates(
            conversation=conversation, at=now, language=language, motive=motive
        ).only("pk", "display_name", "phone_number", "last_offered_at")
        for _round in range(10):
            head = list(candidates[:QUEUE_HEAD])
            if not head:
                break
            random.shuffle(head)
            for candidate in head:
                if ambassador_claim(candidate, now):
                    return candidate
    return None


def _from_local(local: Ambassador | Membership, line: PhoneLine, message: Message) -> None:
    word = keyword(message.body)
    if word in OPT_OUT:
        # A local who opts out of our number can no longer receive relays: their conversations
        # go to someone else.
        OptOut.objects.get_or_create(number=message.from_number)
        open_now = local.conversations.select_for_update().filter(status=ConversationStatus.OPEN)
        for conversation in open_now:
            _unassign(conversation)
        return
    if word in OPT_IN:
        OptOut.objects.filter(number=message.from_number).delete()
        return
    open_ones = list(local.conversations.select_for_update().filter(status=ConversationStatus.OPEN))
    match = CODE.match(message.body)
    if match:
        code, text = match.group(1).upper(), match.group(2).strip()
        conversation = next((c for c in open_ones if c.code == code), None)
        if conversation is None:
            _help_local(local, line, open_ones, unknown=code)
            return
    elif len(open_ones) == 1:
        conversation, text = open_ones[0], message.body.strip()
    else:
        _help_local(local, line, open_ones)
        return
    _attach(message, conversation)
    if text.upper() == END:
        _end(conversation)
    elif text:
        _reply(conversation, text)


def _help_local(
    local: Ambassador | Membership,
    line: PhoneLine,
    open_ones: list[Conversation],
    *,
    unknown: str = "",
) -> None:
    if not open_ones:
        text = "Destination Concierge: you have no open conversation at the moment."
    else:
        listed = ", ".join(c.tag for c in open_ones)
        text = (
            f"Destination Concierge: start your reply with the code, e.g. "
            f"'#{open_ones[0].code} Hello'. Open: {listed}. '#{open_ones[0].code} END' closes it."
        )
        if unknown:
            text = (
                f"Destination Concierge: #{unknown} is not one of your open conversations. "
                + (text.split(": ", 1)[1])
            )
    send(None, line=line, to=local.phone_number.as_e164, body=text, author=MessageAuthor.SYSTEM)


# --- Conversation changes ----------------------------------------------------------------------


def _reply(conversation: Conversation, text: str) -> Message | None:
    """A local's words to the tourist (from their phone, the web page or the API)."""
    now = timezone.now()
    sent = send(
        conversation,
        to=conversation.tourist_number,
        body=text[:MAX_BODY],
        author=MessageAuthor.LOCAL,
    )
    if sent is None:
        send_to_local(
            conversation,
            f"[#{conversation.code}] The tourist has opted out: your message was not sent.",
        )
        return None
    first = Conversation.objects.filter(pk=conversation.pk, first_reply_at__isnull=True).update(
        first_reply_at=now, first_response_time=now - F("opened_at")
    )
    if first and conversation.responder_id:
        points_award_sms_conversation(
            ambassador_id=conversation.responder_id,
            conversation_ref=str(conversation.public_id),
            first_message_at=conversation.opened_at,
            first_reply_at=now,
        )
    Conversation.objects.filter(pk=conversation.pk).update(last_activity_at=now)
    return sent


def conversation_reply(*, conversation: Conversation, ambassador: Ambassador, text: str) -> Message:
    """A reply written on the web page or through the API."""
    text = text.strip()
    if not text:
        raise RelayError(_("Write a message first."))
    if len(text) > MAX_BODY:
        raise RelayError(_("A message can be %(max)d characters at most.") % {"max": MAX_BODY})
    with transaction.atomic():
        conversation = (
            Conversation.objects.select_for_update()
            .filter(pk=conversation.pk, responder=ambassador)
            .first()
        )
        if conversation is None or conversation.status != ConversationStatus.OPEN:
            raise RelayError(_("This conversation is closed."))
        sent = _reply(conversation, text)
        if sent is None:
            raise RelayError(_("The tourist has opted out: nothing more can be sent to them."))
    return sent


def conversation_end(*, conversation: Conversation, ambassador: Ambassador) -> bool:
    """The local closes the conversation ("#K7 END", the web page or the API)."""
    if conversation.responder_id != ambassador.pk:
        raise RelayError(_("This conversation is not yours."))
    return _end(conversation)


def _end(conversation: Conversation) -> bool:
    with transaction.atomic():
        if not _close(conversation, CloseReason.ENDED):
            return False  # already closed: nobody is told twice
        name = conversation.local_name or _("a local")
        with translation.override(conversation.language):
            text = _(
                "Destination Concierge: %(name)s has closed this conversation. Text us again "
                "anytime."
            ) % {"name": name}
        send(conversation, to=conversation.tourist_number, body=text, author=MessageAuthor.SYSTEM)
        send_to_local(conversation, f"[#{conversation.code}] Closed. Thank you!")
    return True


def _close(conversation: Conversation, reason: CloseReason) -> bool:
    now = timezone.now()
    closed = (
        Conversation.objects.filter(pk=conversation.pk)
        .exclude(status=ConversationStatus.CLOSED)
        .update(status=ConversationStatus.CLOSED, close_reason=reason, closed_at=now)
    )
    if not closed:
        return False
    was_open = conversation.status == ConversationStatus.OPEN
    conversation.status, conversation.close_reason, conversation.closed_at = (
        ConversationStatus.CLOSED,
        reason,
        now,
    )
    if was_open and reason in (CloseReason.NEW, CloseReason.OPTED_OUT):
        send_to_local(
            conversation,
            f"[#{conversation.code}] The tourist "
            + ("asked for another local" if reason == CloseReason.NEW else "ended the conversation")
            + ". Thank you!",
        )
    return True


def _unassign(conversation: Conversation) -> None:
    """Back to waiting, for the next free local (the sweep hands it over)."""
    Conversation.objects.filter(pk=conversation.pk, status=ConversationStatus.OPEN).update(
        status=ConversationStatus.WAITING,
        responder=None,
        advisor=None,
        code="",
        assigned_at=None,
    )


# --- Outbound ---------------------------------------------------------------------------------


def _relay_to_local(conversation: Conversation, text: str, *, first: bool = False) -> None:
    tag = conversation.tag if first else f"#{conversation.code}"
    send_to_local(conversation, f"[{tag}] {text}")


# --- The FAQ -----------------------------------------------------------------------------------


def faq_answers(*, language: str, text: str, limit: int = 2) -> list[FaqEntry]:
    """Entries whose keywords appear in the text, in the tourist's language, else in English."""
    found = words(text)
    for lang in dict.fromkeys([language, "en"]):
        entries = FaqEntry.objects.filter(language=lang, is_active=True)
        matching = [e for e in entries if found & words(",".join(e.keyword_list))]
        if matching:
            return matching[:limit]
    return []


def _faq(conversation: Conversation, text: str, *, waiting: bool = False) -> None:
    """Instant answers while no local is free; the first time, say that one is on the way."""
    answers = faq_answers(language=conversation.language, text=text)
    with translation.override(conversation.language):
        parts = [f"{entry.topic}: {entry.answer}" for entry in answers]
        if not answers and conversation.faq_sent_at is None:
            topics = FaqEntry.objects.filter(
                language__in=[conversation.language, "en"], is_active=True
            )
            hints = list(dict.fromkeys(e.keyword_list[0].upper() for e in topics if e.keyword_list))
            if hints:
                parts.append(
                    _("For a quick answer, text a word like %(words)s.")
                    % {"words": ", ".join(hints[:4])}
                )
        if waiting or conversation.faq_sent_at is None:
            parts.append(
                _(
                    "All our locals are busy: we will put you in touch with one as soon as "
                    "one is free."
                )
            )
    if not parts:
        return
    body = "Destination Concierge: " + " ".join(parts)
    send(conversation, to=conversation.tourist_number, body=body, author=MessageAuthor.SYSTEM)
    Conversation.objects.filter(pk=conversation.pk, faq_sent_at__isnull=True).update(
        faq_sent_at=timezone.now()
    )
    conversation.faq_sent_at = conversation.faq_sent_at or timezone.now()


# --- Periodic work -----------------------------------------------------------------------------


def conversations_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Run every minute: hand waiting conversations to free locals, pass unanswered ones on,
    close quiet ones, and send what a broker outage left unsent."""
    now = now or timezone.now()
    done = {"unanswered": 0, "assigned": 0, "closed": 0, "resent": 0}
    late = now - timedelta(minutes=settings.SMS_ANSWER_MINUTES)
    for conversation in Conversation.objects.filter(
        status=ConversationStatus.OPEN, first_reply_at__isnull=True, assigned_at__lt=late
    ).select_related("line", "responder", "advisor__user"):
        with transaction.atomic():
            if _pass_on(conversation):
                done["unanswered"] += 1
    idle = now - timedelta(hours=settings.SMS_IDLE_HOURS)
    for conversation in (
        Conversation.objects.filter(last_activity_at__lt=idle)
        .exclude(status=ConversationStatus.CLOSED)
        .select_related("line")
    ):
        with transaction.atomic():
            waiting = conversation.status == ConversationStatus.WAITING
            if _close(conversation, CloseReason.IDLE):
                done["closed"] += 1
                if waiting:
                    _sorry(conversation)
    for conversation in (
        Conversation.objects.filter(status=ConversationStatus.WAITING)
        .order_by("opened_at")
        .select_related("line", "motive")[:100]
    ):
        with transaction.atomic():
            locked = Conversation.objects.select_for_update(skip_locked=True).filter(
                pk=conversation.pk, status=ConversationStatus.WAITING
            )
            if locked.exists() and _assign(conversation, now=now):
                done["assigned"] += 1
    done["resent"] = resend_stuck(now)
    return done


def _pass_on(conversation: Conversation) -> bool:
    """Nobody answered in time: the tourist gets the FAQ, the local is released, and the
    conversation waits for the next free local."""
    released = (
        Conversation.objects.filter(pk=conversation.pk, status=ConversationStatus.OPEN)
        .filter(first_reply_at__isnull=True)
        .update(
            status=ConversationStatus.WAITING,
            responder=None,
            advisor=None,
            code="",
            assigned_at=None,
        )
    )
    if not released:
        return False
    send_to_local(
        conversation, f"[#{conversation.code}] No reply yet, so another local will take it."
    )
    conversation.status = ConversationStatus.WAITING
    last = (
        conversation.messages.filter(author=MessageAuthor.TOURIST).order_by("-created_at").first()
    )
    _faq(conversation, last.body if last else "", waiting=True)
    return True


def _sorry(conversation: Conversation) -> None:
    with translation.override(conversation.language):
        text = _(
            "Destination Concierge: sorry, no local could answer in time. Text us again "
            "whenever you like."
        )
    send(conversation, to=conversation.tourist_number, body=text, author=MessageAuthor.SYSTEM)


def tourist_label(conversation: Conversation) -> str:
    """What a local may know of the tourist: a country and the code."""
    return f"{country_name(conversation.tourist_country)} · #{conversation.code}"
