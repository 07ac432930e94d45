"""The project's URLs plus /bench/bare/: the framework's ceiling on this machine.

The bare view answers a small constant TwiML document through the same middleware as every
webhook, without a signature check, a query or a template: what a request costs before any of
our work.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

BARE = '<?xml version="1.0" encoding="UTF-8"?><Response><Say>Hello.</Say></Response>'


@csrf_exempt
def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(BARE, content_type="text/xml")


@csrf_exempt
def lean(request: HttpRequest) -> HttpResponse:
    """The bare view through the webhooks' middleware (concierge.middleware.LeanWebhooks)."""
    return HttpResponse(BARE, content_type="text/xml")


lean.lean_request = True  # type: ignore[attr-defined]  # as calls.twilio.webhooks marks webhooks

urlpatterns = [
    path("bench/bare/", bare),
    path("bench/lean/", lean),
    path("", include("concierge.urls")),
]
