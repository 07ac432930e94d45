"""/rotas/notices/: a person's notices (newest first, unread ones marked), opening one (it is
read, and the reader lands where they act), marking them read, and choosing what arrives by
e-mail and text. Only members of a network have notices; a notice is its reader's alone."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ...models import Membership, Notice
from .. import inbox, preferences
from ..notice_forms import NoticePreferencesForm
from .access import RotaRequest

MemberView = Callable[..., HttpResponse]


def member_view(view: MemberView) -> MemberView:
    """Log-in required, and a place in some network: anyone else gets the "not in a network"
    page."""

    @login_required
    @wraps(view)
    def wrapper(request: RotaRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not Membership.objects.filter(user=request.user).exists():
            return render(request, "rotas/none.html", status=404)
        return view(request, *args, **kwargs)

    return wrapper


@member_view
def notice_list(request: RotaRequest) -> HttpResponse:
    page = Paginator(inbox.notices_of(request.user), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "rotas/notices.html",
        {"page": page, "rows": inbox.rows(page.object_list, user=request.user)},
    )


@login_required
def notice_open(request: RotaRequest, notice_id: uuid.UUID) -> HttpResponse:
    """The link of a notice (in the app, the e-mail and the text): read, then where to act."""
    notice = get_object_or_404(
        Notice.objects.select_related("shift"), public_id=notice_id, user=request.user
    )
    preferences.notices_mark_read(user=request.user, public_ids=[notice.public_id])
    return redirect(inbox.target(notice))


@require_POST
@login_required
def notice_read(request: RotaRequest, notice_id: uuid.UUID) -> HttpResponse:
    get_object_or_404(Notice, public_id=notice_id, user=request.user)
    preferences.notices_mark_read(user=request.user, public_ids=[notice_id])
    return _back(request)


@require_POST
@member_view
def notices_read_all(request: RotaRequest) -> HttpResponse:
    preferences.notices_mark_read(user=request.user)
    messages.success(request, _("All notifications are marked as read."))
    return _back(request)


def _back(request: RotaRequest) -> HttpResponse:
    """To the page the form was on (a home showing the latest notices), or the list."""
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    return redirect("rotas:notices")


@member_view
def notice_preferences(request: RotaRequest) -> HttpResponse:
    choices = inbox.choices_of(request.user.pk)
    has_phone = bool(inbox.verified_phone(request.user.pk))
    form = NoticePreferencesForm(request.POST or None, choices=choices, has_phone=has_phone)
    if request.method == "POST" and form.is_valid():
        preferences.notice_preferences_save(
            user=request.user,
            language=form.cleaned_data["language"],
            email=form.kinds("email"),
            text=form.kinds("text"),
        )
        messages.success(request, _("Your choices are saved."))
        return redirect("rotas:notice-preferences")
    return render(
        request,
        "rotas/notice_preferences.html",
        {"form": form, "rows": form.rows(), "has_phone": has_phone},
    )
