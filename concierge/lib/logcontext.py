"""What a log line is about: a request id, and Twilio's CallSid/MessageSid — never a number.

The middleware gives each request an id (the proxy's ``X-Request-ID`` when it is a plain token,
else a new one) and returns it in the response; the Twilio webhook decorator adds the ids Twilio
sent; a Celery task carries its own id. A logging filter copies them onto every record, and with
``LOG_FORMAT=json`` the formatter writes one JSON object per line with those fields.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

from django.http import HttpRequest, HttpResponse

FIELDS = ("request_id", "call_sid", "message_sid", "task_id", "task")
_TOKEN = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
_SID = re.compile(r"^[A-Z]{2}[0-9a-f]{32}$")

_context: ContextVar[dict[str, str] | None] = ContextVar("log_context", default=None)


def current() -> dict[str, str]:
    return dict(_context.get() or {})


def bind(**values: str) -> None:
    """Add fields to what every log line of this request or task carries."""
    _context.set({**current(), **{key: value for key, value in values.items() if value}})


def clear() -> None:
    _context.set(None)


@contextmanager
def scope(**values: str) -> Iterator[None]:
    """A fresh context for one request or task, whatever ran before on this thread."""
    token = _context.set({key: value for key, value in values.items() if value})
    try:
        yield
    finally:
        _context.reset(token)


def twilio_sids(params: Mapping[str, str]) -> dict[str, str]:
    """CallSid and MessageSid from a webhook's parameters, only when they look like Twilio's."""
    found = {}
    for key, field in (("CallSid", "call_sid"), ("MessageSid", "message_sid")):
        value = params.get(key, "")
        if _SID.match(value):
            found[field] = value
    return found


class RequestIdMiddleware:
    """First in MIDDLEWARE: every line logged while serving a request names the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        request_id = given if _TOKEN.match(given) else uuid.uuid4().hex
        with scope(request_id=request_id):
            response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


class AddContext(logging.Filter):
    """Copy the current request's or task's ids onto the record (empty strings when none)."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = _context.get() or {}
        for field in FIELDS:
            setattr(record, field, context.get(field, ""))
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line. Runs after the handler's filters, so the message is already
    stripped of phone numbers (concierge.lib.redaction) and the context fields are set."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in FIELDS:
            if value := getattr(record, field, ""):
                entry[field] = value
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = record.stack_info
        return json.dumps(entry, ensure_ascii=False)
