"""The TwiML the voice line answers with: what is said, asked and dialled. Nothing here writes."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from twilio.twiml.voice_response import Gather, VoiceResponse

from ..countries import country_of, guess_language
from ..models import Call, CallAttempt
from ..responders import responder_of
from ..twilio.params import number
from ..twilio.webhooks import twiml
from .prompts import PROMPT_LANGUAGES, prompt, spoken_language, voice_attributes

GATHER_TIMEOUT = 6


def say(response: VoiceResponse | Gather, language: str, key: str, **values: object) -> None:
    sentence, _voice = prompt(language, key, **values)
    response.say(sentence, **voice_attributes(spoken_language(language)))


def goodbye(language: str, key: str) -> HttpResponse:
    response = VoiceResponse()
    say(response, language, key)
    response.hangup()
    return twiml(response)


def sorry(request: HttpRequest) -> HttpResponse:
    """When a voice webhook fails: an apology in the caller's likely language, and goodbye."""
    caller = number(request.POST, "From")
    return goodbye(guess_language(country_of(caller), list(PROMPT_LANGUAGES)), "lost")


def dial(call: Call, attempts: list[CallAttempt], *, first: bool) -> HttpResponse:
    """One <Dial> for a ring group: every phone of the group rings at once, each with the
    whisper (press 1 to take the call) and its own status callback. Twilio connects the first
    leg whose whisper ends without <Hangup>, which only the one who took the call gets."""
    response = VoiceResponse()
    if not first:
        say(response, call.language, "next")
    elif call.line.full_menu:
        # On the short path the question just said "stay on the line to talk to a local now":
        # the ring tone follows at once (5 s sooner) instead of one more sentence.
        say(response, call.language, "connecting")
    action = reverse("calls:voice-dial-done", args=[call.public_id, attempts[0].order])
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
    for attempt in attempts:
        local = responder_of(attempt)
        verb.number(
            local.phone if local else "",
            url=reverse("calls:voice-whisper", args=[call.public_id, attempt.order]),
            method="POST",
            status_callback=reverse("calls:voice-leg-status", args=[call.public_id, attempt.order]),
            status_callback_event="completed",
            status_callback_method="POST",
        )
    return twiml(response)


def nobody(call: Call) -> HttpResponse:
    """A kind message, and an offer: press 1 to be texted as soon as a local is free."""
    response = VoiceResponse()
    say(response, call.language, "nobody")
    if call.caller_number:
        url = reverse("calls:voice-callback", args=[call.public_id])
        gather = response.gather(num_digits=1, action=url, method="POST", timeout=GATHER_TIMEOUT)
        say(gather, call.language, "offer")
    response.hangup()
    return twiml(response)
