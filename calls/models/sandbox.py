"""The sandbox outbox: what the sandbox backend 'sent' instead of reaching a phone."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SandboxMessage(models.Model):
    """An SMS the sandbox backend 'sent': shown on the staff outbox instead of reaching a phone."""

    sid = models.CharField(max_length=40, unique=True)
    # Numbers, or WhatsApp addresses ("whatsapp:+49…").
    to = models.CharField(_("to"), max_length=32)
    from_number = models.CharField(_("from"), max_length=32)
    body = models.TextField(_("body"))
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("sandbox message")
        verbose_name_plural = _("sandbox messages")

    def __str__(self) -> str:
        return f"SMS to {self.to} at {self.created_at:%Y-%m-%d %H:%M}"
