"""Weekly availability (also onboarding step 4), the immediate switch and the pause."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from concierge.lib.timezones import local_now

from .. import services
from ..forms import PauseForm, SlotForm, add_service_error
from ..models import AvailabilitySlot, Weekday
from ..selectors import OnboardingStep, ambassador_status
from .common import AmbassadorRequest, ambassador_view
from .onboarding import step_context


def _week(ambassador) -> list[tuple[str, list[AvailabilitySlot]]]:  # type: ignore[no-untyped-def]
    slots = list(ambassador.availability_slots.all())
    return [
        (label, [slot for slot in slots if slot.weekday == day]) for day, label in Weekday.choices
    ]


def _render_editor(
    request: AmbassadorRequest, *, form: SlotForm | None = None, onboarding: bool = False
) -> HttpResponse:
    ambassador = request.ambassador
    context = {
        "form": form or SlotForm(),
        "week": _week(ambassador),
        "has_slots": ambassador.availability_slots.exists(),
        "now": local_now(),
        "status": ambassador_status(ambassador),
        "pause_form": PauseForm(),
        "action": request.path,
        **(step_context(OnboardingStep.AVAILABILITY) if onboarding else {}),
    }
    template = "ambassadors/_slots.html" if request.htmx else "ambassadors/availability.html"
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
                return redirect(request.path)
            form = SlotForm()
    return _render_editor(request, form=form, onboarding=onboarding)


@ambassador_view(onboarded=False)
def onboarding(request: AmbassadorRequest) -> HttpResponse:
    if request.method == "POST" and "finish" in request.POST:
        if not request.ambassador.availability_slots.exists():
            messages.error(request, _("Add at least one slot so that we know when to call you."))
            return redirect(request.path)
        messages.success(
            request, _("Welcome aboard! You will receive calls during the hours you chose.")
        )
        return redirect("ambassadors:dashboard")
    return _editor(request, onboarding=True)


@ambassador_view()
def editor(request: AmbassadorRequest) -> HttpResponse:
    return _editor(request, onboarding=False)


def _own_slot(request: AmbassadorRequest, slot_id: UUID) -> AvailabilitySlot:
    return get_object_or_404(AvailabilitySlot, public_id=slot_id, ambassador=request.ambassador)


@ambassador_view()
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
            return redirect("ambassadors:availability")
    return render(request, "ambassadors/slot_edit.html", {"form": form, "slot": slot})


@require_POST
@ambassador_view(onboarded=False)
def slot_delete(request: AmbassadorRequest, slot_id: UUID) -> HttpResponse:
    slot = _own_slot(request, slot_id)
    label = str(slot)
    services.slot_delete(slot=slot)
    messages.success(request, _("Slot removed: %(slot)s.") % {"slot": label})
    back = _safe_next(request)
    if request.htmx:
        return _render_editor(request, onboarding=back is not None and "onboarding" in back)
    return redirect(back or "ambassadors:availability")


def _safe_next(request: AmbassadorRequest) -> str | None:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


@require_POST
@ambassador_view()
def switch(request: AmbassadorRequest) -> HttpResponse:
    accepting = request.POST.get("accepting") == "on"
    services.ambassador_set_accepting(ambassador=request.ambassador, accepting=accepting)
    if accepting:
        messages.success(request, _("You are taking calls again during your hours."))
    else:
        messages.success(request, _("Calls are switched off. Switch them on whenever you like."))
    return redirect(_safe_next(request) or "ambassadors:availability")


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
            return redirect("ambassadors:availability")
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect("ambassadors:availability")


@require_POST
@ambassador_view()
def unpause(request: AmbassadorRequest) -> HttpResponse:
    services.ambassador_unpause(ambassador=request.ambassador)
    messages.success(request, _("Welcome back: you are taking calls again during your hours."))
    return redirect(_safe_next(request) or "ambassadors:availability")
