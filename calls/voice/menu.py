"""The menu a caller may go through: language, motive, community, region; keys, pages and
defaults."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode
from uuid import UUID

from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import reverse
from django.utils import translation
from twilio.twiml.voice_response import VoiceResponse

from ambassadors.cached import offered_communities
from concierge import cached
from concierge.lib.languages import catalogue_language, language_name
from concierge.lib.names import community_name, motive_name, region_name
from concierge.models import CallMotive, Community, Region

from ..countries import LANGUAGE_BY_COUNTRY, guess_language
from ..models import Call, CallStatus
from ..twilio.params import CallRequest, small_number
from ..twilio.params import digits as keys_pressed
from ..twilio.webhooks import twiml
from . import services
from .prompts import LANGUAGE_CHOICE, spoken_language, voice_attributes
from .speech import (
    CONFIDENT,
    SPEECH_MODEL,
    SPEECH_TIMEOUT,
    Heard,
    hear,
    hints,
    recognition_language,
)
from .twiml import GATHER_TIMEOUT, say

MENU_STEPS = ("express", "language", "motive", "community", "region")
SPOKEN_STEPS = ("motive", "community", "region")  # the questions a caller may answer by speaking
EXPRESS_WAIT = 1  # seconds of silence after the short path's question before we connect


def language_is_uncertain(call: Call) -> bool:
    """The caller's country tells no language the line speaks (or no country at all)."""
    wanted = LANGUAGE_BY_COUNTRY.get(call.caller_country)
    return wanted is None or wanted not in call.line.languages


def offers_communities(call: Call) -> bool:
    """The caller may ask for a community: the line is not one community's own, and there are
    communities to choose from."""
    return call.line.community_id is None and bool(offered_communities())


def steps_for(call: Call, *, national: bool) -> list[str]:
    """The questions asked, in order. On the short path (after the caller pressed 1) the
    language is asked only when their country does not tell it; the community question only
    when the line offers communities (a caller who stays on the line hears none of these)."""
    steps = []
    if len(call.line.languages) > 1 and (call.line.full_menu or language_is_uncertain(call)):
        steps.append("language")
    steps.append("motive")
    if offers_communities(call):
        steps.append("community")
    if national:
        steps.append("region")
    return steps


def next_step_url(call: Call, *, after: str | None, national: bool) -> str:
    """The next question, else where the caller goes once they have chosen: the <Dial> path
    (``connect``), or, for a caller who chose in their queue while phones rang (the call is
    past IVR: calls.voice.queue.express), back to holding there."""
    done = MENU_STEPS.index(after) if after in MENU_STEPS else -1
    later = [step for step in steps_for(call, national=national) if MENU_STEPS.index(step) > done]
    if later:
        return reverse("calls:voice-menu", args=[call.public_id, later[0]])
    if call.status != CallStatus.IVR:
        return reverse("calls:voice-queue-wait", args=[call.public_id]) + "?held=1"
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
    return choices_of(step, page=page)


def choices_of(step: str, *, page: int = 0) -> dict[str, object]:
    """The options of a question whose keys do not depend on the call: the topic, community and
    region menus (menu_options)."""
    if step == "motive":
        motives = cached.motives().active[:9]
        return {"0": None} | {str(n): m for n, m in enumerate(motives, start=1)}
    if step == "community":
        communities = offered_communities()[:9]
        return {"0": None} | {str(n): c for n, c in enumerate(communities, start=1)}
    regions = cached.regions().active
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
    return None  # motive, community and region: no preference


def _spoken_name(call: Call, choice: object) -> str:
    """A topic's, a community's or a region's name in the words the caller hears."""
    with translation.override(catalogue_language(spoken_language(call.language))):
        if isinstance(choice, CallMotive):
            return motive_name(choice)
        if isinstance(choice, Community):
            return community_name(choice)
        if isinstance(choice, Region):
            return region_name(choice)
        return str(choice)


