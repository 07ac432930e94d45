from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ambassadors.views.common import AmbassadorRequest, ambassador_view
from concierge.lib.telephony import TelephonyError, get_backend

from ..countries import country_name
from ..local_access import LocalRequest, local_view
from ..models import Call
from ..responders import from_ambassador
from . import recordings, reports
from .selectors import calls_answered_by


def duration_text(seconds: int | None) -> str:
    return "—" if seconds is None else f"{seconds // 60}:{seconds % 60:02d}"


@dataclass(frozen=True)
class CallRow:
    """One line of an ambassador's call history, as the page shows it."""

    call: Call
    country: str
    length: str
    #: Volunteers report abusive calls they answered; an office's advisors tell their office.
    reportable: bool


@local_view
def history(request: LocalRequest) -> HttpResponse:
    """The calls a local answered (as a volunteer or an advisor on duty): when, how long, from
    which country, about what."""
    page = Paginator(calls_answered_by(request.responders), 20).get_page(request.GET.get("page"))
    rows = [
        CallRow(
            call=call,
            country=country_name(call.caller_country),
            length=duration_text(call.duration),
            reportable=call.responder_id is not None,
        )
        for call in page.object_list
    ]
    return render(request, "calls/history.html", {"page": page, "rows": rows})


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("What happened?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=gettext_lazy("Our team reads every report and can block the caller."),
    )


@ambassador_view(onboarded=False)
def report(request: AmbassadorRequest, call_id: UUID) -> HttpResponse:
    ambassador = request.ambassador
    call = get_object_or_404(calls_answered_by([from_ambassador(ambassador)]), public_id=call_id)
    form = ReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            reports.call_report(call=call, ambassador=ambassador, **form.cleaned_data)
        except reports.ReportError as error:
            form.add_error("reason", str(error))
        else:
            messages.success(request, _("Thank you. The team will look at this call."))
            return redirect("calls:history")
    return render(request, "calls/report.html", {"form": form, "call": call})


def replay(request: HttpRequest, token: str) -> HttpResponse:
    """The tourist's private replay page: the link itself is the key, and it expires."""
    recording = recordings.recording_from_token(token)
    if recording is None:
        return render(request, "calls/replay_gone.html", status=404)
    return render(request, "calls/replay.html", {"recording": recording, "token": token})


def replay_audio(request: HttpRequest, token: str) -> HttpResponse:
    recording = recordings.recording_from_token(token)
    if recording is None:
        raise Http404
    try:
        audio, content_type = get_backend().fetch_recording(sid=recording.sid, url=recording.url)
    except TelephonyError:
        return render(request, "calls/replay_gone.html", status=502)
    response = HttpResponse(audio, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response
