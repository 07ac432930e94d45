"""/calls/simulator/: staff rehearse the line without a Twilio account.

The page plays Twilio's part through :mod:`calls.engine`. Each step is a signed webhook sent
through Django's full request stack in-process (so it works whatever PUBLIC_BASE_URL says), and
is checked exactly like a request from Twilio.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.test import Client
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ambassadors.models import Ambassador
from concierge.models import Membership, Role

from ..models import Call, PhoneLine
from ..twilio.webhooks import sign
from .engine import Phone

SESSION_KEY = "calls.simulator"
View = Callable[..., HttpResponse]
KEYS = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "0"]


def signed_post(path: str, params: dict[str, str]) -> str:
    host = settings.PUBLIC_BASE_URL.split("://", 1)[1]
    secure = settings.PUBLIC_BASE_URL.startswith("https://")
    client = Client(
        HTTP_HOST=host,
        headers={"X-Twilio-Signature": sign(settings.PUBLIC_BASE_URL + path, params)},
    )
    response = client.post(path, params, secure=secure)
    return response.content.decode()


class DialForm(forms.Form):
    line = forms.ModelChoiceField(
        label=gettext_lazy("Line"),
        queryset=PhoneLine.objects.filter(is_active=True),
        empty_label=None,
    )
    caller = forms.CharField(
        label=gettext_lazy("Caller's number"),
        initial="+4915112345678",
        help_text=gettext_lazy(
            "Its country code chooses the default language (+49 German, +44 English…)."
        ),
    )


def _phone(request: HttpRequest) -> Phone | None:
    data = request.session.get(SESSION_KEY)
    return Phone.from_dict(signed_post, data) if data else None


def _keep(request: HttpRequest, phone: Phone | None) -> None:
    if phone is None:
        request.session.pop(SESSION_KEY, None)
    else:
        request.session[SESSION_KEY] = phone.to_dict()


def rehearser_required(view: View) -> View:
    """Staff, and the coordinators and managers of tourist offices (who rehearse what their
    advisors on duty will live), may use the simulators; others are sent to log in."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if user.is_authenticated and (
            user.is_staff
            or Membership.objects.filter(
                user=user, role__in=[Role.COORDINATOR, Role.MANAGER]
            ).exists()
        ):
            return view(request, *args, **kwargs)
        return redirect_to_login(request.get_full_path())

    return wrapper


@rehearser_required
def simulator(request: HttpRequest) -> HttpResponse:
    phone = _phone(request)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "dial":
            form = DialForm(request.POST)
            if not form.is_valid():
                return render(request, "calls/simulator.html", {"form": form, "phone": phone})
            phone = Phone(
                post=signed_post,
                to=form.cleaned_data["line"].number.as_e164,
                from_=form.cleaned_data["caller"].strip(),
            ).dial()
        elif phone is not None:
            phone = _act(phone, action, request.POST)
        _keep(request, phone)
        return redirect("calls:simulator")
    return render(request, "calls/simulator.html", _context(phone))


def _act(phone: Phone, action: str, data: QueryDict) -> Phone | None:
    if action == "reset":
        return None
    if phone.state == "menu" and action in KEYS:
        return phone.press(action)
    if phone.state == "menu" and action == "wait":
        return phone.wait()
    if phone.state == "ringing":
        moves = {
            "accept": lambda: phone.answer("1"),
            "decline": lambda: phone.answer("2"),
            "voicemail": lambda: phone.answer(""),
            "no_answer": phone.no_answer,
            "busy": phone.busy,
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


def _context(phone: Phone | None) -> dict[str, object]:
    ringing_who = None
    if phone and phone.ringing:
        # Staff see the pseudonym, as a tourist would hear it: never the number.
        ambassador = Ambassador.objects.filter(phone_number=phone.ringing.number).first()
        advisor = (
            Membership.objects.filter(phone_number=phone.ringing.number)
            .select_related("user", "office")
            .first()
        )
        if ambassador is not None:
            ringing_who = ambassador.display_name
        elif advisor is not None:
            ringing_who = _("%(name)s, advisor on duty at %(office)s") % {
                "name": advisor.user.first_name or advisor.user.email.split("@")[0],
                "office": advisor.office,
            }
        else:
            ringing_who = "?"
    call = Call.objects.filter(sid=phone.sid).select_related("responder").first() if phone else None
    return {
        "form": DialForm(),
        "phone": phone,
        "keys": KEYS,
        "ringing_who": ringing_who,
        "call": call,
    }
