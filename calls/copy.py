"""Every text message the calls app sends, in one place: to tourists (in the language guessed
for them) and to locals (in theirs, see :mod:`calls.responders`). Voice prompts have their own
catalogue in :mod:`calls.voice.prompts`.

Shared by ``calls.voice`` (callback offers, replay links, the missed-calls pause) and
``calls.sms`` (the relay). Each function returns finished text; none sends anything.
"""

from __future__ import annotations

from collections.abc import Sequence

import phonenumbers
from django.utils import translation
from django.utils.translation import gettext as _

from concierge.lib.languages import catalogue_language
from concierge.lib.mail import Mail
from concierge.lib.names import Named, community_name

from .countries import country_name

BRAND = "Destination Concierge"

# The languages tourists are spoken to and texted in (a catalogue in locale/ for each but English,
# checked by tests/calls/test_languages.py); any other tourist gets English.
TOURIST_LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "nl", "zh", "ja")


def _branded(text: str) -> str:
    """Every service text says who sends it (in the active language's typography)."""
    return _("%(brand)s: %(text)s") % {"brand": BRAND, "text": text}


def human_number(number: str) -> str:
    """+33199000000 as a person would write it: +33 1 99 00 00 00."""
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return number
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


# --- To tourists -------------------------------------------------------------------------------


def tourist_help(language: str) -> str:
    with translation.override(catalogue_language(language)):
        return _branded(
            _(
                "text us your question and a local volunteer answers. NEW: talk to another "
                "local. STOP: no more messages. Emergencies: call 112."
            ),
        )


def tourist_welcome_back(language: str) -> str:
    with translation.override(catalogue_language(language)):
        return _branded(_("welcome back! Text us anytime."))


def tourist_in_touch(language: str, *, name: str, advisor: bool, handover: bool = False) -> str:
    """Who answers now; after a hand-over (no answer, NEW, a local leaving), that it changed."""
    with translation.override(catalogue_language(language)):
        name = name or _("a local")
        if handover and advisor:
            text = _(
                "you are now in touch with %(name)s, of the tourist office on duty. Reply here "
                "to chat. NEW: someone else. STOP: no more messages."
            )
        elif handover:
            text = _(
                "you are now in touch with %(name)s, another local volunteer. Reply here to "
                "chat. NEW: another local. STOP: no more messages."
            )
        elif advisor:
            text = _(
                "you are in touch with %(name)s, of the tourist office on duty. Reply here to "
                "chat. NEW: someone else. STOP: no more messages."
            )
        else:
            text = _(
                "you are in touch with %(name)s, a local volunteer. Reply here to chat. NEW: "
                "another local. STOP: no more messages."
            )
        return _branded(text % {"name": name})


def tourist_closed(language: str, *, name: str) -> str:
    with translation.override(catalogue_language(language)):
        name = name or _("a local")
        text = _("%(name)s has closed this conversation. Text us again anytime.")
        return _branded(text % {"name": name})


def tourist_waiting(
    language: str,
    *,
    answers: Sequence[tuple[str, str]],
    hints: Sequence[str],
    busy: bool,
    handed_over: str = "",
) -> str:
    """Instant answers from the FAQ (topic, answer), a hint of words to try, and whether to say
    that every local is busy. Empty when there is nothing to say."""
    with translation.override(catalogue_language(language)):
        parts = [f"{topic}: {answer}" for topic, answer in answers]
        if hints:
            parts.append(
                _("For a quick answer, text a word like %(words)s.") % {"words": ", ".join(hints)}
            )
        if handed_over == "unanswered":
            parts.append(
                _(
                    "Your local could not answer in time: we will put you in touch with another "
                    "one as soon as one is free."
                )
            )
        elif handed_over == "left":
            parts.append(
                _(
                    "Your local is no longer available: we will put you in touch with another "
                    "one as soon as one is free."
                )
            )
        elif busy:
            parts.append(
                _(
                    "All our locals are busy: we will put you in touch with one as soon as one "
                    "is free."
                )
            )
        return _branded(" ".join(parts)) if parts else ""


def sorry_try_again(language: str) -> str:
    """Handling a text failed on our side (nothing was kept): ask for it again."""
    with translation.override(catalogue_language(language)):
        return _branded(
            _("sorry, we could not read your message just now. Please send it again in a minute.")
        )


