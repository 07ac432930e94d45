"""The menu a caller may go through: language, motive, region; keys, pages and defaults."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpResponse
from django.urls import reverse
from django.utils import translation
from twilio.twiml.voice_response import VoiceResponse

from concierge.lib.languages import catalogue_language, language_name
from concierge.lib.names import motive_name, region_name
from concierge.models import CallMotive, Region

from ..countries import LANGUAGE_BY_COUNTRY, guess_language
from ..models import Call
from ..twilio.webhooks import twiml
from .prompts import LANGUAGE_CHOICE, spoken_language, voice_attributes
from .twiml import GATHER_TIMEOUT, say

MENU_STEPS = ("express", "language", "motive", "region")
EXPRESS_WAIT = 3  # seconds of silence after the short path's question before we connect


def language_is_uncertain(call: Call) -> bool:
    """The caller's country tells no language the line speaks (or no country at all)."""
    wanted = LANGUAGE_BY_COUNTRY.get(call.caller_country)
    return wanted is None or wanted not in call.line.languages


def steps_for(call: Call, *, national: bool) -> list[str]:
    """The questions asked, in order. On the short path (after the caller pressed 1) the
    language is asked only when their country does not tell it."""
    steps = []
    if len(call.line.languages) > 1 and (call.line.full_menu or language_is_uncertain(call)):
        steps.append("language")
    steps.append("motive")
    if national:
        steps.append("region")
    return steps


def next_step_url(call: Call, *, after: str | None, national: bool) -> str:
    steps = steps_for(call, national=national)
    index = steps.index(after) + 1 if after in steps else 0
    if index < len(steps):
        return reverse("calls:voice-menu", args=[call.public_id, steps[index]])
    return reverse("calls:voice-connect", args=[call.public_id])


@dataclass(frozen=True)
class MorePage:
    """The "9: other regions" choice: the next page of the region menu."""

    page: int


REGIONS_PER_PAGE = 8  # keys 1–8, with 9 for the next page and 0 for "anywhere"


def menu_options(call: Call, step: str, *, page: int = 0) -> dict[str, object]:
    """Digit → what it chooses. "0" means "no preference" where there is one. France has more
    regions than a keypad has keys: past nine, the region menu comes in pages of eight, "9"
    turning the page, so every region can be chosen."""
    if step == "language":
        return {str(n): code for n, code in enumerate(call.line.languages, start=1)}
    if step == "motive":
        motives = CallMotive.objects.filter(is_active=True)[:9]
        return {"0": None} | {str(n): m for n, m in enumerate(motives, start=1)}
    regions = list(Region.objects.filter(is_active=True))
    if len(regions) <= 9:
        return {"0": None} | {str(n): r for n, r in enumerate(regions, start=1)}
    start = page * REGIONS_PER_PAGE
    shown = regions[start : start + REGIONS_PER_PAGE]
    options: dict[str, object] = {"0": None} | {str(n): r for n, r in enumerate(shown, start=1)}
    if start + REGIONS_PER_PAGE < len(regions):
        options["9"] = MorePage(page + 1)
    return options


def default_choice(call: Call, step: str) -> object:
    if step == "language":
        return guess_language(call.caller_country, call.line.languages)
    return None  # motive and region: no preference


def _spoken_name(call: Call, choice: object) -> str:
    """A topic's or a region's name in the words the caller hears."""
    with translation.override(catalogue_language(spoken_language(call.language))):
        if isinstance(choice, CallMotive):
            return motive_name(choice)
        if isinstance(choice, Region):
            return region_name(choice)
        return str(choice)


def ask(
    call: Call, step: str, options: dict[str, object], *, try_number: int, page: int = 0
) -> HttpResponse:
    url = reverse("calls:voice-menu", args=[call.public_id, step]) + f"?try={try_number}"
    if page:
        url += f"&page={page}"
    response = VoiceResponse()
    gather = response.gather(num_digits=1, action=url, method="POST", timeout=GATHER_TIMEOUT)
    if step == "language":
        for digit, code in options.items():
            if str(code) in LANGUAGE_CHOICE:  # in the language itself, with its voice
                phrase, voice = LANGUAGE_CHOICE[str(code)], voice_attributes(str(code))
            else:  # no words of ours in that language yet: say it in English
                phrase = LANGUAGE_CHOICE["en"].replace("English", language_name(str(code)))
                voice = voice_attributes("en")
            gather.say(phrase.format(n=digit), **voice)
    else:
        say(gather, call.language, step)
        for digit, choice in options.items():
            if isinstance(choice, MorePage):
                say(gather, call.language, f"{step}_more", n=digit)
            elif choice is not None:
                say(
                    gather,
                    call.language,
                    f"{step}_option",
                    name=_spoken_name(call, choice),
                    n=digit,
                )
        say(gather, call.language, f"{step}_any")
    # No key pressed: Twilio falls through to here.
    response.redirect(url, method="POST")
    return twiml(response)
