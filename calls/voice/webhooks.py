"""The voice webhooks. Each answers valid TwiML, whatever Twilio (or a forger) sends.

Flow: incoming → menu steps (language, motive, region) → connect → <Dial> with a whisper on the
ambassador's leg (press 1 to accept) → dial done → the next ambassador, or a kind goodbye.
Steps after ``incoming`` are reached only through URLs our own TwiML hands out. A line that
rings during the greeting queues the caller instead and calls the locals (calls.voice.early,
calls.voice.queue); the same whisper and leg views then carry ``?queued=1``.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from uuid import UUID

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from twilio.twiml.voice_response import VoiceResponse

from concierge.lib.languages import language_name
from concierge.lib.names import community_name, motive_name

from ..cached import active_line
from ..countries import country_of, guess_language
from ..models import (
    FINAL_CALL_STATUSES,
    LIVE_CALL_STATUSES,
    AttemptOutcome,
    Call,
    CallAttempt,
    CallStatus,
)
from ..responders import responder_of
from ..twilio.params import CallRequest, DialResult, RecordingResult, small_number
from ..twilio.webhooks import is_rehearsal, twilio_webhook, twiml
from . import callbacks, early, queue, recordings, services
from .menu import (
    EXPRESS_WAIT,
    MENU_STEPS,
    SPOKEN_STEPS,
    MorePage,
    answer_confirmation,
    answer_said,
    ask,
    chosen_at_once,
    default_choice,
    menu_options,
    next_step_url,
)
from .prompts import VOICE_LANGUAGE, prompt
from .selectors import find_call
from .twiml import dial, goodbye, nobody, say, sorry

if TYPE_CHECKING:
    pass

voice_webhook = twilio_webhook(fallback=sorry)


@voice_webhook
def incoming(request: HttpRequest) -> HttpResponse:
    params = CallRequest.parse(request)
    found = active_line(params.to)
    # A call from one of our lines (a placed call forwarded back) would only ring locals again.
    if not params.call_sid or found is None or active_line(params.caller) is not None:
        return goodbye("en", "not_in_service")
    line = found.line
    language = guess_language(country_of(params.caller), line.languages)
    received = services.call_receive(
        sid=params.call_sid,
        line=line,
        caller=params.caller,
        # A line covering one region needs no region menu: that is the caller's region.
        defaults={
            "language": language,
            "region_id": found.first_region_id if found.region_count == 1 else None,
            "is_rehearsal": is_rehearsal(request),
        },
    )
    call = received.call
    if refusal := services.call_refusal(call, earlier=received.earlier):
        services.call_set_status(call, CallStatus.REFUSED)
        return goodbye(language, refusal)
    if early.call_rings_early(call) and early.call_ring_early(
        call, attempts=0, group=1, first_ring=None
    ):  # the phones ring while the caller hears the greeting, in a queue of their own
        return queue.enqueue(call)
    response = VoiceResponse()
    national = found.is_national
    # The short path: the greeting and one question, which a key interrupts (barge-in); silence
    # puts the caller through at once. The full menu asks its questions first.
    speaker = response
    if not line.full_menu:
        express = reverse("calls:voice-menu", args=[call.public_id, "express"])
        speaker = response.gather(num_digits=1, action=express, method="POST", timeout=EXPRESS_WAIT)
    if line.greeting:
        speaker.say(line.greeting, language=VOICE_LANGUAGE.get(language, "en-GB"))
    else:
        say(speaker, language, "welcome" if line.full_menu else "hello")
    if line.records_calls:
        say(speaker, language, "recorded")
    if line.full_menu:
        response.redirect(next_step_url(call, after=None, national=national), method="POST")
    else:
        say(speaker, language, "express")
        response.redirect(reverse("calls:voice-connect", args=[call.public_id]), method="POST")
    return twiml(response)


@voice_webhook
def menu(request: HttpRequest, call_id: UUID, step: str) -> HttpResponse:
    if (chosen := chosen_at_once(request, call_id, step)) is not None:
        return chosen  # a key naming an option: one statement
    call = find_call(call_id)
    if call is None or step not in MENU_STEPS:
        return goodbye("en", "lost")
    if call.status == CallStatus.ROUTING and early.stagger(call):  # choosing in their queue
        early.call_ring_more(call)  # a staggered group goes on as while holding
    if step == "express":  # the short path: 1 to choose, anything else to be put through now
        digits = CallRequest.parse(request).digits or ""
        if request.GET.get("queued"):  # during the greeting, the locals already ringing
            return queue.express(call, digits=digits, national=call.line_is_national)
        chose = digits == "1"
        after = next_step_url(call, after=None, national=call.line_is_national)
        response = VoiceResponse()
        response.redirect(
            after if chose else reverse("calls:voice-connect", args=[call.public_id]),
            method="POST",
        )
        return twiml(response)
    page = small_number(request.GET, "page", below=10)
    national = call.line_is_national
    said = CallRequest.parse(request)
    digits = said.digits
    try_number = request.GET.get("try")
    spoken = step in SPOKEN_STEPS
    if spoken and request.GET.get("confirm") == "1":  # "Did you say Bordeaux? Press 1…"
        return answer_confirmation(
            call, step, request.GET, digits=digits, page=page, national=national
        )
    if spoken and said.speech and not digits:  # words, no key: the options are not needed
        return answer_said(call, step, said, try_number=try_number, page=page, national=national)
    options = menu_options(call, step, page=page)
    if digits in options:
        choice = options[digits]
        if isinstance(choice, MorePage):  # a fresh question on the next page
            next_page = menu_options(call, step, page=choice.page)
            return ask(call, step, next_page, try_number=1, page=choice.page, national=national)
    elif try_number is None:
        return ask(call, step, options, try_number=1, page=page, national=national)
    elif try_number == "1":
        return ask(call, step, options, try_number=2, page=page, national=national)  # once more
    else:
        choice = default_choice(call, step)  # never a dead end
    services.call_choose(call, **{step: choice})
    response = VoiceResponse()
    url = next_step_url(call, after=step, national=call.line_is_national)
    response.redirect(url, method="POST")
    return twiml(response)


def route(
    call: Call, *, attempts: int, group: int, first_ring: datetime | None, budget_from: int = 1
) -> HttpResponse:
    rung = services.call_ring_next(
        call=call, attempts=attempts, group=group, first_ring=first_ring, budget_from=budget_from
    )
    if not rung:
        services.call_set_status(call, CallStatus.NO_RESPONDER)
        return nobody(call)
    return dial(call, rung, first=group == 1)


@voice_webhook
def callback(request: HttpRequest, call_id: UUID) -> HttpResponse:
    call = find_call(call_id)
    if call is None or call.status != CallStatus.NO_RESPONDER or not call.caller_number:
        return goodbye(call.language if call else "en", "goodbye")
    if CallRequest.parse(request).digits != "1":
        return goodbye(call.language, "goodbye")
    callbacks.callback_request(call=call)
    return goodbye(call.language, "offer_taken")


@voice_webhook
def connect(request: HttpRequest, call_id: UUID) -> HttpResponse:
    call = find_call(call_id)
    if call is None or call.status not in LIVE_CALL_STATUSES:
        return goodbye(call.language if call else "en", "lost")
    attempts = list(call.attempts.select_related("ambassador", "advisor"))
    if call.status == CallStatus.IVR:  # the first attempt is recorded with the ROUTING status
        # Attempts already (a call of a line ringing during the greeting whose caller left
        # the queue to choose, as before 2026-11-30: they now choose in it): the ringing
        # budget starts again.
        last = max((a.group for a in attempts), default=0)
        return route(
            call, attempts=len(attempts), group=last + 1, first_ring=None, budget_from=last + 1
        )
    last = max(a.group for a in attempts)
    ringing = [a for a in attempts if a.group == last and a.outcome == AttemptOutcome.RINGING]
    if ringing:  # a retried request: ring the same group again
        return dial(call, ringing, first=last == 1)
    budget_from, first_ring = dial_budget(attempts)
    return route(
        call,
        attempts=len(attempts),
        group=last + 1,
        first_ring=first_ring,
        budget_from=budget_from,
    )


def dial_budget(attempts: list[CallAttempt]) -> tuple[int, datetime | None]:
    """The ring budget of the <Dial> path, from all of a call's attempts: the first group that
    counts, and when it started ringing. The phones we tried to place while the caller heard
    the greeting (a ``leg_sid``: none could be called, so the caller is rung after it) do not
    count: the <Dial> gets the whole budget."""
    early = max((a.group for a in attempts if a.leg_sid), default=0)
    counted = sorted((a for a in attempts if a.group > early), key=lambda a: a.order)
    return early + 1, counted[0].started_at if counted else None


def find_attempt(call_id: UUID, order: int) -> CallAttempt | None:
    return attempts_of(call_id).filter(order=order).first()


def attempts_of(call_id: UUID) -> QuerySet[CallAttempt]:
    """A call's attempts, each with its call (line, motive) and its local."""
    return CallAttempt.objects.select_related(
        "call__line", "call__motive", "call__community", "ambassador", "advisor__user"
    ).filter(call__public_id=call_id)


