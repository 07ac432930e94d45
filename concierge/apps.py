from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConciergeConfig(AppConfig):
    name = "concierge"
    verbose_name = _("Destination")
