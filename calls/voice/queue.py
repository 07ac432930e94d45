"""The caller's side of ringing during the greeting (calls.voice.early): their queue's wait
loop (the greeting and the question first, then holding), and what happens when they leave it.

Twilio requests ``wait`` (the ``<Enqueue>``'s waitUrl) when the caller enters the queue; its
TwiML may use <Say>, <Play>, <Pause>, <Gather>, <Redirect>, <Leave> and <Hangup>. The greeting's
last verb redirects to the holding loop, which redirects to itself, so the greeting is heard
once. The loop checks the call each turn: once nobody is left to ring it <Leave>s, and the
``<Enqueue>``'s action (``queue_done``) tells the caller.
"""

from __future__ import annotations

from uuid import UUID

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from twilio.twiml.voice_response import VoiceResponse

from ..models import Call, CallStatus
from ..twilio.webhooks import twilio_webhook, twiml
from . import early, services
from .menu import EXPRESS_WAIT, next_step_url
from .prompts import VOICE_LANGUAGE
from .selectors import find_call
from .twiml import goodbye, nobody, say, sorry

HOLD_SECONDS = 3  # between two looks at the call while the caller holds
# The <Enqueue>'s results that mean the caller never waited in the queue.
NOT_QUEUED = {"error", "system-error", "queue-full"}


def longest_wait() -> float:
    """Seconds after which a caller still holding has outlived every ring budget (all groups
    rung in full, and a margin): something was lost, and the caller is let go kindly."""
    return settings.CALL_TOTAL_RING_CAP + 2 * settings.CALL_RING_TIMEOUT + 30


def enqueue(call: Call) -> HttpResponse:
    """The caller waits in their own queue; the locals' phones are already ringing."""
    response = VoiceResponse()
    response.enqueue(
        early.queue_name(call),
        wait_url=reverse("calls:voice-queue-wait", args=[call.public_id]),
        wait_url_method="POST",
        action=reverse("calls:voice-queue-done", args=[call.public_id]),
        method="POST",
    )
    return twiml(response)


@twilio_webhook(fallback=sorry)
def wait(request: HttpRequest, call_id: UUID) -> HttpResponse:
    call = find_call(call_id)
    response = VoiceResponse()
    if call is not None and call.status == CallStatus.ROUTING and early.stagger(call):
        early.call_ring_more(call)  # a staggered group: the next phone, when it is time
    if call is None or call.status not in (CallStatus.ROUTING, CallStatus.IN_PROGRESS):
        response.leave()  # nobody left to ring, or the call is over: queue_done says it
        return twiml(response)
    waited = (timezone.now() - call.received_at).total_seconds()
    if (
        call.status == CallStatus.ROUTING
        and waited > longest_wait()
        and early.call_stop_waiting(call)
    ):
        response.leave()
        return twiml(response)
    turn = request.GET.get("held")
    if turn is None:  # the first turn: the greeting and the question
        express = reverse("calls:voice-menu", args=[call.public_id, "express"]) + "?queued=1"
        gather = response.gather(num_digits=1, action=express, method="POST", timeout=EXPRESS_WAIT)
        if call.line.greeting:
            gather.say(call.line.greeting, language=VOICE_LANGUAGE.get(call.language, "en-GB"))
        else:
            say(gather, call.language, "hello")
        if call.line.records_calls:
            say(gather, call.language, "recorded")
        say(gather, call.language, "express")
    else:  # holding; told once, so that the silence is not taken for a dead line
        if turn == "1":
            say(response, call.language, "connecting")
        response.pause(length=HOLD_SECONDS)
    next_turn = "1" if turn is None else "2"
    url = reverse("calls:voice-queue-wait", args=[call.public_id]) + f"?held={next_turn}"
    response.redirect(url, method="POST")
    return twiml(response)


def express(call: Call, *, digits: str, national: bool) -> HttpResponse:
    """A key during the greeting: 1 asks the topic and region questions here, in the queue,
    while the phones ring on (a local who takes the call meanwhile is bridged at once, and the
    groups rung after the choice follow it: calls.voice.menu.next_step_url brings the caller
    back to holding); any other key keeps the caller holding."""
    response = VoiceResponse()
    if digits == "1" and call.status == CallStatus.ROUTING:
        response.redirect(next_step_url(call, after=None, national=national), method="POST")
        return twiml(response)
    held = reverse("calls:voice-queue-wait", args=[call.public_id]) + "?held=1"
    response.redirect(held, method="POST")
    return twiml(response)


@twilio_webhook(fallback=sorry)
def done(request: HttpRequest, call_id: UUID) -> HttpResponse:
    """The caller left the queue (the <Enqueue>'s action): to hear that nobody is free, or the
    conversation (bridged) or the call (hung up) is over. (A call back in the menus, IVR, is
    sent to them: never hung up on.)"""
    call = find_call(call_id)
    if call is None:
        return goodbye("en", "lost")
    result = request.POST.get("QueueResult", "")
    if result == "leave" and call.status == CallStatus.IVR:
        national = call.line_is_national
        response = VoiceResponse()
        response.redirect(next_step_url(call, after=None, national=national), method="POST")
        return twiml(response)
    if result == "leave" and call.status == CallStatus.NO_RESPONDER:
        return nobody(call)
    if result == "hangup" and call.status == CallStatus.ROUTING:
        # The caller hung up while the phones rang: as their status callback will say, which
        # may come later, while a local pressing 1 would be bridged to an empty queue.
        services.call_hung_up(call, duration=None)
    if result in NOT_QUEUED and (call.status == CallStatus.IVR or early.call_leave_queue(call)):
        # Twilio could not queue the caller: the phones placed for them stop (no miss), and the
        # next locals ring the usual way, as after choosing in the menus (a retry: the same).
        response = VoiceResponse()
        response.redirect(reverse("calls:voice-connect", args=[call.public_id]), method="POST")
        return twiml(response)
    response = VoiceResponse()
    response.hangup()
    return twiml(response)


def bridge(call: Call, order: int) -> HttpResponse:
    """For the local who took the call: dial the caller's queue (only they are in it)."""
    response = VoiceResponse()
    recording = {}
    if call.line.records_calls:
        recording = {
            "record": "record-from-answer-dual",
            "recording_status_callback": reverse("calls:voice-recording"),
            "recording_status_callback_method": "POST",
            "recording_status_callback_event": "completed",
        }
    action = reverse("calls:voice-dial-done", args=[call.public_id, order])
    dial = response.dial(action=action, method="POST", **recording)
    dial.queue(early.queue_name(call))
    return twiml(response)
