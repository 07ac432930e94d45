"""Posters and flyers of a line, for tourist offices' walls and counters: an A4 poster or an A5
flyer in French, English, German or Spanish, with the number written for humans and QR codes
that call it or open a text to it. A print page: the browser's "Save as PDF" makes the file (the
page sets its paper size, without margins).

Printed by staff, and by the coordinator and the managers of a network that covers the line
(``public.poster_lines``); anyone else meets a 404, as for another network's rota."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from concierge.models import User

from .public import poster_lines, shown

SIZES = {"a4": "A4", "a5": "A5"}
LANGUAGES = {"fr": "Français", "en": "English", "de": "Deutsch", "es": "Español"}


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # login_required let only signed-in people through
    return request.user


@login_required
def poster_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    lines = [shown(line) for line in poster_lines(user)]
    if not lines and not user.is_staff:
        raise Http404
    return render(
        request,
        "calls/posters.html",
        {"lines": lines, "sizes": SIZES, "languages": LANGUAGES},
    )


@login_required
def poster(request: HttpRequest, code: str, size: str, language: str) -> HttpResponse:
    line = poster_lines(_user(request)).filter(number=f"+{code}").first()
    if line is None:
        raise Http404
    # The sheet speaks the poster's language ({% language %} in the template); the toolbar
    # around it speaks the reader's.
    return render(
        request,
        "calls/poster.html",
        {
            "line": shown(line),
            "size": size,
            "size_name": SIZES[size],
            "language": language,
            "sizes": SIZES,
            "languages": LANGUAGES,
        },
    )
