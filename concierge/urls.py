from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import include, path
from django.utils.translation import gettext as _
from django.views import defaults
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from .health import health
from .metrics import metrics
from .middleware import csp_allow

# The Swagger UI: its start-up script is served as a file of its own (the split view), but its page
# and its components style themselves inline.
api_docs = csp_allow({"style-src": ["'unsafe-inline'"]})(
    SpectacularSwaggerSplitView.as_view(url_name="api-schema")
)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The API answers in JSON even where no pattern matched (an id that is not a UUID); the
    site's pages keep Django's own page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)


handler404 = not_found

urlpatterns = [
    path("", include("calls.home_urls")),
    path("", include("calls.homes.urls")),
    path("health/", health, name="health"),
    path("metrics/", metrics, name="metrics"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("communities/", include("calls.community_urls")),
    path("chat/", include("calls.webchat.urls")),
    path("portal/", include("ambassadors.urls")),
    path("calls/", include("calls.urls")),
    path("rotas/", include("concierge.rotas.urls")),
    path("api/v1/", include("concierge.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", api_docs, name="api-docs"),
]