@voice_webhook
def whisper(request: HttpRequest, call_id: UUID, order: int) -> HttpResponse:
    """Played to the local who picked up, before the caller is connected: press 1 to accept.
    Several phones of a ring group may hear it at once; the first 1 wins (whisper_answer)."""
    attempt = find_attempt(call_id, order)
    if attempt is None or attempt.outcome != AttemptOutcome.RINGING:
        return let_go(attempt)
    response = VoiceResponse()
    call = attempt.call
    action = reverse("calls:voice-whisper-answer", args=[call.public_id, order])
    if request.GET.get("queued"):
        action += "?queued=1"
        # Picked up: a staggered group adds no phone while this local listens.
        CallAttempt.objects.filter(pk=attempt.pk, picked_up_at__isnull=True).update(
            picked_up_at=timezone.now()
        )
    gather = response.gather(num_digits=1, action=action, method="POST", timeout=8)
    local = responder_of(attempt)
    language = local.language if local else "en"
    with translation.override(language):  # the caller's details, in the local's words
        details = {
            "spoken": language_name(call.language or "en"),
            "motive": motive_name(call.motive)
            if call.motive
            else prompt(language, "whisper_any_motive")[0],
        }
        community = community_name(call.community) if call.community else ""
    if community:  # the caller asked for a community: the local hears it first
        say(gather, language, "whisper_community", community=community)
    say(gather, language, "whisper", **details)
    response.hangup()  # no key: voicemail or nobody; never connect the caller to that
    return twiml(response)