def tourist_contacts_hidden(language: str) -> str:
    with translation.override(catalogue_language(language)):
        return _branded(
            _(
                "for your privacy, phone numbers and e-mail addresses in your texts are hidden "
                "from the local. Keep chatting here."
            )
        )


def tourist_text_only(language: str) -> str:
    """A photo, voice note or location (WhatsApp, MMS), an empty text: locals read words only."""
    with translation.override(catalogue_language(language)):
        return _branded(
            _(
                "sorry, we can only pass on written messages: photos, voice notes, videos and "
                "locations do not reach the local. Please write your question in words."
            )
        )


def tourist_opted_out(language: str) -> str:
    """On WhatsApp nobody else confirms a STOP: we do, once."""
    with translation.override(catalogue_language(language)):
        return _branded(_("you will receive no more messages from us. Write START to resume."))


def tourist_whatsapp_local_answered(language: str, *, name: str) -> str:
    """What the approved WhatsApp template says ({{1}}: the local's first name, see
    :func:`someone`), sent when a local answers after the 24-hour window closed
    (docs/sms.md#whatsapp)."""
    with translation.override(catalogue_language(language)):
        name = name or someone(language)
        text = _("%(name)s has answered you. Reply to this message to read the answer.")
        return _branded(text % {"name": name})


def someone(language: str) -> str:
    """How a tourist hears of a local whose name we do not know."""
    with translation.override(catalogue_language(language)):
        return _("a local")


def tourist_sorry(language: str) -> str:
    with translation.override(catalogue_language(language)):
        return _branded(_("sorry, no local could answer in time. Text us again whenever you like."))


def caller_callback_served(language: str, *, line: str) -> str:
    with translation.override(catalogue_language(language)):
        text = _("a local is free now! Call us back on %(number)s.")
        return _branded(text % {"number": human_number(line)})


def caller_callback_expired(language: str, *, line: str) -> str:
    with translation.override(catalogue_language(language)):
        text = _(
            "sorry, our locals are still busy. Please try calling %(number)s again a little later."
        )
        return _branded(text % {"number": human_number(line)})


def caller_replay_link(language: str, *, link: str, days: int) -> str:
    with translation.override(catalogue_language(language)):
        text = _(
            "thank you for calling! Listen to your conversation again for %(days)d days: %(link)s"
        )
        return _branded(text % {"days": days, "link": link})


def tourist_rating_ask(language: str, *, name: str) -> str:
    """After a call or a text conversation (calls.sms.survey): once, about the local by name."""
    with translation.override(catalogue_language(language)):
        text = _(
            "how was your chat with %(name)s? Reply with a number from 1 (poor) to 5 (very "
            "good), and a few words if you like."
        )
        return _branded(text % {"name": name or _("a local")})


def tourist_rating_thanks(language: str, *, commented: bool) -> str:
    with translation.override(catalogue_language(language)):
        if commented:
            return _branded(_("thank you for your answer and your words!"))
        return _branded(
            _("thank you! If you like, reply within the hour with a few words about your chat.")
        )


def tourist_rating_comment_thanks(language: str) -> str:
    with translation.override(catalogue_language(language)):
        return _branded(_("thank you, your words are noted."))


def tourist_rating_already(language: str) -> str:
    """A second answer to the same survey: noted once, and the tourist is told so, kindly."""
    with translation.override(catalogue_language(language)):
        return _branded(
            _("thank you, we already have your answer. Text us anytime to talk with a local.")
        )


# --- To locals (volunteers and advisors on duty) ------------------------------------------------


def origin(channel: str, country: str) -> str:
    """Where a tourist writes from, in the active language, as a local sees it: their country,
    "Germany (WhatsApp)" on WhatsApp; "web chat" for a visitor of the web chat (no number, so no
    country to tell)."""
    if channel == "web":
        return str(_("web chat"))
    name = country_name(country)
    return f"{name} (WhatsApp)" if channel == "whatsapp" else name


def tag(
    code: str, country: str, language: str, community: Named | None = None, *, channel: str = ""
) -> str:
    """How a local sees a tourist: the conversation's code and where they write from, never a
    number; and the community they asked for, if any ("#K7 Germany, Families with children",
    "#K8 web chat", "#K9 Spain (WhatsApp)")."""
    with translation.override(catalogue_language(language)):
        label = f"#{code} {origin(channel, country)}"
        return f"{label}, {community_name(community)}" if community else label


