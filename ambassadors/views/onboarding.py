"""Onboarding steps 1–3 (who you are, your mobile, what you like) and the same forms later on."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import services
from ..forms import CodeForm, PhoneForm, PreferencesForm, ProfileForm, add_service_error
from ..models import Ambassador
from ..selectors import OnboardingStep, onboarding_next_step, onboarding_steps_done
from .common import AmbassadorRequest, ambassador_view

STEPS = [
    (OnboardingStep.PROFILE, gettext_lazy("About you")),
    (OnboardingStep.PHONE, gettext_lazy("Your mobile")),
    (OnboardingStep.PREFERENCES, gettext_lazy("Regions and topics")),
    (OnboardingStep.AVAILABILITY, gettext_lazy("Your hours")),
]


def step_context(
    current: OnboardingStep, ambassador: Ambassador | None = None
) -> dict[str, object]:
    """The "Step n of 4" indicator. With ``ambassador``, finished steps become links back, so a
    volunteer can check or change what they saved."""
    done = onboarding_steps_done(ambassador) if ambassador is not None else {}
    order = [step for step, _label in STEPS]
    number = order.index(current) + 1
    steps = [
        {
            "label": label,
            "url": reverse(f"ambassadors:onboarding-{step}"),
            "current": step == current,
            "done": done.get(step, index < number),
        }
        for index, (step, label) in enumerate(STEPS, start=1)
    ]
    previous = steps[number - 2]["url"] if number > 1 else None
    return {
        "onboarding": True,
        "step_number": number,
        "step_count": len(STEPS),
        "steps": steps,
        "previous_step_url": previous,
    }


def _next_url(ambassador: Ambassador) -> str:
    step = onboarding_next_step(ambassador)
    return reverse(f"ambassadors:onboarding-{step}" if step else "ambassadors:dashboard")


def _after_step(ambassador: Ambassador, *, editing: bool) -> HttpResponse:
    return redirect("ambassadors:dashboard" if editing else _next_url(ambassador))


@ambassador_view(onboarded=False)
def start(request: AmbassadorRequest) -> HttpResponse:
    return _after_step(request.ambassador, editing=False)


# Step 1


def _profile(request: AmbassadorRequest, *, editing: bool) -> HttpResponse:
    ambassador = request.ambassador
    form = ProfileForm(
        request.POST if request.method == "POST" else None,
        initial={
            "display_name": ambassador.display_name,
            "date_of_birth": ambassador.date_of_birth,
            "languages": list(ambassador.languages.values_list("language", flat=True)) or ["en"],
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.ambassador_update_profile(ambassador=ambassador, **form.cleaned_data)
        except services.AmbassadorError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Your profile is saved."))
            return _after_step(ambassador, editing=editing)
    context = {
        "form": form,
        **({} if editing else step_context(OnboardingStep.PROFILE, ambassador)),
    }
    return render(request, "ambassadors/profile.html", context)


@ambassador_view(onboarded=False)
def profile(request: AmbassadorRequest) -> HttpResponse:
    return _profile(request, editing=False)


@ambassador_view()
def profile_edit(request: AmbassadorRequest) -> HttpResponse:
    return _profile(request, editing=True)


# Step 2


def _phone(request: AmbassadorRequest, *, editing: bool) -> HttpResponse:
    ambassador = request.ambassador
    confirm_url = "ambassadors:phone-confirm" if editing else "ambassadors:onboarding-phone-confirm"
    form = PhoneForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.phone_verification_start(
                ambassador=ambassador, phone_number=form.cleaned_data["phone_number"]
            )
        except services.AmbassadorError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("We sent you a text message with a 6-digit code."))
            return redirect(confirm_url)
    context = {
        "form": form,
        "pending": services.pending_verification(ambassador),
        "confirm_url": confirm_url,
        # Coming back to a finished step 2: the verified number is shown, with a way on.
        "continue_url": None if editing or not ambassador.phone_verified else _next_url(ambassador),
        **({} if editing else step_context(OnboardingStep.PHONE, ambassador)),
    }
    return render(request, "ambassadors/phone.html", context)


def _phone_confirm(request: AmbassadorRequest, *, editing: bool) -> HttpResponse:
    ambassador = request.ambassador
    phone_url = "ambassadors:phone" if editing else "ambassadors:onboarding-phone"
    pending = services.pending_verification(ambassador)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and "resend" in request.POST:
        form = CodeForm()
        if pending is None:
            return redirect(phone_url)
        try:
            services.phone_verification_start(
                ambassador=ambassador, phone_number=pending.phone_number
            )
        except services.AmbassadorError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("A new code is on its way."))
        return redirect(request.path)
    if request.method == "POST" and form.is_valid():
        try:
            services.phone_verification_confirm(
                ambassador=ambassador, code=form.cleaned_data["code"]
            )
        except services.AmbassadorError as error:
            add_service_error(form, error)
            pending = services.pending_verification(ambassador)
        else:
            messages.success(request, _("Your mobile number is verified."))
            return _after_step(ambassador, editing=editing)
    context = {
        "form": form,
        "pending": pending,
        "phone_url": phone_url,
        **({} if editing else step_context(OnboardingStep.PHONE, ambassador)),
    }
    return render(request, "ambassadors/phone_confirm.html", context)


@ambassador_view(onboarded=False)
def phone(request: AmbassadorRequest) -> HttpResponse:
    return _phone(request, editing=False)


@ambassador_view(onboarded=False)
def phone_confirm(request: AmbassadorRequest) -> HttpResponse:
    return _phone_confirm(request, editing=False)


@ambassador_view()
def phone_edit(request: AmbassadorRequest) -> HttpResponse:
    return _phone(request, editing=True)


@ambassador_view()
def phone_confirm_edit(request: AmbassadorRequest) -> HttpResponse:
    return _phone_confirm(request, editing=True)


# Step 3


def _preferences(request: AmbassadorRequest, *, editing: bool) -> HttpResponse:
    ambassador = request.ambassador
    form = PreferencesForm(
        request.POST if request.method == "POST" else None,
        initial={
            "any_region": ambassador.any_region,
            "regions": ambassador.regions.all(),
            "any_motive": ambassador.any_motive,
            "motives": ambassador.motives.all(),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.ambassador_set_preferences(ambassador=ambassador, **form.cleaned_data)
        except services.AmbassadorError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Your regions and topics are saved."))
            return _after_step(ambassador, editing=editing)
    context = {
        "form": form,
        **({} if editing else step_context(OnboardingStep.PREFERENCES, ambassador)),
    }
    return render(request, "ambassadors/preferences.html", context)


@ambassador_view(onboarded=False)
def preferences(request: AmbassadorRequest) -> HttpResponse:
    return _preferences(request, editing=False)


@ambassador_view()
def preferences_edit(request: AmbassadorRequest) -> HttpResponse:
    return _preferences(request, editing=True)
