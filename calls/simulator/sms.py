"""/calls/simulator/sms/: rehearse a text conversation, a tourist's phone beside a local's.

Every text typed here is a webhook to /calls/sms/incoming/, sent through Django's whole request
stack as Twilio would send it (an SMS, or a WhatsApp message when the tourist's phone is set to
WhatsApp: ``whatsapp:`` addresses, photos too) but signed as a rehearsal: it only ever reaches
rehearsal conversations. Each phone shows the rehearsal texts stored for its number on that line
(never a real tourist's), whatever the telephony backend. The local appears by pseudonym only.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ambassadors.models import Ambassador
from concierge.models import Membership, Role, User

from ..copy import TOURIST_LANGUAGES
from ..countries import country_of, guess_language
from ..models import (
    Conversation,
    ConversationChannel,
    ConversationStatus,
    Message,
    MessageAuthor,
    PhoneLine,
    address_on,
    channel_of,
)
from ..responders import Responder, ResponderKind, from_advisor, from_ambassador, responder_of
from ..sms.outbox import MAX_REPLY
from ..sms.selectors import writer_name
from ..sms.sweep import conversations_sweep
from ..webchat.services import ChatError
from . import webchat
from .rehearsal import lines_to_rehearse, rehearser_required, signed_post

SESSION_KEY = "calls.simulator.sms"
DEFAULT_TOURIST = "+4915112345678"


def local_choices(user: User) -> list[tuple[str, str]]:
    """The phones a rehearser may play: volunteers by pseudonym, and the advisors of their
    networks (every network's, for staff) by name; never a number."""
    volunteers = Ambassador.objects.filter(phone_verified_at__isnull=False).order_by("display_name")
    advisors = Membership.objects.filter(
        role=Role.ADVISOR, phone_verified_at__isnull=False, phone_number__isnull=False
    ).select_related("user", "office")
    if not user.is_staff:
        advisors = advisors.filter(network__members__user=user).distinct()
    choices = [("", str(_("The tourist's local")))]
    choices += [(str(a.pk), a.display_name) for a in volunteers]  # as before advisors came
    choices += [
        (f"advisor:{m.pk}", _advisor_label(m)) for m in advisors.order_by("office__name", "pk")
    ]
    return choices


def _advisor_label(advisor: Membership) -> str:
    name = advisor.user.get_full_name() or advisor.user.email.split("@")[0]
    office = advisor.office.name if advisor.office else ""
    return str(_("%(name)s, advisor (%(office)s)") % {"name": name, "office": office})


def local_named(choice: object) -> Responder | None:
    """The responder a stored choice names, if still there: a volunteer by id ("12"), an
    advisor by "advisor:3"."""
    kind, _sep, pk = str(choice or "").rpartition(":")
    if not pk.isdigit():
        return None
    if kind in ("", ResponderKind.AMBASSADOR):
        ambassador = Ambassador.objects.filter(pk=pk).first()
        return from_ambassador(ambassador) if ambassador else None
    if kind == ResponderKind.ADVISOR:
        advisor = Membership.objects.filter(pk=pk).select_related("user").first()
        return from_advisor(advisor) if advisor else None
    return None


def local_name(local: Responder) -> str:
    """How the simulator names the phone: a volunteer's pseudonym, an advisor's first name."""
    if isinstance(local.source, Ambassador):
        return local.source.display_name
    return local.first_name or str(_("The advisor"))


class PhonesForm(forms.Form):
    """Which line, which tourist's phone, which local's phone the page shows."""

    line = forms.ModelChoiceField(
        label=gettext_lazy("Line"),
        queryset=PhoneLine.objects.none(),
        empty_label=None,
    )
    tourist = forms.CharField(
        label=gettext_lazy("Tourist's number"),
        initial=DEFAULT_TOURIST,
        max_length=20,
        help_text=gettext_lazy("Its country code chooses the language (+49 German, +44 English…)."),
    )
    local = forms.ChoiceField(label=gettext_lazy("Local"), required=False)
    channel = forms.ChoiceField(
        label=gettext_lazy("The tourist writes by"),
        # The web chat: a visitor of the line's web chat, played here (calls.simulator.webchat).
        choices=ConversationChannel.choices,
        initial=ConversationChannel.SMS,
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, lines: QuerySet[PhoneLine], user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = lines  # type: ignore[attr-defined]
        self.fields["local"].choices = local_choices(user)  # type: ignore[attr-defined]

    def clean_tourist(self) -> str:
        number = self.cleaned_data["tourist"].replace(" ", "")
        if not (number.startswith("+") and number[1:].isdigit() and 8 <= len(number) <= 16):
            raise forms.ValidationError(_("Write the number in international form, e.g. +49…"))
        return number

    def clean_channel(self) -> str:
        return self.cleaned_data["channel"] or ConversationChannel.SMS


class TextForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Text"),
        max_length=MAX_REPLY,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def text_form(who: str, data: Any = None) -> TextForm:
    """The tourist's or the local's text box: both on one page, so ids of their own (a label
    must name its own box, for a screen reader and for a click on it)."""
    return TextForm(data, auto_id=f"{who}_%s")


@dataclass(frozen=True)
class PhoneLineOfText:
    """One text on a rehearsed phone's screen, and who wrote it."""

    message: Message
    who: str
    mine: bool


def thread(number: str, line: PhoneLine) -> list[PhoneLineOfText]:
    """What one phone sent to the line and received from it in rehearsals, oldest first, each
    with who wrote it: you, the tourist (relayed), a local by first name, or the service.
    ``number`` is the phone's address: on WhatsApp, it talks to the line's WhatsApp address."""
    line_number = address_on(channel_of(number), line.number.as_e164)
    messages = (
        Message.objects.filter(
            Q(from_number=number, to_number=line_number)
            | Q(to_number=number, from_number=line_number),
            is_rehearsal=True,
        )
        .select_related("written_by", "written_by_advisor__user")
        .order_by("created_at", "id")
    )
    lines = []
    for message in messages:
        mine = message.from_number == number
        if mine:
            who = str(_("You"))
        elif message.author == MessageAuthor.TOURIST:
            who = str(_("Tourist"))
        elif message.author == MessageAuthor.LOCAL:
            who = writer_name(message)
        else:
            who = str(MessageAuthor.SYSTEM.label)
        lines.append(PhoneLineOfText(message=message, who=who, mine=mine))
    return lines


def _send(address: str, line: PhoneLine, body: str, *, photo: bool = False) -> None:
    """As Twilio posts it: an SMS, or a WhatsApp message (a photo carries a media URL)."""
    sid = ("MM" if photo else "SM") + uuid.uuid4().hex
    params = {
        "MessageSid": sid,
        "AccountSid": "AC" + "0" * 32,
        "From": address,
        "To": address_on(channel_of(address), line.number.as_e164),
        "Body": body,
        "NumSegments": "1",
        "NumMedia": "1" if photo else "0",
    }
    if photo:
        params["MediaUrl0"] = f"https://api.twilio.com/2010-04-01/Messages/{sid}/Media/ME0"
        params["MediaContentType0"] = "image/jpeg"
    signed_post("/calls/sms/incoming/", params)


@rehearser_required
def simulator_sms(request: HttpRequest) -> HttpResponse:
    lines = lines_to_rehearse(request.user)  # type: ignore[arg-type]  # rehearser_required
    chosen = request.session.get(SESSION_KEY, {})
    phones = PhonesForm(
        request.POST if request.POST.get("action") == "phones" else None,
        initial=chosen,
        lines=lines,
        user=request.user,  # type: ignore[arg-type]  # rehearser_required
    )
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "phones":
            if not phones.is_valid():
                context = _context(chosen, lines, phones=phones)
                return render(request, "calls/simulator_sms.html", context)
            request.session[SESSION_KEY] = {
                "line": phones.cleaned_data["line"].pk,
                "tourist": phones.cleaned_data["tourist"],
                "local": phones.cleaned_data["local"] or None,
                "channel": phones.cleaned_data["channel"],
            }
            return redirect("calls:simulator-sms")
        line, tourist, local = _phones(chosen, lines)
        if line is None:
            messages.error(request, _("Choose a line first."))
            return redirect("calls:simulator-sms")
        if action == "sweep":
            conversations_sweep()
            messages.success(
                request, _("The minute's sweep ran: hand-overs and time-outs are done.")
            )
            return redirect("calls:simulator-sms")
        if action == "photo" and channel_of(tourist) == ConversationChannel.WHATSAPP:
            _send(tourist, line, request.POST.get("body", "")[:MAX_REPLY], photo=True)
            return redirect("calls:simulator-sms")
        who = "tourist" if action == "tourist" else "local"
        text = text_form(who, request.POST)
        if action in ("tourist", "local") and text.is_valid():
            if action == "tourist" and chosen.get("channel") == ConversationChannel.WEB:
                _visitor_writes(request, chosen, line, text.cleaned_data["body"])
            elif action == "tourist":
                _send(tourist, line, text.cleaned_data["body"])
            elif local is not None and local.phone:
                _send(local.phone, line, text.cleaned_data["body"])
            else:
                messages.error(request, _("No local is in this conversation yet."))
            return redirect("calls:simulator-sms")
        context = _context(chosen, lines, phones=phones)
        context[f"{who}_form"] = text
        return render(request, "calls/simulator_sms.html", context)
    return render(request, "calls/simulator_sms.html", _context(chosen, lines, phones=phones))


def _visitor_writes(
    request: HttpRequest, chosen: dict[str, Any], line: PhoneLine, body: str
) -> None:
    """The web visitor's message (a new visitor of the line's web chat for the first one), in
    the language the tourist's number suggests."""
    address = chosen.get("visitor") or ""
    try:
        if not address.startswith("web:") or webchat.visitor_at(address) is None:
            country = country_of(chosen.get("tourist") or DEFAULT_TOURIST)
            language = guess_language(country, list(TOURIST_LANGUAGES))
            address = webchat.new_visitor(line, language)
            request.session[SESSION_KEY] = {**chosen, "visitor": address}
        webchat.visitor_writes(address, body)
    except ChatError as error:
        messages.error(request, webchat.refusal(error))


def _phones(
    chosen: dict[str, Any], lines: QuerySet[PhoneLine]
) -> tuple[PhoneLine | None, str, Responder | None]:
    """The chosen line if it is still one to rehearse on, else the first such; the phones
    (the tourist's as its address on the chosen channel)."""
    line = None
    if chosen.get("line"):
        line = lines.filter(pk=chosen["line"]).first()
    if line is None:
        line = lines.first()
    tourist = address_on(
        chosen.get("channel") or ConversationChannel.SMS, chosen.get("tourist") or DEFAULT_TOURIST
    )
    if chosen.get("channel") == ConversationChannel.WEB:  # the visitor, once they wrote
        tourist = chosen.get("visitor") or ""
    local = None
    if chosen.get("local"):
        local = local_named(chosen["local"])
    elif line is not None:
        conversation = _conversation(line, tourist)
        local = responder_of(conversation) if conversation else None
    return line, tourist, local


def _conversation(line: PhoneLine, tourist: str) -> Conversation | None:
    """The tourist's live rehearsal conversation on the line, else their latest one."""
    theirs = Conversation.objects.filter(
        line=line, tourist_number=tourist, is_rehearsal=True
    ).select_related("responder", "advisor__user", "community")
    live = theirs.exclude(status=ConversationStatus.CLOSED).first()
    return live or theirs.order_by("-opened_at").first()


def _context(chosen: dict, lines: QuerySet[PhoneLine], *, phones: PhonesForm) -> dict[str, object]:
    line, tourist, local = _phones(chosen, lines)
    conversation = _conversation(line, tourist) if line and tourist else None
    web = chosen.get("channel") == ConversationChannel.WEB
    return {
        "web": web,
        "web_chat": webchat.chat_of(line) if web and line else None,
        "panel": webchat.panel(tourist) if web and tourist else None,
        "phones": phones,
        "line": line,
        "tourist": tourist,
        "line_address": address_on(channel_of(tourist), line.number.as_e164) if line else "",
        "whatsapp": channel_of(tourist) == ConversationChannel.WHATSAPP,
        "local": local,
        "local_name": local_name(local) if local else "",
        "conversation": conversation,
        "live": conversation is not None and conversation.status != ConversationStatus.CLOSED,
        "tourist_thread": thread(tourist, line) if line and not web else [],
        "local_thread": thread(local.phone, line) if line and local and local.phone else [],
        "tourist_form": text_form("tourist"),
        "local_form": text_form("local"),
    }