def ask(
    call: Call,
    step: str,
    options: dict[str, object],
    *,
    try_number: int,
    page: int = 0,
    national: bool = False,
    sorry: bool = False,
) -> HttpResponse:
    """The question, its options by key, and (topic, community, region) an ear for the answer
    said."""
    url = reverse("calls:voice-menu", args=[call.public_id, step]) + f"?try={try_number}"
    if page:
        url += f"&page={page}"
    response = VoiceResponse()
    listening = _listening(call, step, national=national) if step in SPOKEN_STEPS else {}
    gather = response.gather(
        num_digits=1, action=url, method="POST", timeout=GATHER_TIMEOUT, **listening
    )
    if sorry:
        say(gather, call.language, "not_understood")
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
        say(gather, call.language, f"{step}_speak")
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


# --- Said instead of pressed -------------------------------------------------------------------


@dataclass(frozen=True)
class Speakable:
    motives: list[CallMotive]
    regions: list[Region]
    communities: list[Community]


def _speakable(call: Call, step: str, *, national: bool) -> Speakable:
    """What a caller may name here: a topic in the topic menu (and a community where the line
    offers them, and on a national line a region, which spares them those questions), a
    community in the community menu (a region too on a national line), a region in the region
    menu."""
    motives = cached.motives().active if step == "motive" else []
    regions = cached.regions().active if step == "region" or national else []
    communities = (
        list(offered_communities())
        if step == "community" or (step == "motive" and call.line.community_id is None)
        else []
    )
    return Speakable(motives, regions, communities)


def _hear(call: Call, step: str, words: str, *, national: bool) -> Heard | None:
    rows = _speakable(call, step, national=national)
    return hear(
        words,
        call.language or "en",
        motives=rows.motives,
        regions=rows.regions,
        communities=rows.communities,
    )


# The hints of each list of topics, regions and communities, by language and codes: what
# speech.hints makes of them depends on nothing else.
_HINTS: dict[tuple[object, ...], str] = {}


def _listening(call: Call, step: str, *, national: bool) -> dict[str, object]:
    """The <Gather> attributes that listen to the caller, in their language."""
    rows = _speakable(call, step, national=national)
    language = call.language or "en"
    kinds = (rows.motives, rows.regions, rows.communities)
    key = (language, *(tuple(row.code for row in kind) for kind in kinds))
    said = _HINTS.get(key)
    if said is None:  # the same few lists on every call: written once per process
        if len(_HINTS) > 256:
            _HINTS.clear()
        said = _HINTS[key] = hints(
            language, motives=rows.motives, regions=rows.regions, communities=rows.communities
        )
    return {
        "input": "dtmf speech",
        "language": recognition_language(call.language or "en", call.caller_country),
        "hints": said,
        "speech_model": SPEECH_MODEL,
        "speech_timeout": SPEECH_TIMEOUT,
        "barge_in": True,
    }


def _redirect(url: str, *, sorry_in: str = "") -> HttpResponse:
    response = VoiceResponse()
    if sorry_in:
        say(response, sorry_in, "not_understood")
    response.redirect(url, method="POST")
    return twiml(response)


def chosen_at_once(request: HttpRequest, call_id: UUID, step: str) -> HttpResponse | None:
    """A key naming one of the topic, community or region options, on a call still in the
    menu: the choice is kept by the statement that reads the call back, with no read before it
    (these options do not depend on the call). Anything else (no such key, the next page,
    words, a confirmation, a caller choosing in their queue) is None: the menu reads the call
    first, as for every other answer."""
    if step not in SPOKEN_STEPS or request.GET.get("confirm") or request.GET.get("queued"):
        return None
    digits = keys_pressed(request.POST)
    if not digits:  # a question fetched, or words: no key to look up
        return None
    options = choices_of(step, page=small_number(request.GET, "page", below=10))
    if digits not in options or isinstance(options[digits], MorePage):
        return None
    call = services.call_choose_in_menu(call_id, **{step: options[digits]})  # type: ignore[arg-type]
    if call is None:
        return None
    return _redirect(next_step_url(call, after=step, national=call.line_is_national))


