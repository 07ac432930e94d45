"""What a text says before what it means: reserved keywords, conversation codes, topics."""

from __future__ import annotations

import re
import unicodedata

from concierge.cached import motives
from concierge.models import CallMotive

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
