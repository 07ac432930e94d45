"""The web chat: a panel tourist offices put on their website, and its anonymous visitors.

A visitor's messages travel as a text conversation (calls.models.sms.Conversation) whose
"number" is the visitor's web address (``web:`` and 24 hex digits): the local answers it the
way they answer a text, and no phone number is involved on the visitor's side."""

from __future__ import annotations

import secrets
import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concierge.models import OfficeNetwork

from .lines import PhoneLine
from .sms import WEB_ADDRESS_PREFIX, Conversation


def is_web_address(address: str) -> bool:
    """Whether a conversation's "number" is a web-chat visitor rather than a phone."""
    return address.startswith(WEB_ADDRESS_PREFIX)


def new_web_address() -> str:
    return WEB_ADDRESS_PREFIX + secrets.token_hex(12)


class WebChat(models.Model):
    """One embeddable chat panel (the snippet's ``data-line``): for a line, or for a network of
    tourist offices (its conversations then go through the line given here)."""

    key = models.SlugField(
        _("key"), max_length=40, unique=True, help_text=_("What the snippet names: data-line.")
    )
    name = models.CharField(
        _("title"), max_length=80, help_text=_("Shown at the top of the panel.")
    )
    line = models.ForeignKey(
        PhoneLine, on_delete=models.PROTECT, related_name="web_chats", verbose_name=_("line")
    )
    network = models.ForeignKey(
        OfficeNetwork,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="web_chats",
        verbose_name=_("network of tourist offices"),
    )
    allowed_origins = models.TextField(
        _("allowed origins"),
        blank=True,
        help_text=_(
            "One website origin a line, e.g. https://www.lyon-france.com: only pages of these "
            "sites may open the chat."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("web chat")
        verbose_name_plural = _("web chats")

    def __str__(self) -> str:
        return self.name

    @property
    def origins(self) -> set[str]:
        return {
            origin.strip().rstrip("/").lower()
            for origin in self.allowed_origins.split()
            if origin.strip()
        }


class WebVisitor(models.Model):
    """An anonymous visitor of a web chat: known by a signed token, never by a cookie; the
    address is their conversations' "number". The e-mail address, if they leave one, receives
    the replies they did not read before closing the page."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    chat = models.ForeignKey(WebChat, on_delete=models.CASCADE, related_name="visitors")
    address = models.CharField(max_length=32, unique=True, default=new_web_address)
    language = models.CharField(_("language"), max_length=8, default="en")
    email = models.EmailField(_("e-mail address"), blank=True)
    # The conversation they chat in (the latest: NEW or STOP then a message opens another).
    conversation = models.ForeignKey(
        Conversation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # When the visitor solved the proof of work of their first message.
    proved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # The newest message the panel fetched, and the newest one e-mailed: a reply after both,
    # unread for a while, goes by e-mail.
    read_up_to = models.BigIntegerField(default=0)
    mailed_up_to = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("web chat visitor")
        verbose_name_plural = _("web chat visitors")
        indexes = [
            models.Index(
                fields=["created_at"], condition=~models.Q(email=""), name="webvisitor_email_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.chat} {str(self.public_id)[:8]}"
