"""Weekly availability (also onboarding step 4), the immediate switch and the pause.

One editor serves two pages: /portal/availability/ and onboarding step 4. With htmx, adding or
removing a slot swaps the ``#availability`` block (status, week, forms) in place; without
JavaScript the same forms POST and redirect.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from concierge.lib.timezones import local_now, local_today

from .. import services
from ..forms import PauseForm, SlotForm, add_service_error
from ..models import MINUTES_PER_DAY, Ambassador, AvailabilitySlot, Weekday
from ..selectors import OnboardingStep, ambassador_status, onboarding_next_step
from .common import AmbassadorRequest, ambassador_view
from .onboarding import step_context

EDITOR_URL = "ambassadors:availability"
ONBOARDING_URL = "ambassadors:onboarding-availability"


# The weekly overview: one 24-hour bar per day, filled where the ambassador takes calls.


@dataclass(frozen=True)
class Segment:
    # CSS percentages, formatted here: a French page would print "12,5" in a template.
    left: str
    width: str


@dataclass
class Day:
    weekday: int
    label: str
    is_today: bool
    slots: list[AvailabilitySlot] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)


def _percent(minutes: int) -> str:
    return f"{minutes * 100 / MINUTES_PER_DAY:.3f}%"


def _day_pieces(start: int, end: int) -> Iterator[tuple[int, int, int]]:
    """Cut a span of week minutes at each midnight: (weekday, first minute, last minute) per day.
    A slot running past Sunday midnight wraps to Monday, as it does on the phone line."""
    while start < end:
        day = start // MINUTES_PER_DAY
        piece_end = min(end, (day + 1) * MINUTES_PER_DAY)
        offset = day * MINUTES_PER_DAY
        yield day % 7, start - offset, piece_end - offset
        start = piece_end


def week_overview(slots: Iterable[AvailabilitySlot], *, now: datetime) -> list[Day]:
    days = [
        Day(weekday=value, label=str(label), is_today=value == now.weekday())
        for value, label in Weekday.choices
    ]
    for slot in slots:
        days[slot.weekday].slots.append(slot)
        for weekday, first, last in _day_pieces(slot.start_minute, slot.end_minute):
            days[weekday].segments.append(Segment(_percent(first), _percent(last - first)))
    return days


def weekly_minutes(slots: Iterable[AvailabilitySlot]) -> int:
    # Slots never overlap (the service refuses it), so their lengths simply add up.
    return sum(slot.end_minute - slot.start_minute for slot in slots)


# The editor


def _editor_url(onboarding: bool) -> str:
    return reverse(ONBOARDING_URL if onboarding else EDITOR_URL)


def _pause_form() -> PauseForm:
    # The browser's date picker offers only the dates the service accepts.
    form = PauseForm()
    today = local_today()
    form.fields["until"].widget.attrs.update(
        min=(today + timedelta(days=1)).isoformat(),
        max=(today + timedelta(days=services.MAX_PAUSE_DAYS)).isoformat(),
    )
    return form


def _render_editor(
    request: AmbassadorRequest, *, onboarding: bool, form: SlotForm | None = None
) -> HttpResponse:
    ambassador: Ambassador = request.ambassador
    now = local_now()
    slots = list(ambassador.availability_slots.all())
    context = {
        "form": form or SlotForm(),
        "week": week_overview(slots, now=now),
        "now_left": _percent(now.hour * 60 + now.minute),
        "weekly_hours": weekly_minutes(slots) / 60,
        "has_slots": bool(slots),
        "now": now,
        "status": ambassador_status(ambassador),
        "ambassador": ambassador,
        "pause_form": _pause_form(),
        "action": _editor_url(onboarding),
        "onboarding": onboarding,
        **(step_context(OnboardingStep.AVAILABILITY, ambassador) if onboarding else {}),
    }
    template = "ambassadors/_availability.html" if request.htmx else "ambassadors/availability.html"
    return render(request, template, context)


def _editor(request: AmbassadorRequest, *, onboarding: bool) -> HttpResponse:
    if request.method != "POST":
        return _render_editor(request, onboarding=onboarding)
    form = SlotForm(request.POST)
    if form.is_valid():
        try:
            slot = services.slot_create(ambassador=request.ambassador, **form.cleaned_data)
        except services.AmbassadorError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Slot added: %(slot)s.") % {"slot": slot})
            if not request.htmx:
                return redirect(_editor_url(onboarding))
            return _render_editor(request, onboarding=onboarding)  # an empty form, for the next
    return _render_editor(request, onboarding=onboarding, form=form)


def _finish(request: AmbassadorRequest) -> HttpResponse:
    step = onboarding_next_step(request.ambassador)
    if step is OnboardingStep.AVAILABILITY or not request.ambassador.availability_slots.exists():
        messages.error(request, _("Add at least one slot so that we know when to call you."))
        return redirect(ONBOARDING_URL)
    if step is not None:
        # Reached step 4 by its address with an earlier step still to do.
        messages.warning(request, _("One more step before you can take calls."))
        return redirect(f"ambassadors:onboarding-{step}")
    messages.success(
        request, _("Welcome aboard! You will receive calls during the hours you chose.")
    )
    return redirect("ambassadors:dashboard")


@ambassador_view(onboarded=False)
def onboarding(request: AmbassadorRequest) -> HttpResponse:
    if request.method == "POST" and "finish" in request.POST:
        return _finish(request)
    return _editor(request, onboarding=True)


@ambassador_view()
def editor(request: AmbassadorRequest) -> HttpResponse:
    return _editor(request, onboarding=False)


# One slot. Both views are reachable from onboarding step 4, hence ``onboarded=False``.


def _own_slot(request: AmbassadorRequest, slot_id: UUID) -> AvailabilitySlot:
    # Another ambassador's slot is indistinguishable from one that does not exist.
    return get_object_or_404(AvailabilitySlot, public_id=slot_id, ambassador=request.ambassador)


def _safe_next(request: AmbassadorRequest) -> str | None:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def _back(request: AmbassadorRequest) -> str:
    return _safe_next(request) or reverse(EDITOR_URL)


@ambassador_view(onboarded=False)
def slot_edit(request: AmbassadorRequest, slot_id: UUID) -> HttpResponse:
    slot = _own_slot(request, slot_id)
    initial = {"weekday": slot.weekday, "start": slot.start, "end": slot.end}
    form = SlotForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.slot_update(slot=slot, **form.cleaned_data)
        except services.AmbassadorError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Slot changed: %(slot)s.") % {"slot": slot})
            return redirect(_back(request))
    context = {"form": form, "slot": slot, "back": _back(request)}
    return render(request, "ambassadors/slot_edit.html", context)


@require_http_methods(["GET", "POST"])
@ambassador_view(onboarded=False)
def slot_delete(request: AmbassadorRequest, slot_id: UUID) -> HttpResponse:
    """GET asks for confirmation (without JavaScript); POST removes. htmx asks in the browser
    (hx-confirm) and POSTs straight away."""
    slot = _own_slot(request, slot_id)
    back = _back(request)
    if request.method != "POST":
        return render(request, "ambassadors/slot_delete.html", {"slot": slot, "back": back})
    label = str(slot)
    services.slot_delete(slot=slot)
    messages.success(request, _("Slot removed: %(slot)s.") % {"slot": label})
    if request.htmx:
        return _render_editor(request, onboarding=back == reverse(ONBOARDING_URL))
    return redirect(back)


# The switch and the pause


@require_POST
@ambassador_view()
def switch(request: AmbassadorRequest) -> HttpResponse:
    # Only the two values our forms send: anything else must not silently switch calls off.
    value = request.POST.get("accepting")
    if value not in ("on", "off"):
        return HttpResponseBadRequest(_("Say whether to switch calls on or off."))
    accepting = value == "on"
    services.ambassador_set_accepting(ambassador=request.ambassador, accepting=accepting)
    if accepting:
        messages.success(request, _("You are taking calls again during your hours."))
    else:
        messages.success(request, _("Calls are switched off. Switch them on whenever you like."))
    return redirect(_back(request))


@require_POST
@ambassador_view()
def pause(request: AmbassadorRequest) -> HttpResponse:
    form = PauseForm(request.POST)
    if form.is_valid():
        try:
            services.ambassador_pause(ambassador=request.ambassador, **form.cleaned_data)
        except services.AmbassadorError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Paused. Calls resume on %(date)s.")
                % {"date": date_format(form.cleaned_data["until"], "DATE_FORMAT")},
            )
            return redirect(EDITOR_URL)
    # The pause form sits on the editor page: its errors travel there as messages, named.
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else _("Pause")
        for message in errors:
            messages.error(request, _("%(field)s: %(error)s") % {"field": label, "error": message})
    return redirect(EDITOR_URL)


@require_POST
@ambassador_view()
def unpause(request: AmbassadorRequest) -> HttpResponse:
    services.ambassador_unpause(ambassador=request.ambassador)
    messages.success(request, _("Welcome back: you are taking calls again during your hours."))
    return redirect(_back(request))
