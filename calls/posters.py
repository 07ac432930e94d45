"""Posters and flyers of a line, for tourist offices' walls and counters: an A4 poster or an A5
flyer in French, English, German or Spanish, with the number written for humans and QR codes
that call it or open a text to it. A print page: the browser's "Save as PDF" makes the file (the
page sets its paper size, without margins).

Printed by staff, and by the coordinator and the managers of a network that covers the line
(``public.poster_lines``); anyone else meets a 404, as for another network's rota."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from ambassadors.views.common import SignedInRequest

from .public import poster_lines, shown

SIZES = {"a4": "A4", "a5": "A5"}
LANGUAGES = {"fr": "Français", "en": "English", "de": "Deutsch", "es": "Español"}


@login_required
def poster_list(request: SignedInRequest) -> HttpResponse:
    lines = [shown(line) for line in poster_lines(request.user)]
    if not lines and not request.user.is_staff:
        raise Http404
    return render(
        request,
        "calls/posters.html",
        {"lines": lines, "sizes": SIZES, "languages": LANGUAGES},
    )


@login_required
def poster(request: SignedInRequest, code: str, size: str, language: str) -> HttpResponse:
    line = poster_lines(request.user).filter(number=f"+{code}").first()
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