def take(call: Call, step: str, heard: Heard, *, national: bool) -> HttpResponse:
    """The caller's spoken choice, kept; on to the next question (past the community or the
    region question when they named one while answering an earlier one)."""
    choices: dict[str, object] = {}
    if step == "motive" and heard.motive is not None:
        choices["motive"] = heard.motive
    if heard.community is not None:
        choices["community"] = heard.community
    if heard.region is not None:
        choices["region"] = heard.region
    services.call_choose(call, **choices)
    answered = [name for name in MENU_STEPS if name == step or name in choices]
    return _redirect(next_step_url(call, after=answered[-1], national=national))


def choose_default(call: Call, step: str, *, national: bool, sorry: bool = False) -> HttpResponse:
    services.call_choose(call, **{step: default_choice(call, step)})
    url = next_step_url(call, after=step, national=national)
    return _redirect(url, sorry_in=call.language if sorry else "")


def answer_said(
    call: Call, step: str, said: CallRequest, *, try_number: str | None, page: int, national: bool
) -> HttpResponse:
    """Words instead of a key: a confident match is taken, a doubtful one confirmed with a key,
    none asked again once (then the default, as after silence)."""
    heard = _hear(call, step, said.speech, national=national)
    if heard is None:
        if try_number == "1":
            options = menu_options(call, step, page=page)
            return ask(call, step, options, try_number=2, page=page, national=national, sorry=True)
        return choose_default(call, step, national=national, sorry=True)
    if said.confidence is not None and said.confidence >= CONFIDENT:
        return take(call, step, heard, national=national)
    query = {"try": "2" if try_number == "2" else "1", "confirm": "1", "page": str(page)}
    query |= {"motive": heard.motive.code} if heard.motive else {}
    query |= {"region": heard.region.code} if heard.region else {}
    query |= {"community": heard.community.code} if heard.community else {}
    url = reverse("calls:voice-menu", args=[call.public_id, step]) + "?" + urlencode(query)
    response = VoiceResponse()
    gather = response.gather(num_digits=1, action=url, method="POST", timeout=GATHER_TIMEOUT)
    say(gather, call.language, "did_you_say", name=heard.phrase)
    response.redirect(url, method="POST")  # no key: as if they chose again
    return twiml(response)


def answer_confirmation(
    call: Call, step: str, query: QueryDict, *, digits: str, page: int, national: bool
) -> HttpResponse:
    """1 takes what we heard; 2 asks the question again; silence or another key asks again
    once, then the default."""
    if digits == "1" and (heard := _heard_in(query, step=step, national=national)) is not None:
        return take(call, step, heard, national=national)
    if digits == "2" or query.get("try") == "1":
        options = menu_options(call, step, page=page)
        return ask(call, step, options, try_number=2, page=page, national=national)
    return choose_default(call, step, national=national)


def _heard_in(query: QueryDict, *, step: str, national: bool) -> Heard | None:
    """What the confirmation was about, from our own URL (codes of active rows only; a region
    or a community only where the caller may name one)."""
    motive_code, region_code = query.get("motive", "")[:40], query.get("region", "")[:40]
    community_code = query.get("community", "")[:40]
    motive = (
        cached.motives().active_by_code(motive_code) if motive_code and step == "motive" else None
    )
    region = (
        cached.regions().active_by_code(region_code)
        if region_code and (step == "region" or national)
        else None
    )
    community = (
        next((c for c in offered_communities() if c.code == community_code), None)
        if community_code and step in ("motive", "community")
        else None
    )
    if motive is None and region is None and community is None:
        return None
    return Heard(phrase="", motive=motive, region=region, community=community)
