"""Staff correct a volunteer's points by hand: a ledger entry like any other, with who made it,
when and why; the volunteer is told by e-mail and sees it in their points history."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from concierge.models import User

from .models import Ambassador, EntryKind, PointsEntry
from .points import PointsError, points_balance
from .selectors import local_language

MAX_ADJUSTMENT = 10_000  # a typo of a few zeros is refused, not credited


def points_adjust(
    *, ambassador: Ambassador, amount: int, reason: str, by: User, key: str
) -> PointsEntry:
    """Credit (or debit, with a negative ``amount``) the ambassador's points. ``key`` names this
    adjustment (the form's own token): the same form sent twice adjusts once. A debit cannot take
    the balance below zero."""
    reason = reason.strip()
    if not reason:
        raise PointsError(_("Say why, so the ambassador understands."))
    if amount == 0 or abs(amount) > MAX_ADJUSTMENT:
        raise PointsError(
            _("An adjustment is between 1 and %(max)d points, added or taken away.")
            % {"max": MAX_ADJUSTMENT}
        )
    with transaction.atomic():
        # Locked alone: PostgreSQL locks no row on an outer join's nullable side (the user).
        ambassador = Ambassador.objects.select_for_update().get(pk=ambassador.pk)
        balance = points_balance(ambassador)
        if balance + amount < 0:
            raise PointsError(
                _("The balance is %(balance)d points: a debit cannot take it below zero.")
                % {"balance": balance}
            )
        try:
            with transaction.atomic():
                entry = PointsEntry.objects.create(
                    ambassador=ambassador,
                    amount=amount,
                    kind=EntryKind.ADJUSTMENT,
                    reason=reason[:200],
                    key=f"adjustment:{key}",
                    created_by=by,
                )
        except IntegrityError:
            raise PointsError(_("This adjustment was already recorded.")) from None
        _tell(ambassador, entry, balance + amount)
    return entry


def adjustments_recent(*, limit: int = 20) -> QuerySet[PointsEntry]:
    """The latest adjustments by hand, with who made them: the audit trail staff read."""
    return (
        PointsEntry.objects.filter(kind=EntryKind.ADJUSTMENT, created_by__isnull=False)
        .select_related("ambassador", "created_by")
        .order_by("-created_at", "-id")[:limit]
    )


def _tell(ambassador: Ambassador, entry: PointsEntry, balance: int) -> None:
    email = ambassador.user.email if ambassador.user else ""
    if not email:
        return
    with translation.override(local_language(ambassador)):
        subject = _("Your points were adjusted")
        body = _(
            "Hello %(name)s,\n\nOur team adjusted your points: %(amount)+d.\nWhy: %(reason)s\n\n"
            "Your balance is now %(balance)d points. Every entry is in your points history: "
            "%(url)s\n\nDestination Concierge"
        ) % {
            "name": ambassador.display_name,
            "amount": entry.amount,
            "reason": entry.reason,
            "balance": balance,
            "url": settings.PUBLIC_BASE_URL + reverse("ambassadors:points"),
        }
    transaction.on_commit(lambda: send_mail(subject, body, None, [email], fail_silently=True))
