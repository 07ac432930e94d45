"""Say it instead of pressing it: what Twilio heard, matched to a region, a topic or a community.

The topic and region menus' ``<Gather>`` accepts keys and speech (``input="dtmf speech"``);
Twilio posts what it understood as ``SpeechResult`` with a ``Confidence`` between 0 and 1 (not
always: its documentation says not to rely on it being set). We look the words up in the table
of :mod:`calls.voice.places` (communities: :mod:`calls.community_phrases`) plus the translated
region, motive and community names, ignoring case,
accents, punctuation and small words. The menu then takes a confident match, asks once to
confirm a doubtful one, and asks again when nothing matched (:mod:`calls.voice.menu`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from django.utils import translation

from concierge.lib.languages import catalogue_language
from concierge.lib.names import COMMUNITY_NAMES, MOTIVE_NAMES, REGION_NAMES
from concierge.models import CallMotive, Community, Region

from ..community_phrases import COMMUNITIES
from ..community_phrases import phrases as community_phrases
from .places import ANY, MOTIVES, REGIONS, Words
from .prompts import spoken_language

# Twilio's speech-to-text: a generic model for short answers (a city, a word or two); with a
# model set, ``speechTimeout`` must be a number of seconds ("auto" is refused: warning 13335).
SPEECH_MODEL = "numbers_and_commands"
SPEECH_TIMEOUT = 2  # seconds of silence after speech that end the answer
CONFIDENT = 0.6  # from this Confidence on, a match is taken without asking
MAX_HINTS = 500  # Twilio's limit: 500 hints of at most 100 characters each
MAX_HEARD = 300  # characters of a SpeechResult worth reading; Twilio's are a few words

# Twilio's <Gather language> tags (BCP-47, from its list of supported recognition languages) for
# the languages our prompts speak; some countries speak their own variant.
RECOGNITION_LANGUAGE = {
    "en": "en-GB", "fr": "fr-FR", "de": "de-DE", "es": "es-ES", "it": "it-IT", "pt": "pt-PT",
    "nl": "nl-NL", "zh": "cmn-Hans-CN", "ja": "ja-JP",
}  # fmt: skip
RECOGNITION_BY_COUNTRY = {
    ("en", "US"): "en-US", ("en", "CA"): "en-US", ("en", "AU"): "en-AU",
    ("fr", "CA"): "fr-CA", ("es", "MX"): "es-MX", ("pt", "BR"): "pt-BR",
}  # fmt: skip

# Words that carry no meaning for the menu, in the languages we listen to (written without
# accents: they are compared with normalized words).
SMALL_WORDS_BY_LANGUAGE = (
    "a an the of in to and or for about please like want would",
    "le la les l de du des d au aux en et un une a je voudrais",
    "der die das den dem des ein eine im am zum zur und nach ich mochte bitte",
    "el los las del al y un una quiero por favor",
    "il lo gli i di della dello delle dei nel e un una vorrei",
    "o os as do da dos das no na em um uma quero",
    "het een van in naar en ik wil graag",
)
SMALL_WORDS = frozenset(word for line in SMALL_WORDS_BY_LANGUAGE for word in line.split())
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
ABBREVIATIONS = {"st": "saint", "ste": "sainte", "mt": "mont"}


def recognition_language(language: str, country: str) -> str:
    """The language to listen in: the one the caller hears prompts in (English for a language we
    have no words in), in their country's variant where Twilio has one."""
    spoken = spoken_language(language)
    return RECOGNITION_BY_COUNTRY.get((spoken, country), RECOGNITION_LANGUAGE[spoken])


