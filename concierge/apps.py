from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConciergeConfig(AppConfig):
    name = "concierge"
    verbose_name = _("Destination")

    def ready(self) -> None:
        # Read-mostly rows kept per process: their signals must be connected in every process.
        from allauth.account.signals import email_confirmed

        from . import cached  # noqa: F401
        from .rotas.invitations import accept_on_email_confirmed

        email_confirmed.connect(accept_on_email_confirmed, dispatch_uid="rota-invitations")
