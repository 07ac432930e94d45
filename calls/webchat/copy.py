"""Every word of the web chat a visitor reads: the panel, the API's errors and the e-mail of
unread replies, in the visitor's language (the nine of the line)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from concierge.lib.languages import catalogue_language

from ..copy import BRAND, TOURIST_LANGUAGES


def visitor_language(wanted: str) -> str:
    """One of the line's languages from a browser's (``pt-BR`` → ``pt``), else English."""
    base = (wanted or "").strip().lower().replace("_", "-").split("-")[0]
    return base if base in TOURIST_LANGUAGES else "en"


def panel_texts(language: str) -> dict[str, str]:
    """The panel's labels, buttons and notices."""
    with translation.override(catalogue_language(language)):
        return {
            "open": _("Chat with a local"),
            "close": _("Close the chat"),
            "intro": _(
                "Ask your question: a local who knows the area answers here, usually within "
                "minutes. Nobody sees who you are."
            ),
            "message": _("Your message"),
            "send": _("Send"),
            "sending": _("Sending…"),
            "thread": pgettext("web chat thread", "Messages"),
            "you": _("You"),
            "local": pgettext("web chat author", "Local"),
            "brand": BRAND,
            "email": _("Your e-mail address, to receive the answer if you close this page"),
            "save": _("Save"),
            "saved": _("Thank you: replies you have not read will be sent to this address."),
            "failed": _("Your message could not be sent. Try again in a moment."),
            "privacy": _("Messages are erased after 90 days. Do not share bank details."),
        }


def error_text(language: str, what: str, **values: int) -> str:
    """What the API answers a visitor's browser when it refuses a request."""
    with translation.override(catalogue_language(language)):
        texts = {
            "empty": _("Write a message first."),
            "long": _("Your message is too long: %(max)d characters at most."),
            "busy": _("Too many messages: please wait a minute and try again."),
            "expired": _("This chat session has expired: reload the page."),
            "proof": _("The security check of your first message failed: reload the page."),
            "origin": _("This website may not use this chat."),
            "closed": _("This chat is not available at the moment."),
            "email": _("Enter a valid e-mail address."),
            "shape": _("The request could not be read."),
        }
        return texts[what] % values if values else texts[what]


@dataclass(frozen=True)
class Mail:
    subject: str
    body: str


def unread_replies_mail(language: str, *, chat: str, replies: list[tuple[str, str]]) -> Mail:
    """The replies (who, what) a visitor did not read before closing the page."""
    with translation.override(catalogue_language(language)):
        lines = "\n\n".join(f"{name}: {text}" for name, text in replies)
        subject = _("%(brand)s: a local answered you") % {"brand": BRAND}
        body = _(
            "A local answered your question in the chat of %(chat)s:\n\n%(replies)s\n\nTo go on "
            "chatting, open the chat on the website again. You receive this e-mail because you "
            "left your address in the chat; it is erased two days after you left it."
        ) % {"chat": chat, "replies": lines}
        return Mail(subject=subject, body=body)
