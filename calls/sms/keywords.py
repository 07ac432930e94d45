"""What a text says before what it means: reserved keywords, conversation codes, topics,
communities."""

from __future__ import annotations

import re
import unicodedata

from django.utils import translation

from concierge.cached import communities, motives
from concierge.lib.languages import catalogue_language
from concierge.lib.names import community_name
from concierge.models import CallMotive, Community

from ..community_phrases import phrases

# The keywords carriers and Twilio treat as opt-out and opt-in, whole message, any case.
OPT_OUT = {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"}
OPT_IN = {"START", "UNSTOP", "YES"}
HELP = {"HELP", "INFO"}
NEW = "NEW"
# What a local texts after a conversation's code to close it ("#K7 DONE"). Never a carrier
# keyword: a bare END or STOP unsubscribes the phone from the line. END after a code is still
# understood (it is not a whole-message keyword there), but no text teaches it.
DONE_WORD = "DONE"
DONE = {DONE_WORD, "BYE", "FINI", "TERMINE", "TERMINÉ", "END"}

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
            return motives().active_by_code(code)
    return motives().active_by_code("just-chat")


CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


def plain(text: str) -> str:
    """Lower case, without accents or punctuation, words between single spaces (and one space
    at each end, so that " gay " is found as a word and not inside "Segay")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " " + " ".join(re.sub(r"[^\w]+", " ", bare).split()) + " "


def _said(text: str, phrase: str) -> int:
    """Where ``phrase`` is in ``text`` (both ``plain``), or -1. Chinese and Japanese are
    written without spaces: their phrases are looked for as characters."""
    if CJK.search(phrase):
        return text.replace(" ", "").find(phrase.replace(" ", ""))
    return text.find(phrase)


def community_for(body: str, language: str) -> Community | None:
    """The community a first text asks for, by its code ("FAMILIES"), its name in the tourist's
    language or English, or a phrase of :mod:`calls.community_phrases` ("with kids", "LGBT
    friendly"); the one named first. None when it names none."""
    text = plain(body[:500])
    found: list[tuple[int, int, Community]] = []
    for community in communities().active:
        names = {community.code.replace("-", " "), community.name}
        for spoken in dict.fromkeys((language, "en")):
            with translation.override(catalogue_language(spoken)):
                names.add(community_name(community))
            names.update(phrases(community.code, spoken))
        for name in names:
            start = _said(text, plain(name).strip() if CJK.search(name) else plain(name))
            if start != -1:
                found.append((start, -len(name), community))
    return min(found, key=lambda hit: hit[:2])[2] if found else None
