"""The panels' poll while nothing changed, answered 304 before the rest of the middleware.

An open panel asks every WEBCHAT_POLL_SECONDS whether anything is new; almost always nothing
is. Through the whole stack (sessions, auth, locale, allauth, CSP…) a 304 cost 4.4 ms of CPU on
the benchmark machine, 1.3 ms of which were the view: at 1,000 panels, about three cores. Under
gunicorn the WSGI wrapper (calls.webchat.wsgi) answers it even earlier, before Django's handler,
with this module's ``not_modified``; this middleware answers it where the wrapper is not in front
(the test client, another server). The same checks (the signed token, the stamp against
If-None-Match, the chat's allowed origin) answer it with one cache read; anything else (no
If-None-Match, a changed stamp, a refusal to explain) goes on to the view (views._poll), which
also counts the token's polls against its rate limit (a 304 costs too little to be worth
counting)."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from concierge.lib.sharedcache import tolerant

from ..webinbox import web_inbox_stamp
from .cors import CHATS, origin_ok, with_cors
from .guard import pass_of

POLL = re.compile(r"^/chat/api/([-a-zA-Z0-9_]+)/messages/$")
CHECKED = "calls.webchat.poll_checked"  # set in the WSGI environ once the wrapper has looked


def not_modified(
    request: HttpRequest, key: str, read_stamp: Callable[[str], str | None] = web_inbox_stamp
) -> HttpResponse | None:
    """The 304 for a panel whose thread has not changed; None when the view must answer."""
    match = request.headers.get("If-None-Match", "")
    visitor_pass = pass_of(request.GET.get("t", ""), chat=key) if match else None
    if visitor_pass is None:
        return None
    stamp = tolerant(
        lambda: read_stamp(visitor_pass.address),
        down=None,  # the view answers (or refuses)
        degrades="a web-chat poll goes to the view",
    )
    if stamp is None or f'"{stamp}"' not in match:
        return None
    chat = CHATS.get().get(key)
    if chat is None or not chat["open"] or not origin_ok(request, chat):
        return None
    response = HttpResponse(status=304)
    response["ETag"] = f'"{stamp}"'
    response["Cache-Control"] = "private, no-cache"
    return with_cors(request, response)


class PollShortcutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.method == "GET"
            and "HTTP_IF_NONE_MATCH" in request.META
            and CHECKED not in request.META  # the WSGI wrapper already said no: the view answers
        ):
            found = POLL.match(request.path_info)
            if found and (response := not_modified(request, found.group(1))) is not None:
                return response
        return self.get_response(request)
