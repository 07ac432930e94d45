"""A local's text conversations on the web (a volunteer's, or an advisor's handed to them on
duty): read, answer, close. Tourists' numbers are never shown; a conversation is visible only to
the local it is with (anyone else gets 404)."""

from __future__ import annotations

from uuid import UUID

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..local_access import LocalRequest, local_view
from ..models import Conversation, ConversationStatus, MessageStatus
from ..responders import Responder, held_by_any
from . import conversations
from .outbox import MAX_REPLY
from .selectors import conversations_of, thread_lines

HELD_NOTICE = gettext_lazy(
    "The tourist has not written on WhatsApp for 24 hours: WhatsApp lets us send them only a "
    "notice that you answered. Your reply reaches them as soon as they write again."
)


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Your reply"),
        max_length=MAX_REPLY,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Sent by text from the line's number: your own number stays hidden."
        ),
    )


def _mine(request: LocalRequest, conversation_id: UUID) -> tuple[Conversation, Responder]:
    """The conversation, if one of the person's responders holds it, and that responder."""
    conversation = get_object_or_404(
        Conversation.objects.filter(held_by_any(request.responders)).select_related(
            "line", "motive", "community"
        ),
        public_id=conversation_id,
    )
    holder = next(r for r in request.responders if r.holds(conversation))
    return conversation, holder


@local_view
def conversation_list(request: LocalRequest) -> HttpResponse:
    page = Paginator(conversations_of(request.responders), 20).get_page(request.GET.get("page"))
    return render(request, "calls/conversations.html", {"page": page})


@local_view
def conversation_detail(request: LocalRequest, conversation_id: UUID) -> HttpResponse:
    conversation, holder = _mine(request, conversation_id)
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sent = conversations.conversation_reply(
                conversation=conversation,
                local=holder,
                text=form.cleaned_data["text"],
            )
        except conversations.RelayError as error:
            form.add_error("text", str(error))
        else:
            if sent.status == MessageStatus.HELD:
                messages.warning(request, HELD_NOTICE)
            else:
                messages.success(
                    request, _("Sent. You will see here if it could not be delivered.")
                )
            return redirect("calls:conversation", conversation.public_id)
    context = {
        "conversation": conversation,
        "thread": thread_lines(conversation, viewer=holder),
        "form": form,
        "is_open": conversation.status == ConversationStatus.OPEN,
    }
    return render(request, "calls/conversation.html", context)


@local_view
def conversation_end(request: LocalRequest, conversation_id: UUID) -> HttpResponse:
    conversation, holder = _mine(request, conversation_id)
    if conversation.status != ConversationStatus.OPEN:
        messages.info(request, _("This conversation is already closed."))
        return redirect("calls:conversation", conversation.public_id)
    if request.method == "POST":
        conversations.conversation_end(conversation=conversation, local=holder)
        messages.success(
            request,
            _("Conversation %(tag)s closed. The tourist was told and can text again anytime.")
            % {"tag": conversation.tag},
        )
        return redirect("calls:conversations")
    return render(request, "calls/conversation_end.html", {"conversation": conversation})
