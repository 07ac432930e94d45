"""/calls/simulator/: rehearse the line without a phone.

The page plays Twilio's part through :mod:`calls.simulator.engine`. Each step is a webhook sent
through Django's full request stack in-process (so it works whatever PUBLIC_BASE_URL says),
signed as a rehearsal (:mod:`calls.simulator.rehearsal`): the call is marked as one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Count, Min, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ambassadors.models import Ambassador
from concierge.models import Membership, User

from ..copy import human_number
from ..models import Call, PhoneLine
from .engine import Phone
from .rehearsal import lines_to_rehearse, rehearser_required, signed_post

SESSION_KEY = "calls.simulator"
KEYS = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "0"]
RECENT_REHEARSALS = 10


class DialForm(forms.Form):
    line = forms.ModelChoiceField(
        label=gettext_lazy("Line"),
        queryset=PhoneLine.objects.none(),
        empty_label=None,
    )
    caller = forms.CharField(
        label=gettext_lazy("Caller's number"),
        initial="+4915112345678",
        help_text=gettext_lazy(
            "Its country code chooses the default language (+49 German, +44 English…)."
        ),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = lines_to_rehearse(user)  # type: ignore[attr-defined]


def _phone(request: HttpRequest) -> Phone | None:
    data = request.session.get(SESSION_KEY)
    return Phone.from_dict(signed_post, data) if data else None


def _keep(request: HttpRequest, phone: Phone | None) -> None:
    if phone is None:
        request.session.pop(SESSION_KEY, None)
    else:
        request.session[SESSION_KEY] = phone.to_dict()


@rehearser_required
def simulator(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]  # logged in: rehearser_required
    phone = _phone(request)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "dial":
            form = DialForm(request.POST, user=user)
            if not form.is_valid():
                return render(
                    request, "calls/simulator.html", _context(phone, form=form, user=user)
                )
            phone = Phone(
                post=signed_post,
                to=form.cleaned_data["line"].number.as_e164,
                from_=form.cleaned_data["caller"].strip(),
            ).dial()
        elif phone is not None and not lines_to_rehearse(user).filter(number=phone.to).exists():
            messages.error(request, _("This line is no longer open to your rehearsals."))
            phone = None
        elif phone is not None:
            phone = _act(phone, action, request.POST)
        _keep(request, phone)
        return redirect("calls:simulator")
    return render(
        request, "calls/simulator.html", _context(phone, form=DialForm(user=user), user=user)
    )


def _act(phone: Phone, action: str, data: QueryDict) -> Phone | None:
    if action == "reset":
        return None
    if phone.state == "menu" and action in KEYS:
        return phone.press(action)
    if phone.state == "menu" and action == "wait":
        return phone.wait()
    if action == "say" and phone.listens:
        return phone.speak(data.get("words", "")[:300], _confidence(data.get("confidence", "")))
    if phone.state == "ringing":
        # Which phone of the ring group acts ("leg": its place, the first by default).
        legs = phone.legs
        index = small_index(data.get("leg", "0"), below=len(legs))
        number = legs[index].number
        moves: dict[str, Callable[[], Phone]] = {
            "accept": lambda: phone.answer("1", number),
            "decline": lambda: phone.answer("2", number),
            "voicemail": lambda: phone.answer("", number),
            "busy": lambda: phone.busy(number),
            "no_answer": phone.no_answer,  # nobody picks up: every phone rings out
        }
        if action in moves:
            return moves[action]()
    if action == "hang_up" and phone.state in ("connected", "menu", "ringing"):
        try:
            seconds = max(0, min(int(data.get("seconds", "60")), 4 * 3600))
        except ValueError:
            seconds = 60
        return phone.hang_up(after=seconds)
    return phone


def small_index(value: str, *, below: int) -> int:
    try:
        index = int(value)
    except ValueError:
        return 0
    return index if 0 <= index < below else 0


def _confidence(value: str) -> float | None:
    """The confidence the tester gives Twilio's transcription; blank (or nonsense): none, as
    Twilio sometimes sends."""
    try:
        parsed = float(value.strip().replace(",", "."))
    except ValueError:
        return None
    return min(max(parsed, 0.0), 1.0) if parsed == parsed else None  # NaN is not a confidence


@dataclass(frozen=True)
class TranscriptLine:
    kind: str  # "heard" (a prompt), "key" (pressed), "silence", "said" (the caller's words)
    text: str
    confidence: str = ""


def _transcript(lines: list[str]) -> list[TranscriptLine]:
    rows = []
    for line in lines:
        if line == "⌨ —":
            rows.append(TranscriptLine("silence", ""))
        elif line.startswith("⌨ "):
            rows.append(TranscriptLine("key", line[2:]))
        elif line.startswith("🗣 "):
            words, _, confidence = line[2:].rpartition(" (")
            if words and confidence.endswith(")"):
                rows.append(TranscriptLine("said", words, confidence[:-1]))
            else:
                rows.append(TranscriptLine("said", line[2:]))
        else:
            rows.append(TranscriptLine("heard", line))
    return rows


@dataclass(frozen=True)
class RehearsalRow:
    """A rehearsed call and its yardstick: time to a human, time in menus, locals rung."""

    reference: str
    line: str
    received_at: datetime
    status: str
    time_to_human: int | None
    seconds_in_menus: int | None
    rung: int


def _timed(calls: QuerySet[Call]) -> QuerySet[Call]:
    return calls.annotate(rung=Count("attempts"), first_ring=Min("attempts__started_at"))


def _row(call: Call) -> RehearsalRow:
    first_ring: datetime | None = getattr(call, "first_ring", None)
    # The time in menus ends when the first local's phone rings (the first attempt).
    menus = int((first_ring - call.received_at).total_seconds()) if first_ring else None
    return RehearsalRow(
        reference=call.reference,
        line=call.line.label,
        received_at=call.received_at,
        status=call.get_status_display(),
        time_to_human=call.time_to_human,
        seconds_in_menus=menus,
        rung=getattr(call, "rung", 0),
    )


def recent_rehearsals(user: User) -> list[RehearsalRow]:
    """The last rehearsed calls on the lines this person may rehearse on, newest first."""
    calls = Call.objects.filter(is_rehearsal=True, line__in=lines_to_rehearse(user))
    calls = _timed(calls.select_related("line")).order_by("-received_at")
    return [_row(call) for call in calls[:RECENT_REHEARSALS]]


def _who(ambassador: Ambassador | None, advisor: Membership | None) -> str:
    """Who rings or talks, as staff may see them: the volunteer's pseudonym, or the advisor's
    first name and office; never a number."""
    if ambassador is not None:
        return ambassador.display_name
    if advisor is not None:
        name = advisor.user.first_name or advisor.user.email.split("@")[0]
        return _("%(name)s, advisor on duty at %(office)s") % {
            "name": name,
            "office": advisor.office,
        }
    return "?"


def _context(phone: Phone | None, *, form: DialForm, user: User) -> dict[str, object]:
    ringing = []
    if phone and phone.state == "ringing":
        numbers = [leg.number for leg in phone.legs]
        ambassadors = {
            str(a.phone_number): a for a in Ambassador.objects.filter(phone_number__in=numbers)
        }
        advisors = {
            str(m.phone_number): m
            for m in Membership.objects.filter(phone_number__in=numbers).select_related(
                "user", "office"
            )
        }
        ringing = [_who(ambassadors.get(n), advisors.get(n)) for n in numbers]
    call = (
        _timed(Call.objects.filter(sid=phone.sid))
        .select_related("line", "community", "responder", "advisor__user", "advisor__office")
        .first()
        if phone
        else None
    )
    talking_with = _who(call.responder, call.advisor) if call else ""
    return {
        "talking_with": talking_with,
        "timing": _row(call) if call else None,
        "form": form,
        "no_line": not form.fields["line"].queryset.exists(),  # type: ignore[attr-defined]
        "phone": phone,
        "numbers": (human_number(phone.from_), human_number(phone.to)) if phone else None,
        "transcript": _transcript(phone.transcript) if phone else [],
        "keys": KEYS,
        "ringing_who": ", ".join(ringing),
        "ringing": ringing,
        "call": call,
        "rehearsals": recent_rehearsals(user),
    }
