"""The web chat's HTTP side: the snippet's script, and the JSON API the panel calls from the
tourist office's page (another origin: CORS for the chat's allowed origins only).

The API carries no cookie: a visitor is their signed token (sent in the JSON body, or in the
poll's query string), so POSTs are plain ``text/plain`` requests that need no preflight, and
CSRF (a cookie's weakness) does not apply. The poll answers 304 from the cache while nothing
changed: it holds 1,000 open panels on a few sync workers (docs/webchat.md)."""

from __future__ import annotations

import json
import re
from functools import cache as memoize
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from ..models import WebChat
from ..webinbox import web_inbox_stamp_or_new
from . import copy
from .cors import chat_settings, origin_ok, with_cors
from .guard import Pass, allowed, client_address, pass_of, token_for
from .middleware import not_modified
from .selectors import visitor_panel
from .services import (
    MAX_TEXT,
    ChatError,
    visitor_leave_email,
    visitor_polling,
    visitor_read,
    visitor_start,
    visitor_write,
)

SCRIPT = Path(settings.BASE_DIR) / "static" / "webchat" / "widget.js"
CLIENT_ID = re.compile(r"^[A-Za-z0-9-]{1,64}$")


@memoize
def _script() -> bytes:
    return SCRIPT.read_bytes()


