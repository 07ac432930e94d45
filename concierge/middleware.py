"""Response headers Django does not set by itself: a Content-Security-Policy, a Permissions-Policy,
and no caching of anything rendered for one person; and the lean way through for Twilio's
webhooks, which need none of what pages need (sessions, users, messages, CSRF, languages).

Django 5.2 has no CSP support of its own (6.0 will); the policy is a setting, so a page that needs
more (the Swagger UI's inline styles) says so with ``csp_allow`` rather than weakening every page.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import patch_cache_control

View = Callable[..., HttpResponse]

CSP_EXTRA = "_csp_allow"  # a response attribute: {directive: [sources added for this view]}
CSP_FRAMEABLE = "_csp_frameable"  # a response attribute: any site may frame this response
LEAN = "lean_request"  # a view attribute: served without the pages' middleware (LeanWebhooks)


def csp_allow(extra: dict[str, list[str]]) -> Callable[[View], View]:
    """Add sources to the policy of one view's responses: {"style-src": ["'unsafe-inline'"]}."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            response = view(request, *args, **kwargs)
            setattr(response, CSP_EXTRA, extra)
            return response

        return wrapper

    return decorator


def frameable_anywhere(view: View) -> View:
    """Let any website put this view's page in an iframe (the tourist offices' snippet): no
    X-Frame-Options, and ``frame-ancestors *`` instead of ``'none'``. Every other page keeps
    refusing to be framed (clickjacking)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        setattr(response, CSP_FRAMEABLE, True)
        response.xframe_options_exempt = True
        return response

    return wrapper


def content_security_policy(
    extra: dict[str, list[str]] | None = None, *, frameable: bool = False
) -> str:
    policy = {directive: list(sources) for directive, sources in settings.CSP_POLICY.items()}
    if frameable:
        policy["frame-ancestors"] = ["*"]
    for directive, sources in (extra or {}).items():
        policy.setdefault(directive, list(policy.get("default-src", [])))
        policy[directive] += [source for source in sources if source not in policy[directive]]
    return "; ".join(" ".join([directive, *sources]) for directive, sources in policy.items())


def permissions_policy() -> str:
    features = settings.PERMISSIONS_POLICY.items()
    return ", ".join(f"{feature}=({' '.join(allowed)})" for feature, allowed in features)


class SecurityHeadersMiddleware:
    """Content-Security-Policy (report-only while DEBUG is on, so Django's debug pages, which
    use inline scripts, keep working) and Permissions-Policy on every response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        header = (
            "Content-Security-Policy-Report-Only"
            if settings.CSP_REPORT_ONLY
            else "Content-Security-Policy"
        )
        response.headers.setdefault(
            header,
            content_security_policy(
                getattr(response, CSP_EXTRA, None),
                frameable=getattr(response, CSP_FRAMEABLE, False),
            ),
        )
        response.headers.setdefault("Permissions-Policy", permissions_policy())
        return response


class PrivateResponsesMiddleware:
    """``Cache-Control: private, no-store`` on what is rendered for a signed-in person (a session
    or an API token) and, unless a view chose its caching itself, on everything else the
    application renders: pages reached by a secret link (a call's replay, a calendar feed) hold
    personal data too. Static files are served before this and keep their long caching."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)  # DRF sets it here once a token is checked
        signed_in = user is not None and user.is_authenticated
        personal = signed_in or "Authorization" in request.headers
        if personal or not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response


class LeanWebhooks:
    """Serve the views marked ``lean_request`` (every Twilio webhook) without the middleware
    that only pages need: sessions, the language of the request, CommonMiddleware, CSRF (they
    are exempt), users, messages, allauth, htmx. Placed after SecurityMiddleware; the response
    headers every answer carries (X-Frame-Options, CSP, Permissions-Policy, no-store) are still
    set, the Host header is checked against ALLOWED_HOSTS, and the request id and the webhook
    timing happen before this. A marked view answers in the default language unless it chooses
    one, as it would without an Accept-Language header (Twilio sends none).

    Only paths under ``LEAN_PATH_PREFIXES`` are looked at, so pages are not resolved twice."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.lean = cast(
            "Callable[[HttpRequest], HttpResponse]",
            XFrameOptionsMiddleware(
                SecurityHeadersMiddleware(PrivateResponsesMiddleware(self._view))
            ),
        )
        self.prefixes = tuple(settings.LEAN_PATH_PREFIXES)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(self.prefixes):
            try:
                match = resolve(request.path_info)
            except Resolver404:
                return self.get_response(request)
            if getattr(match.func, LEAN, False):
                request.get_host()  # ALLOWED_HOSTS, as CommonMiddleware would check it (a 400)
                request.resolver_match = match
                translation.activate(settings.LANGUAGE_CODE)
                return self.lean(request)
        return self.get_response(request)

    @staticmethod
    def _view(request: HttpRequest) -> HttpResponse:
        match = request.resolver_match
        assert match is not None  # set by __call__
        return match.func(request, *match.args, **match.kwargs)


def lean_request(view: View) -> View:
    """Mark a view to be served by :class:`LeanWebhooks` (no session, user, CSRF or messages)."""
    setattr(view, LEAN, True)
    return view