def normalized(text: str) -> str:
    """Lower case, without accents, punctuation or small words; words separated by one space."""
    decomposed = unicodedata.normalize("NFKD", text[:MAX_HEARD].casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = re.sub(r"[^\w]+", " ", bare).split()
    return " ".join(ABBREVIATIONS.get(word, word) for word in words if word not in SMALL_WORDS)


@dataclass(frozen=True)
class Entry:
    code: str
    phrase: str  # as written, said back to the caller when confirming
    key: str  # normalized


@lru_cache(maxsize=64)
def _entries(kind: str, language: str) -> tuple[Entry, ...]:
    """The phrases of one kind ("region", "motive" or "community") in one language, the
    translated names first; codes the destination may not have are filtered later."""
    names = {"region": REGION_NAMES, "motive": MOTIVE_NAMES, "community": COMMUNITY_NAMES}[kind]
    found: list[Entry] = []
    with translation.override(catalogue_language(language)):
        for code, name in names.items():
            found.append(Entry(code, str(name), normalized(str(name))))
    if kind == "community":
        listed = [(code, community_phrases(code, language)) for code in COMMUNITIES]
    else:
        table = REGIONS if kind == "region" else MOTIVES
        listed = [(code, tuple(_phrases(words, language))) for code, words in table.items()]
    for code, said in listed:
        for phrase in said:
            found.append(Entry(code, phrase, normalized(phrase)))
    unique = {(entry.code, entry.key): entry for entry in reversed(found) if entry.key}
    return tuple(reversed(unique.values()))


def _phrases(words: Words, language: str) -> list[str]:
    latin = language not in ("zh", "ja")
    return [*(words.get(ANY, ()) if latin else ()), *words.get(language, ())]


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    entry: Entry


def _matches(text: str, entries: Iterable[Entry], codes: set[str]) -> list[Match]:
    spaced = f" {text} "
    solid = text.replace(" ", "")
    found = []
    for entry in entries:
        if entry.code not in codes:
            continue
        if CJK.search(entry.key):  # no spaces between words: look for the characters
            haystack, needle = solid, entry.key.replace(" ", "")
        else:
            haystack, needle = spaced, f" {entry.key} "
        start = haystack.find(needle)
        while start != -1:
            found.append(Match(start, start + len(needle), entry))
            start = haystack.find(needle, start + 1)
    return found


# Said along with a real wish ("just chat about wine"), these topics give way to it.
FALLBACK_MOTIVES = frozenset({"just-chat"})


def _best(matches: list[Match], *, fallback: frozenset[str] = frozenset()) -> Entry | None:
    """The first thing the caller named; a name inside a longer one ("Loire" in "Pays de la
    Loire") counts as the longer one."""
    outer = [
        m
        for m in matches
        if not any(
            o is not m
            and o.start <= m.start
            and m.end <= o.end
            and (o.end - o.start) > (m.end - m.start)
            for o in matches
        )
    ]
    preferred = [m for m in outer if m.entry.code not in fallback] or outer
    if not preferred:
        return None
    first = min(preferred, key=lambda m: (m.start, -(m.end - m.start)))
    return first.entry


@dataclass(frozen=True)
class Heard:
    """What the caller named: a topic, a region, a community, or several, and the words to say
    back."""

    phrase: str
    motive: CallMotive | None = None
    region: Region | None = None
    community: Community | None = None


def hear(
    words: str,
    language: str,
    *,
    motives: Sequence[CallMotive] = (),
    regions: Sequence[Region] = (),
    communities: Sequence[Community] = (),
) -> Heard | None:
    """The topic, the region and the community named in ``words`` (among the rows given), or
    None."""
    text = normalized(words)
    if not text:
        return None
    spoken = spoken_language(language)
    motive_entry = _best(
        _matches(text, _entries("motive", spoken), {m.code for m in motives}),
        fallback=FALLBACK_MOTIVES,
    )
    region_entry = _best(_matches(text, _entries("region", spoken), {r.code for r in regions}))
    community_entry = _best(
        _matches(text, _entries("community", spoken), {c.code for c in communities})
    )
    entries = (motive_entry, region_entry, community_entry)
    if all(entry is None for entry in entries):
        return None
    return Heard(
        phrase=", ".join(entry.phrase for entry in entries if entry is not None),
        motive=next((m for m in motives if motive_entry and m.code == motive_entry.code), None),
        region=next((r for r in regions if region_entry and r.code == region_entry.code), None),
        community=next(
            (c for c in communities if community_entry and c.code == community_entry.code), None
        ),
    )


def hints(
    language: str,
    *,
    motives: Sequence[CallMotive] = (),
    regions: Sequence[Region] = (),
    communities: Sequence[Community] = (),
) -> str:
    """Twilio's ``hints``: the phrases callers are likely to say here, in their language."""
    spoken = spoken_language(language)
    phrases: list[str] = []
    rows_of: tuple[tuple[str, Sequence[CallMotive | Region | Community]], ...] = (
        ("motive", motives),
        ("community", communities),
        ("region", regions),
    )
    for kind, rows in rows_of:
        codes = {row.code for row in rows}
        phrases.extend(e.phrase for e in _entries(kind, spoken) if e.code in codes)
    unique = [p for p in dict.fromkeys(phrases) if "," not in p and len(p) <= 100]
    return ",".join(unique[:MAX_HINTS])
