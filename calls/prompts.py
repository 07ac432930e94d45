"""What the line says, in the caller's language where we have the words (English otherwise)."""

from __future__ import annotations

# Twilio <Say> voices by language.
VOICE_LANGUAGE = {
    "en": "en-GB", "fr": "fr-FR", "de": "de-DE", "es": "es-ES", "it": "it-IT", "pt": "pt-PT",
    "nl": "nl-NL", "zh": "cmn-CN", "ja": "ja-JP", "ko": "ko-KR", "ru": "ru-RU", "pl": "pl-PL",
    "sv": "sv-SE", "da": "da-DK", "no": "nb-NO", "ar": "arb", "tr": "tr-TR", "hi": "hi-IN",
}  # fmt: skip

# "For <language>, press N", each in its own language: the first menu, before we know theirs.
LANGUAGE_CHOICE = {
    "en": "For English, press {n}.",
    "fr": "Pour le français, tapez {n}.",
    "de": "Für Deutsch, drücken Sie {n}.",
    "es": "Para español, pulse {n}.",
    "it": "Per l'italiano, premere {n}.",
    "pt": "Para português, pressione {n}.",
    "nl": "Voor Nederlands, druk op {n}.",
}

TEXTS = {
    "en": {
        "welcome": "Welcome to Destination Concierge. In a moment you will talk to a local.",
        "recorded": "This call may be recorded.",
        "motive": "What would you like to talk about?",
        "motive_option": "For {name}, press {n}.",
        "motive_any": "For anything else, press 0.",
        "region": "Which part of France are you interested in?",
        "region_option": "For {name}, press {n}.",
        "region_any": "For anywhere else, or if you are not sure, press 0.",
        "region_more": "For other regions, press {n}.",
        "connecting": "Thank you. We are putting you through to a local. Please hold.",
        "next": "Please hold a little longer, we are trying another local.",
        "nobody": (
            "We are sorry: all our locals are busy right now. Please call again in a few "
            "minutes. Thank you for calling, and enjoy France!"
        ),
        "offer": "To get a text message as soon as a local is free, press 1.",
        "offer_taken": "Thank you. We will text you as soon as a local is free. Goodbye.",
        "blocked": "We are sorry, we cannot take your call. Goodbye.",
        "rate_limited": (
            "We are sorry: you have called us many times in the last hour. Please try again "
            "later. Goodbye."
        ),
        "not_in_service": "We are sorry, this number is not in service. Goodbye.",
        "lost": "We are sorry, something went wrong with this call. Please call again. Goodbye.",
        "goodbye": "Thank you for calling. Goodbye.",
    },
    "fr": {
        "welcome": (
            "Bienvenue chez Destination Concierge. Dans un instant, vous parlerez à un habitant."
        ),
        "recorded": "Cet appel peut être enregistré.",
        "motive": "De quoi souhaitez-vous parler ?",
        "motive_option": "Pour {name}, tapez {n}.",
        "motive_any": "Pour autre chose, tapez 0.",
        "region": "Quelle région de France vous intéresse ?",
        "region_option": "Pour {name}, tapez {n}.",
        "region_any": "Pour une autre région, ou si vous ne savez pas, tapez 0.",
        "region_more": "Pour d'autres régions, tapez {n}.",
        "connecting": "Merci. Nous vous mettons en relation avec un habitant. Veuillez patienter.",
        "next": "Merci de patienter encore un peu, nous essayons un autre habitant.",
        "nobody": (
            "Nous sommes désolés : tous nos habitants sont occupés. Rappelez dans quelques "
            "minutes. Merci de votre appel, et bon séjour en France !"
        ),
        "offer": "Pour recevoir un SMS dès qu'un habitant est libre, tapez 1.",
        "offer_taken": (
            "Merci. Nous vous enverrons un SMS dès qu'un habitant sera libre. Au revoir."
        ),
        "blocked": "Nous sommes désolés, nous ne pouvons pas prendre votre appel. Au revoir.",
        "rate_limited": (
            "Nous sommes désolés : vous nous avez appelés de nombreuses fois cette dernière "
            "heure. Réessayez plus tard. Au revoir."
        ),
        "not_in_service": "Nous sommes désolés, ce numéro n'est pas en service. Au revoir.",
        "lost": "Nous sommes désolés, un problème est survenu. Merci de rappeler. Au revoir.",
        "goodbye": "Merci de votre appel. Au revoir.",
    },
}


def text(language: str, key: str, **values: object) -> tuple[str, str]:
    """The sentence and the <Say> language to speak it in."""
    spoken = language if language in TEXTS else "en"
    return TEXTS[spoken][key].format(**values), VOICE_LANGUAGE[spoken]


# What the ambassador hears before choosing to take the call (in English: every ambassador
# speaks it).
WHISPER = (
    "Destination Concierge. A caller from {country}, speaking {language}, would like to talk "
    "about {motive}. To take the call, press 1. To let it go, hang up."
)
WHISPER_ANY_MOTIVE = "anything"
