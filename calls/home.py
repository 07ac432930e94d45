"""/: the public home. What the service is, each line's number written for humans with a tel:
link and a QR code, when locals answer, and live figures, like the counters of the national
numbers that came before us. Signed-in people go on to their role's home (calls.homes).

The home also speaks the tourists' languages at /de/, /ja/… (the site's own chooser offers English
and French only), and a tourist office can put a line's number and figures on its own website:
/embed/line/<code>/ is the only page any site may frame (static/js/embed.js writes the iframe)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from concierge.middleware import frameable_anywhere
from concierge.models import User

from .homes.roles import current_role, roles_of
from .public import (
    LineShown,
    answering_hours,
    line_by_code,
    live_figures,
    public_lines,
    shown,
)

# The languages the public pages speak (Django's codes: Chinese is Simplified Chinese), each
# named in itself for the chooser.
HOME_LANGUAGES = {
    "en": "English",
    "fr": "Français",
    "de": "Deutsch",
    "es": "Español",
    "it": "Italiano",
    "pt": "Português",
    "nl": "Nederlands",
    "zh-hans": "简体中文",
    "ja": "日本語",
}


def browser_language(request: HttpRequest) -> str | None:
    """The first language of the browser's Accept-Language that the public pages speak
    ("de-AT" → "de", "zh-CN" → "zh-hans"), or None."""
    weighted = []
    for position, part in enumerate(request.headers.get("Accept-Language", "").split(",")[:20]):
        tag, _semicolon, quality = part.strip().lower().partition(";q=")
        try:
            weight = float(quality) if quality else 1.0
        except ValueError:
            continue
        weighted.append((-weight, position, tag))
    for _weight, _position, tag in sorted(weighted):
        code = "zh-hans" if tag.startswith("zh") else tag.split("-")[0]
        if code in HOME_LANGUAGES:
            return code
    return None


def home(request: HttpRequest) -> HttpResponse:
    """In the language the visitor chose on the site (its cookie), else their browser's first
    language among the nine the home speaks."""
    if isinstance(request.user, User):
        role = current_role(request, roles_of(request.user))
        return redirect(role.url if role else "homes:home")
    chosen = settings.LANGUAGE_COOKIE_NAME in request.COOKIES
    language = None if chosen else browser_language(request)
    if language is None:
        return _home(request)
    return home_in(request, language)


def home_in(request: HttpRequest, language: str) -> HttpResponse:
    """The home in one language, for everyone (a link to share, the chooser's target)."""
    with translation.override(language):
        response = _home(request)
    response["Content-Language"] = language
    return response


def _home(request: HttpRequest) -> HttpResponse:
    lines = public_lines()
    context = {
        "lines": lines,
        "figures": live_figures(),
        "hours": answering_hours(),
        "languages": _chooser(),
    }
    return render(request, "home.html", context)


def _chooser() -> list[tuple[str, str, str]]:
    return [(code, name, reverse("home-in", args=[code])) for code, name in HOME_LANGUAGES.items()]


@frameable_anywhere
@cache_control(public=True, max_age=60)
def embed_line(request: HttpRequest, code: str) -> HttpResponse:
    """One line's number and the live figures, for an iframe on a tourist office's website. The
    language is the snippet's ``data-lang`` (?lang=), else the visitor's browser's."""
    line = line_by_code(code)
    if line is None:
        raise Http404
    language = request.GET.get("lang", "")
    if language not in HOME_LANGUAGES:
        language = browser_language(request) or settings.LANGUAGE_CODE
    with translation.override(language):
        line_shown = shown(line)
        response = render(
            request,
            "calls/embed_line.html",
            {
                "line": line_shown,
                "figures": live_figures(),
                "home": settings.PUBLIC_BASE_URL + reverse("home-in", args=[language]),
            },
        )
    response["Content-Language"] = language
    return response


@dataclass(frozen=True)
class Snippet:
    line: LineShown
    script: str  # the <script> tag an office pastes
    frame: str  # or the plain <iframe>


def embed_help(request: HttpRequest) -> HttpResponse:
    """For tourist offices: how to show a line on their website, and where posters are. The
    snippets are text to copy (escaped on the page), written here rather than in the template."""
    base = settings.PUBLIC_BASE_URL
    script = f"{base}/{settings.STATIC_URL.strip('/')}/js/embed.js"
    title = _("Talk to a local")
    snippets = [
        Snippet(
            line=line,
            script=f'<script src="{script}" data-concierge-line="{line.code}" data-lang="fr" '
            "async></script>",
            frame=f'<iframe src="{base}{reverse("embed-line", args=[line.code])}?lang=fr" '
            f'title="{title}" width="100%" height="230" style="border:0;max-width:28rem" '
            'loading="lazy"></iframe>',
        )
        for line in public_lines()
    ]
    return render(
        request,
        "calls/embed_help.html",
        {"snippets": snippets, "languages": HOME_LANGUAGES},
    )
