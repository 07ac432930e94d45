"""Everything the line says, in one catalogue translated with gettext: to callers in their
language where we have the words (English otherwise), and the whisper to the local in theirs.

Prompts are ``str.format`` templates (``{n}`` a key, ``{name}`` a choice); makemessages finds
them through ``gettext_noop`` and the .po files carry their translations.
"""

from __future__ import annotations

import functools

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from concierge.lib.languages import catalogue_language

from ..copy import TOURIST_LANGUAGES

# The languages whose prompts are translated (locale/*/LC_MESSAGES/django.po, checked by
# tests/calls/test_languages.py); a caller in any other hears English.
PROMPT_LANGUAGES = TOURIST_LANGUAGES

# Twilio <Say> languages (with the default voice; Twilio speaks Mandarin as "cmn-CN").
VOICE_LANGUAGE = {
    "en": "en-GB", "fr": "fr-FR", "de": "de-DE", "es": "es-ES", "it": "it-IT", "pt": "pt-PT",
    "nl": "nl-NL", "zh": "cmn-CN", "ja": "ja-JP", "ko": "ko-KR", "ru": "ru-RU", "pl": "pl-PL",
    "sv": "sv-SE", "da": "da-DK", "no": "nb-NO", "ar": "arb", "tr": "tr-TR", "hi": "hi-IN",
}  # fmt: skip

# Twilio's default <Say> voice speaks English, French, German, Spanish and Italian only; for the
# others, a named Amazon Polly voice of that language (Polly's codes: Mandarin is "cmn-CN").
VOICE_NAME = {
    "nl": "Polly.Lotte", "pt": "Polly.Ines", "ja": "Polly.Mizuki", "zh": "Polly.Zhiyu",
}  # fmt: skip


def voice_attributes(language: str) -> dict[str, str]:
    """The <Say> attributes that speak ``language`` (one we have words in): language and voice."""
    attributes = {"language": VOICE_LANGUAGE[language]}
    if language in VOICE_NAME:
        attributes["voice"] = VOICE_NAME[language]
    return attributes


# "For <language>, press N", each in its own language: the first menu, before we know theirs.
LANGUAGE_CHOICE = {
    "en": "For English, press {n}.",
    "fr": "Pour le français, tapez {n}.",
    "de": "Für Deutsch, drücken Sie {n}.",
    "es": "Para español, pulse {n}.",
    "it": "Per l'italiano, premere {n}.",
    "pt": "Para português, pressione {n}.",
    "nl": "Voor Nederlands, druk op {n}.",
    "zh": "中文服务，请按{n}。",
    "ja": "日本語をご希望の方は、{n}を押してください。",
}

PROMPTS = {
    "welcome": gettext_noop(
        "Welcome to Destination Concierge. In a moment you will talk to a local."
    ),
    "recorded": gettext_noop("This call may be recorded."),
    # The short path: the greeting and its one question last ~5 s together (docs/voice-line.md).
    "hello": gettext_noop("Welcome to Destination Concierge."),
    "express": gettext_noop("Hold for a local, or press 1 to choose."),
    "motive": gettext_noop("What would you like to talk about?"),
    "motive_option": gettext_noop("For {name}, press {n}."),
    "motive_any": gettext_noop("For anything else, press 0."),
    "community": gettext_noop(
        "Would you like a local who shares your way of travelling? Our communities:"
    ),
    "community_option": gettext_noop("For {name}, press {n}."),
    "community_any": gettext_noop("For any local, press 0."),
    "region": gettext_noop("Which part of France are you interested in?"),
    "region_option": gettext_noop("For {name}, press {n}."),
    "region_any": gettext_noop("For anywhere else, or if you are not sure, press 0."),
    "region_more": gettext_noop("For other regions, press {n}."),
    # The topic and region menus listen too (calls.voice.speech).
    "motive_speak": gettext_noop("Just say it, or press a key."),
    "region_speak": gettext_noop("Just say a city or a place, or press a key."),
    "community_speak": gettext_noop("Just say it, or press a key."),
    "did_you_say": gettext_noop("Did you say {name}? Press 1 for yes, 2 to choose again."),
    "not_understood": gettext_noop("Sorry, we did not understand."),
    "connecting": gettext_noop("Thank you. We are putting you through to a local. Please hold."),
    "next": gettext_noop("Please hold a little longer, we are trying another local."),
    "nobody": gettext_noop(
        "We are sorry: all our locals are busy right now. Please call again in a few "
        "minutes. Thank you for calling, and enjoy France!"
    ),
    "offer": gettext_noop("To get a text message as soon as a local is free, press 1."),
    "offer_taken": gettext_noop("Thank you. We will text you as soon as a local is free. Goodbye."),
    "blocked": gettext_noop("We are sorry, we cannot take your call. Goodbye."),
    "rate_limited": gettext_noop(
        "We are sorry: you have called us many times in the last hour. Please try again "
        "later. Goodbye."
    ),
    "withheld_refused": gettext_noop(
        "We are sorry, this line does not take calls from hidden numbers. Please call again "
        "showing your number. Goodbye."
    ),
    "withheld_busy": gettext_noop(
        "We are sorry, we cannot take calls from hidden numbers right now. Please call again "
        "showing your number. Goodbye."
    ),
    "not_in_service": gettext_noop("We are sorry, this number is not in service. Goodbye."),
    "lost": gettext_noop(
        "We are sorry, something went wrong with this call. Please call again. Goodbye."
    ),
    "goodbye": gettext_noop("Thank you for calling. Goodbye."),
    # To the local, before the caller is put through: ~4 s, the caller is waiting.
    "whisper": gettext_noop("Tourist call, {spoken}, {motive}: press 1 to take it."),
    "whisper_any_motive": gettext_noop("anything"),
    # Said before the whisper when the caller asked for a community (the local is a member).
    "whisper_community": gettext_noop("This tourist asked for a local from: {community}."),
    # To a local of a ring group who pressed 1 a moment after another took the call.
    "whisper_taken": gettext_noop(
        "Thank you! Another local has just taken this call. Nothing to do. Goodbye."
    ),
}


def spoken_language(language: str) -> str:
    """The language we can speak to this caller: theirs if we have its words, else English."""
    return language if language in PROMPT_LANGUAGES else "en"


def prompt(language: str, key: str, **values: object) -> tuple[str, str]:
    """The sentence and the <Say> language to speak it in."""
    spoken = spoken_language(language)
    return _template(spoken, key).format(**values), VOICE_LANGUAGE[spoken]


@functools.cache
def _template(spoken: str, key: str) -> str:
    """A prompt in a language, translated once per process (a question says ten of them)."""
    with translation.override(catalogue_language(spoken)):
        return gettext(PROMPTS[key])


@receiver(setting_changed)
def _forget_translations(*, setting: str, **kwargs: object) -> None:
    """Tests that change the languages or the catalogues get the prompts translated again."""
    if setting in ("LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"):
        _template.cache_clear()
