"""/calls/outbox/: what the sandbox backend 'sent', for demos and staff to read the codes."""

from __future__ import annotations

from django.contrib.admin.views.decorators import staff_member_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from concierge.lib.telephony import get_backend

from ..models import SandboxMessage
from ..telephony.sandbox import SandboxBackend


@staff_member_required
def outbox(request: HttpRequest) -> HttpResponse:
    """What the sandbox backend 'sent', newest first, so demos and staff can read the codes."""
    page = Paginator(SandboxMessage.objects.all(), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "calls/outbox.html",
        {"page": page, "is_sandbox": isinstance(get_backend(), SandboxBackend)},
    )