def let_go(attempt: CallAttempt | None) -> HttpResponse:
    """A local whose phone the call no longer needs: told kindly when another local took it
    (a ring group), then hung up. Only TwiML that ends without <Hangup> bridges the caller."""
    response = VoiceResponse()
    if attempt is not None and attempt.outcome == AttemptOutcome.RELEASED:
        local = responder_of(attempt)
        say(response, local.language if local else "en", "whisper_taken")
    response.hangup()
    return twiml(response)


@voice_webhook
def whisper_answer(request: HttpRequest, call_id: UUID, order: int) -> HttpResponse:
    attempt = find_attempt(call_id, order)
    if attempt is not None and CallRequest.parse(request).digits == "1":
        if services.attempt_accept(attempt):
            if request.GET.get("queued"):  # a call we placed: it dials the caller's queue
                early.group_release(attempt.call)
                return queue.bridge(attempt.call, order)
            return twiml(VoiceResponse())  # an empty response: the legs are bridged
    elif attempt is not None:
        services.attempt_resolve(attempt, AttemptOutcome.DECLINED)
    return let_go(attempt)


@voice_webhook
def dial_done(request: HttpRequest, call_id: UUID, order: int) -> HttpResponse:
    """The <Dial> of a ring group ended (``order``: any of its attempts, the first in our
    TwiML): the conversation is over, or we ring the next group."""
    attempts = list(attempts_of(call_id))  # this one and the rest of the call's, one query
    attempt = next((a for a in attempts if a.order == order), None)
    if attempt is None:
        return goodbye("en", "lost")
    call = attempt.call
    group = [a for a in attempts if a.group >= attempt.group]
    mine = [a for a in group if a.group == attempt.group]
    for a in mine:
        a.call = call
    result = DialResult.parse(request)
    accepted = services.group_finish_dial(mine, dial_status=result.status, duration=result.duration)
    if accepted is None:  # otherwise it is over: no need to read the status back
        call.refresh_from_db(fields=["status"])
    if accepted is not None or call.status in FINAL_CALL_STATUSES:
        response = VoiceResponse()  # talked, or the caller is gone: nobody else rings
        response.hangup()
        return twiml(response)
    later = [a for a in group if a.group > attempt.group and a.outcome == AttemptOutcome.RINGING]
    if later:  # a retried callback: we already moved on
        return dial(call, [a for a in later if a.group == later[0].group], first=False)
    if any(a.group > attempt.group for a in group):  # moved on, and that group is over too
        response = VoiceResponse()
        response.hangup()
        return twiml(response)
    budget_from, first_ring = dial_budget(attempts)
    return route(
        call,
        attempts=max(a.order for a in mine),
        group=attempt.group + 1,
        first_ring=first_ring,
        budget_from=budget_from,
    )


@twilio_webhook()
def leg_status(request: HttpRequest, call_id: UUID, order: int) -> HttpResponse:
    """One phone of a ring group stopped ringing (the <Number>'s status callback): busy,
    no answer, voicemail, or hung up by Twilio because another phone took the call."""
    attempt = find_attempt(call_id, order)
    params = CallRequest.parse(request)
    if attempt is not None and params.call_status and request.GET.get("queued"):
        early.leg_over(attempt, leg_status=params.call_status)  # may ring the next group
    elif attempt is not None and params.call_status:
        services.leg_finish(attempt, leg_status=params.call_status)
    return twiml(VoiceResponse())


@twilio_webhook()
def recording(request: HttpRequest) -> HttpResponse:
    """A recording is ready: keep its reference, text the caller a replay link (once)."""
    result = RecordingResult.parse(request)
    call = Call.objects.filter(sid=result.call_sid).first() if result.call_sid else None
    if (
        call is not None
        and call.line.records_calls
        and result.recording_sid
        and result.url
        and result.completed
    ):
        recordings.recording_store(
            call=call, sid=result.recording_sid, url=result.url, duration=result.duration
        )
    return twiml(VoiceResponse())


@twilio_webhook()
def status(request: HttpRequest) -> HttpResponse:
    """Call status callbacks: unknown, late or repeated ones change nothing wrongly."""
    params = CallRequest.parse(request)
    final = {"completed", "busy", "failed", "no-answer", "canceled"}
    if params.call_sid and params.call_status in final:
        services.call_hung_up_by_sid(params.call_sid, duration=params.call_duration)
    return twiml(VoiceResponse())
