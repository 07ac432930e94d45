"""Error reports to Sentry (or any Sentry-compatible tracker) when SENTRY_DSN is set.

Nothing personal leaves: no default PII (addresses, cookies, users), no request bodies (Twilio's
carry phone numbers and what tourists wrote), and every string left in the event — messages,
stack frames' local variables, breadcrumbs — passes through the same redaction as our logs.
"""

from __future__ import annotations

from typing import Any

from concierge.lib.redaction import redact


def scrub(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: scrub(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [scrub(item) for item in value]
    return value


def before_send(event: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any]:
    request = event.get("request")
    if isinstance(request, dict):
        for private in ("data", "cookies", "query_string", "env"):
            request.pop(private, None)
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {
                name: value
                for name, value in headers.items()
                if name.lower() not in ("cookie", "authorization", "x-twilio-signature")
            }
    cleaned: dict[str, Any] = scrub(event)
    return cleaned


def start(dsn: str, *, environment: str) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        max_request_body_size="never",
        before_send=before_send,  # type: ignore[arg-type]
        before_send_transaction=before_send,  # type: ignore[arg-type]
        traces_sample_rate=0.0,
    )
