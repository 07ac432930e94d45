from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallsConfig(AppConfig):
    name = "calls"
    verbose_name = _("Calls and messages")

    def ready(self) -> None:
        # Read-mostly rows kept per process: their signals must be connected in every process.
        # Deleting an ambassador must erase their numbers from our texts and calls; the
        # ambassadors app may not import us, so it says so with a signal.
        from ambassadors.signals import ambassador_deleting

        from . import cached  # noqa: F401
        from .privacy import on_ambassador_deleting

        ambassador_deleting.connect(
            on_ambassador_deleting, sender=None, dispatch_uid="calls.privacy.ambassador_deleting"
        )

        from concierge.lib import metrics

        from . import metrics as line_metrics

        metrics.register(line_metrics.collect)

        # Some tasks are enqueued by name (the survey, from the voice line, which may not import
        # the SMS relay's tasks): registering them here lets eager runs and workers find them.
        from . import tasks  # noqa: F401