def local_relay(label: str, text: str) -> str:
    """A tourist's words, relayed: "[#K7] …", or "[#K7 Germany] …" the first time."""
    return f"[{label}] {text}"


def local_new_chat(language: str, *, label: str) -> str:
    with translation.override(catalogue_language(language)):
        return local_relay(label, _("A tourist would like to chat. Say hello!"))


def local_closed(language: str, *, code: str) -> str:
    with translation.override(catalogue_language(language)):
        return local_relay(f"#{code}", _("Closed. Thank you!"))


def local_tourist_left(language: str, *, code: str, asked_for_another: bool) -> str:
    with translation.override(catalogue_language(language)):
        if asked_for_another:
            text = _("The tourist asked for another local. Thank you!")
        else:
            text = _("The tourist ended the conversation. Thank you!")
        return local_relay(f"#{code}", text)


def local_contacts_hidden(language: str, *, code: str) -> str:
    with translation.override(catalogue_language(language)):
        return local_relay(
            f"#{code}",
            _(
                "Phone numbers and e-mail addresses in your texts are hidden from the tourist, "
                "for your privacy and theirs."
            ),
        )


def local_shift_over(language: str, *, code: str) -> str:
    with translation.override(catalogue_language(language)):
        return local_relay(
            f"#{code}", _("Your shift is over: another local takes this conversation. Thank you!")
        )


def local_passed_on(language: str, *, code: str) -> str:
    with translation.override(catalogue_language(language)):
        return local_relay(f"#{code}", _("No reply yet, so another local will take it."))


def local_reply_failed(language: str, *, code: str, excerpt: str) -> str:
    with translation.override(catalogue_language(language)):
        text = _('Your reply could not be delivered: "%(excerpt)s"') % {"excerpt": excerpt}
        return local_relay(f"#{code}", text)


def local_tourist_opted_out(language: str, *, code: str) -> str:
    with translation.override(catalogue_language(language)):
        return local_relay(f"#{code}", _("The tourist has opted out: your message was not sent."))


def local_whatsapp_held(language: str, *, code: str) -> str:
    with translation.override(catalogue_language(language)):
        text = _(
            "The tourist has not written on WhatsApp for 24 hours, so WhatsApp lets us send "
            "only a notice: they were told you answered, and your reply reaches them as soon "
            "as they write again."
        )
        return local_relay(f"#{code}", text)


def local_help(language: str, *, open_tags: Sequence[str], first_code: str, unknown: str) -> str:
    """A local wrote without a usable code: how to reply, and which conversations are open."""
    with translation.override(catalogue_language(language)):
        if not open_tags:
            return _branded(_("you have no open conversation at the moment."))
        text = _(
            "start your reply with the code, e.g. '#%(code)s Hello'. Open: %(open)s. "
            "'#%(code)s DONE' closes it."
        ) % {"code": first_code, "open": ", ".join(open_tags)}
        if unknown:
            text = (
                _("#%(unknown)s is not one of your open conversations.") % {"unknown": unknown}
                + " "
                + text[:1].upper()
                + text[1:]
            )
        return _branded(text)


def local_opted_out_mail(language: str, *, word: str, line: str, example: str) -> Mail:
    """A local's bare STOP, END… unsubscribed their phone from the line (phone networks obey
    those words): what happened, what we did, how to come back."""
    with translation.override(catalogue_language(language)):
        values = {"word": word, "line": human_number(line), "example": example}
        subject = _("Your phone no longer receives texts from the line")
        body = (
            _(
                'You texted %(word)s to %(line)s. Phone networks take %(word)s as "unsubscribe": '
                "the line can no longer send texts to your phone, and your open conversations were "
                "handed to other locals.\n\n"
                'To close a conversation, text its code followed by DONE, e.g. "%(example)s".\n'
                "To receive texts from the line again, text START to %(line)s."
            )
            % values
        )
        return Mail(subject=subject, body=body)


def ambassador_paused(language: str, *, missed: int, url: str) -> str:
    with translation.override(catalogue_language(language)):
        text = _(
            "you missed %(count)d calls in a row, so we switched your calls off. Switch them "
            "back on when you are ready: %(url)s"
        ) % {"count": missed, "url": url}
        return _branded(text)