@require_GET
def widget_script(request: HttpRequest) -> HttpResponse:
    """/chat/widget.js: what the snippet loads; the same for every site, cached a while."""
    response = HttpResponse(_script(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "public, max-age=600"
    return response


def _refuse(request: HttpRequest, language: str, what: str, status: int, **values: int) -> Any:
    body = {"error": copy.error_text(language, what, **values)}
    return with_cors(request, JsonResponse(body, status=status))


def _preflight(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(status=204)
    response["Access-Control-Allow-Methods"] = "GET, POST"
    response["Access-Control-Allow-Headers"] = "Content-Type, If-None-Match"
    response["Access-Control-Max-Age"] = "600"
    return with_cors(request, response)


def _body(request: HttpRequest) -> dict[str, Any] | None:
    """The JSON object the panel posts; None for anything else, including nesting deep enough
    to exhaust the parser and strings no database column takes (NUL, lone surrogates, which
    JSON's escapes can carry)."""
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or not all(map(_storable, data.values())):
        return None
    return data


def _storable(value: Any) -> bool:
    if not isinstance(value, str):
        return True  # refused by the field's own check if a string was expected
    try:
        value.encode()
    except UnicodeEncodeError:
        return False
    return "\x00" not in value


def _guarded(request: HttpRequest, key: str) -> tuple[dict[str, Any] | None, HttpResponse | None]:
    """The chat, or the answer that refuses the request (unknown chat, foreign site)."""
    language = copy.visitor_language(request.GET.get("lang", ""))
    chat = chat_settings(key)
    if chat is None or not chat["open"]:
        return None, _refuse(request, language, "closed", 404)
    if not origin_ok(request, chat):
        # No CORS header: the browser hides even this answer from the foreign page.
        body = {"error": copy.error_text(language, "origin")}
        return None, JsonResponse(body, status=403)
    if request.method == "OPTIONS":
        return None, _preflight(request)
    return chat, None


def _json_request(request: HttpRequest, key: str) -> dict[str, Any] | HttpResponse:
    """A POST's JSON object (``{}`` for other methods), or the answer that refuses the request:
    the guard's (unknown chat, foreign site, a preflight), or a 400 for a body that is not one."""
    _chat, refused = _guarded(request, key)
    if refused is not None:
        return refused
    if request.method != "POST":
        return {}
    try:
        data = _body(request)
    except RequestDataTooBig:  # past DATA_UPLOAD_MAX_MEMORY_SIZE: said in JSON, with CORS
        return _refuse(request, "en", "long", 413, max=MAX_TEXT)
    if data is None:  # no pass can be read from it either: the visitor's language is unknown
        return _refuse(request, "en", "shape", 400)
    return data


def _pass(data: dict[str, Any], key: str) -> Pass | None:
    token = data.get("token")
    return pass_of(token, chat=key) if isinstance(token, str) else None


# --- The API -------------------------------------------------------------------------------------


@csrf_exempt
@require_http_methods(["GET", "OPTIONS"])
def chat_config(request: HttpRequest, key: str) -> HttpResponse:
    """The panel's title and words in the visitor's language, before any session."""
    chat, refused = _guarded(request, key)
    if chat is None:
        assert refused is not None
        return refused
    language = copy.visitor_language(request.GET.get("lang", ""))
    response = JsonResponse(
        {
            "title": chat["name"],
            "language": language,
            "texts": copy.panel_texts(language),
            "bits": settings.WEBCHAT_POW_BITS,
            "poll": settings.WEBCHAT_POLL_SECONDS,
        }
    )
    response["Cache-Control"] = "public, max-age=300"
    return with_cors(request, response)


@csrf_exempt
@require_http_methods(["POST", "OPTIONS"])
def chat_session(request: HttpRequest, key: str) -> HttpResponse:
    """A new visitor: their token and the puzzle of their first message."""
    data = _json_request(request, key)
    if isinstance(data, HttpResponse):
        return data
    language = copy.visitor_language(str(data.get("language", "")))
    if not allowed("start_ip", client_address(request)):
        return _refuse(request, language, "busy", 429)
    chat_row = WebChat.objects.select_related("line").filter(key=key).first()
    if chat_row is None:  # deleted since its settings were cached
        return _refuse(request, language, "closed", 404)
    try:
        visitor_pass = visitor_start(chat=chat_row, language=language)
    except ChatError as error:
        return _refuse(request, language, error.what, error.status, **error.values)
    body = {
        "token": token_for(visitor_pass),
        "challenge": visitor_pass.challenge,
        "bits": settings.WEBCHAT_POW_BITS,
    }
    return with_cors(request, JsonResponse(body, status=201))


@csrf_exempt
@require_http_methods(["GET", "POST", "OPTIONS"])
def chat_messages(request: HttpRequest, key: str) -> HttpResponse:
    """GET: the visitor's thread (304 while nothing changed); POST: a message of theirs."""
    data = _json_request(request, key)
    if isinstance(data, HttpResponse):
        return data
    if request.method == "GET":
        return _poll(request, key)
    visitor_pass = _pass(data, key)
    language = visitor_pass.language if visitor_pass else "en"
    if visitor_pass is None:
        return _refuse(request, language, "expired", 401)
    if data.get("website"):  # the honeypot: a field no person sees was filled in
        return with_cors(request, JsonResponse({"ok": True}, status=202))
    if not allowed("write_ip", client_address(request)) or not allowed(
        "write_token", visitor_pass.visitor
    ):
        return _refuse(request, language, "busy", 429)
    text, client_id, nonce = data.get("text"), str(data.get("id", "")), data.get("nonce", "")
    if not isinstance(text, str) or not CLIENT_ID.match(client_id):
        return _refuse(request, language, "shape", 400)
    try:
        stored = visitor_write(
            visitor_pass=visitor_pass, text=text, client_id=client_id, nonce=str(nonce)
        )
    except ChatError as error:
        return _refuse(request, language, error.what, error.status, **error.values)
    return with_cors(request, JsonResponse({"ok": True}, status=201 if stored else 200))


def _poll(request: HttpRequest, key: str) -> HttpResponse:
    visitor_pass = pass_of(request.GET.get("t", ""), chat=key)
    if visitor_pass is None:
        return _refuse(request, "en", "expired", 401)
    if not allowed("poll_token", visitor_pass.visitor):
        return _refuse(request, visitor_pass.language, "busy", 429)
    if (unchanged := not_modified(request, key)) is not None:
        return unchanged  # the middleware answers it first, unless it is left out
    stamp = web_inbox_stamp_or_new(visitor_pass.address)  # read before the database
    try:
        visitor = visitor_polling(visitor_pass)
    except ChatError as error:
        return _refuse(request, visitor_pass.language, error.what, error.status)
    panel = visitor_panel(visitor)
    visitor_read(visitor=visitor, up_to=panel.newest)
    response = JsonResponse(
        {"status": panel.status, "messages": [message.__dict__ for message in panel.messages]}
    )
    response["ETag"] = f'"{stamp}"'
    response["Cache-Control"] = "private, no-cache"
    return with_cors(request, response)


@csrf_exempt
@require_http_methods(["POST", "OPTIONS"])
def chat_email(request: HttpRequest, key: str) -> HttpResponse:
    """The address where the replies the visitor does not read in the panel are sent."""
    data = _json_request(request, key)
    if isinstance(data, HttpResponse):
        return data
    visitor_pass = _pass(data, key)
    language = visitor_pass.language if visitor_pass else "en"
    if visitor_pass is None:
        return _refuse(request, language, "expired", 401)
    if not allowed("write_token", visitor_pass.visitor):
        return _refuse(request, language, "busy", 429)
    email = data.get("email")
    try:
        if not isinstance(email, str) or len(email) > 254:
            raise ValidationError("not an address")
        validate_email(email.strip())
    except ValidationError:
        return _refuse(request, language, "email", 400)
    try:
        visitor_leave_email(visitor_pass=visitor_pass, email=email.strip())
    except ChatError as error:
        return _refuse(request, language, error.what, error.status)
    return with_cors(request, JsonResponse({"ok": True}))
