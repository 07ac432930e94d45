"""The voice webhooks. Each answers valid TwiML, whatever Twilio (or a forger) sends.

Flow: incoming → menu steps (language, motive, region) → connect → <Dial> with a whisper on the
ambassador's leg (press 1 to accept) → dial done → the next ambassador, or a kind goodbye.
Steps after ``incoming`` are reached only through URLs our own TwiML hands out.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from django.conf import settings
from django.db.models import Count, Exists, Min, OuterRef
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from twilio.twiml.voice_response import VoiceResponse

from concierge.lib.languages import language_name
from concierge.models import CallMotive, Region

from . import services
from .countries import country_name, country_of, guess_language
from .models import AttemptOutcome, Call, CallAttempt, CallStatus, PhoneLine
from .prompts import LANGUAGE_CHOICE, VOICE_LANGUAGE, WHISPER, WHISPER_ANY_MOTIVE, text
from .webhooks import twilio_webhook, twiml

MENU_STEPS = ("language", "motive", "region")
GATHER_TIMEOUT = 6


def say(response: VoiceResponse, language: str, key: str, **values: object) -> None:
    sentence, voice = text(language, key, **values)
    response.say(sentence, language=voice)


def goodbye(language: str, key: str) -> HttpResponse:
    response = VoiceResponse()
    say(response, language, key)
    response.hangup()
    return twiml(response)


def find_call(public_id: UUID) -> Call | None:
    """The call with its line, motive and region, and whether the line is national (the menu
    then asks for a region), in one query: every webhook after ``incoming`` starts here."""
    line_regions = PhoneLine.regions.through.objects.filter(phoneline_id=OuterRef("line_id"))
    return (
        Call.objects.select_related("line", "motive", "region")
        .annotate(line_is_national=~Exists(line_regions))
        .filter(public_id=public_id)
        .first()
    )


@twilio_webhook
def incoming(request: HttpRequest) -> HttpResponse:
    sid = request.POST.get("CallSid", "").strip()
    line = (
        PhoneLine.objects.filter(number=request.POST.get("To", ""), is_active=True)
        .annotate(region_count=Count("regions"), first_region_id=Min("regions"))
        .first()
    )
    if not sid or line is None:
        return goodbye("en", "not_in_service")
    caller = request.POST.get("From", "").strip()[:32]
    language = guess_language(country_of(caller), line.languages)
    call, _created = services.call_receive(
        sid=sid,
        line=line,
        caller=caller,
        # A line covering one region needs no region menu: that is the caller's region.
        defaults={
            "language": language,
            "region_id": line.first_region_id if line.region_count == 1 else None,
        },
    )
    if refusal := services.call_refusal(call):
        services.call_set_status(call, CallStatus.REFUSED)
        return goodbye(language, refusal)
    response = VoiceResponse()
    if line.greeting:
        response.say(line.greeting, language=VOICE_LANGUAGE.get(language, "en-GB"))
    else:
        say(response, language, "welcome")
    if line.records_calls:
        say(response, language, "recorded")
    national = line.region_count == 0
    response.redirect(next_step_url(call, after=None, national=national), method="POST")
    return twiml(response)


def steps_for(call: Call, *, national: bool) -> list[str]:
    steps = []
    if len(call.line.languages) > 1:
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
                phrase, voice = LANGUAGE_CHOICE[str(code)], VOICE_LANGUAGE[str(code)]
            else:  # no words of ours in that language yet: say it in English
                phrase = LANGUAGE_CHOICE["en"].replace("English", language_name(str(code)))
                voice = VOICE_LANGUAGE["en"]
            gather.say(phrase.format(n=digit), language=voice)
    else:
        sentence, voice = text(call.language, step)
        gather.say(sentence, language=voice)
        for digit, choice in options.items():
            if isinstance(choice, MorePage):
                sentence, voice = text(call.language, f"{step}_more", n=digit)
                gather.say(sentence, language=voice)
            elif choice is not None:
                sentence, voice = text(call.language, f"{step}_option", name=choice, n=digit)
                gather.say(sentence, language=voice)
        sentence, voice = text(call.language, f"{step}_any")
        gather.say(sentence, language=voice)
    # No key pressed: Twilio falls through to here.
    response.redirect(url, method="POST")
    return twiml(response)


@twilio_webhook
def menu(request: HttpRequest, call_id: UUID, step: str) -> HttpResponse:
    call = find_call(call_id)
    if call is None or step not in MENU_STEPS:
        return goodbye("en", "lost")
    page = request.GET.get("page", "0")
    page = int(page) if page.isdigit() and int(page) < 10 else 0
    options = menu_options(call, step, page=page)
    digits = request.POST.get("Digits", "").strip()
    try_number = request.GET.get("try")
    if digits in options:
        choice = options[digits]
        if isinstance(choice, MorePage):  # a fresh question on the next page
            next_page = menu_options(call, step, page=choice.page)
            return ask(call, step, next_page, try_number=1, page=choice.page)
    elif try_number is None:
        return ask(call, step, options, try_number=1, page=page)
    elif try_number == "1":
        return ask(call, step, options, try_number=2, page=page)  # ask once more
    else:
        choice = default_choice(call, step)  # never a dead end
    services.call_choose(call, **{step: choice})
    response = VoiceResponse()
    url = next_step_url(call, after=step, national=call.line_is_national)
    response.redirect(url, method="POST")
    return twiml(response)


def dial(call: Call, attempt: CallAttempt, *, first: bool) -> HttpResponse:
    response = VoiceResponse()
    say(response, call.language, "connecting" if first else "next")
    action = reverse("calls:voice-dial-done", args=[call.public_id, attempt.order])
    whisper = reverse("calls:voice-whisper", args=[call.public_id, attempt.order])
    recording = {}
    if call.line.records_calls:  # the caller heard the notice in the greeting
        recording = {
            "record": "record-from-answer-dual",
            "recording_status_callback": reverse("calls:voice-recording"),
            "recording_status_callback_method": "POST",
            "recording_status_callback_event": "completed",
        }
    verb = response.dial(
        caller_id=str(call.line.number),
        answer_on_bridge=True,
        timeout=settings.CALL_RING_TIMEOUT,
        action=action,
        method="POST",
        **recording,
    )
    verb.number(attempt.phone_number, url=whisper, method="POST")
    return twiml(response)


def nobody(call: Call) -> HttpResponse:
    """A kind message, and an offer: press 1 to be texted as soon as a local is free."""
    services.call_set_status(call, CallStatus.NO_RESPONDER)
    response = VoiceResponse()
    say(response, call.language, "nobody")
    if call.caller_number:
        url = reverse("calls:voice-callback", args=[call.public_id])
        gather = response.gather(num_digits=1, action=url, method="POST", timeout=GATHER_TIMEOUT)
        sentence, voice = text(call.language, "offer")
        gather.say(sentence, language=voice)
    response.hangup()
    return twiml(response)


def route(call: Call, *, attempts: int) -> HttpResponse:
    attempt = services.call_ring_next(call=call, attempts=attempts)
    if attempt is None:
        return nobody(call)
    return dial(call, attempt, first=attempts == 0)


@twilio_webhook
def callback(request: HttpRequest, call_id: UUID) -> HttpResponse:
    call = find_call(call_id)
    if call is None or call.status != CallStatus.NO_RESPONDER or not call.caller_number:
        return goodbye(call.language if call else "en", "goodbye")
    if request.POST.get("Digits") != "1":
        return goodbye(call.language, "goodbye")
    services.callback_request(call=call)
    return goodbye(call.language, "offer_taken")


@twilio_webhook
def connect(request: HttpRequest, call_id: UUID) -> HttpResponse:
    call = find_call(call_id)
    if call is None or call.status not in (CallStatus.IVR, CallStatus.ROUTING):
        return goodbye(call.language if call else "en", "lost")
    if call.status == CallStatus.IVR:  # the first attempt is recorded with the ROUTING status
        return route(call, attempts=0)
    attempts = list(call.attempts.select_related("ambassador", "advisor"))
    ringing = [a for a in attempts if a.outcome == AttemptOutcome.RINGING]
    if ringing:  # a retried request: ring the same person again
        return dial(call, ringing[-1], first=ringing[-1].order == 1)
    return route(call, attempts=len(attempts))


def find_attempt(call_id: UUID, order: int) -> CallAttempt | None:
    return (
        CallAttempt.objects.select_related("call__line", "call__motive", "ambassador", "advisor")
        .filter(call__public_id=call_id, order=order)
        .first()
    )


@twilio_webhook
def whisper(request: HttpRequest, call_id: UUID, order: int) -> HttpResponse:
    """Played to the ambassador before the caller is connected: press 1 to accept."""
    attempt = find_attempt(call_id, order)
    response = VoiceResponse()
    if attempt is None or attempt.outcome != AttemptOutcome.RINGING:
        response.hangup()
        return twiml(response)
    call = attempt.call
    action = reverse("calls:voice-whisper-answer", args=[call.public_id, order])
    gather = response.gather(num_digits=1, action=action, method="POST", timeout=8)
    gather.say(
        WHISPER.format(
            country=country_name(call.caller_country),
            language=language_name(call.language or "en"),
            motive=call.motive.name.lower() if call.motive else WHISPER_ANY_MOTIVE,
        ),
        language="en-GB",
    )
    response.hangup()  # no key: voicemail or nobody; never connect the caller to that
    return twiml(response)


@twilio_webhook
def whisper_answer(request: HttpRequest, call_id: UUID, order: int) -> HttpResponse:
    attempt = find_attempt(call_id, order)
    response = VoiceResponse()
    if attempt is not None and request.POST.get("Digits") == "1":
        if services.attempt_accept(attempt):
            return twiml(response)  # an empty response: the legs are bridged
    elif attempt is not None:
        services.attempt_resolve(attempt, AttemptOutcome.DECLINED)
    response.hangup()
    return twiml(response)


@twilio_webhook
def dial_done(request: HttpRequest, call_id: UUID, order: int) -> HttpResponse:
    """The <Dial> verb ended: the conversation is over, or we try someone else."""
    attempt = find_attempt(call_id, order)
    if attempt is None:
        return goodbye("en", "lost")
    call = attempt.call
    try:
        duration = int(request.POST.get("DialCallDuration", ""))
    except ValueError:
        duration = None
    services.attempt_finish_dial(
        attempt, dial_status=request.POST.get("DialCallStatus", ""), duration=duration
    )
    if attempt.outcome == AttemptOutcome.ACCEPTED:
        response = VoiceResponse()
        response.hangup()
        return twiml(response)
    later = call.attempts.filter(order__gt=order).select_related("ambassador", "advisor").first()
    if later is not None:  # a retried callback: we already moved on
        return dial(call, later, first=False)
    return route(call, attempts=order)  # orders run 1, 2, 3…: this was the latest


@twilio_webhook
def recording(request: HttpRequest) -> HttpResponse:
    """A recording is ready: keep its reference, text the caller a replay link (once)."""
    call = Call.objects.filter(sid=request.POST.get("CallSid", "")).first()
    sid = request.POST.get("RecordingSid", "").strip()
    url = request.POST.get("RecordingUrl", "").strip()
    completed = request.POST.get("RecordingStatus", "completed") == "completed"
    if (
        call is not None
        and call.line.records_calls
        and sid
        and url.startswith("https://")
        and completed
    ):
        try:
            duration = int(request.POST.get("RecordingDuration", ""))
        except ValueError:
            duration = None
        services.recording_store(call=call, sid=sid, url=url, duration=duration)
    return twiml(VoiceResponse())


@twilio_webhook
def status(request: HttpRequest) -> HttpResponse:
    """Call status callbacks: unknown, late or repeated ones change nothing wrongly."""
    call = Call.objects.filter(sid=request.POST.get("CallSid", "")).first()
    final = {"completed", "busy", "failed", "no-answer", "canceled"}
    if call is not None and request.POST.get("CallStatus") in final:
        try:
            duration = int(request.POST.get("CallDuration", ""))
        except ValueError:
            duration = None
        services.call_hung_up(call, duration=duration)
    return twiml(VoiceResponse())
