"""Onboarding step 2: the ambassador proves they own a French mobile with a texted code.

The rules (code, validity, tries, resend limit, messages) are ``concierge.lib.verification``'s;
this module keeps an ambassador's codes as ``PhoneVerification`` rows and adds the ambassadors'
own rule: one number, one account."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from phonenumber_field.phonenumber import PhoneNumber

from concierge.lib import verification
from concierge.lib.verification import PendingCode, VerificationError

from ..models import Ambassador, PhoneVerification
from .common import AmbassadorError, lock, refresh_onboarding

CODE_DIGITS = verification.CODE_DIGITS


class AmbassadorCodes:
    """An ambassador's codes, one ``PhoneVerification`` row each (a ``CodeStore``)."""

    salt = "ambassadors.phone-code"

    def __init__(self, ambassador: Ambassador) -> None:
        self.ambassador = ambassador
        self.row: PhoneVerification | None = None

    def last_sent_at(self) -> datetime | None:
        lock(self.ambassador)  # two quick clicks cannot both pass the resend limit
        latest = self.ambassador.phone_verifications.order_by("-created_at").first()
        return latest.created_at if latest else None

    def add(self, code: PendingCode) -> None:
        _waiting(self.ambassador).update(voided_at=code.sent_at)
        self.row = PhoneVerification.objects.create(
            ambassador=self.ambassador,
            phone_number=code.phone_number,
            code_hash=code.code_hash,
            expires_at=code.expires_at,
        )

    def waiting(self) -> PendingCode | None:
        self.row = _waiting(self.ambassador).select_for_update().order_by("-created_at").first()
        if self.row is None:
            return None
        return PendingCode(
            phone_number=self.row.phone_number,
            code_hash=self.row.code_hash,
            sent_at=self.row.created_at,
            attempts=self.row.attempts,
        )

    def update(self, code: PendingCode) -> None:
        row = self.row
        assert row is not None, "the code comes from waiting()"
        row.attempts, row.confirmed_at, row.voided_at = (
            code.attempts,
            code.confirmed_at,
            code.voided_at,
        )
        row.save(update_fields=["attempts", "confirmed_at", "voided_at"])

    def attach(self, code: PendingCode) -> None:
        ambassador = self.ambassador
        ambassador.phone_number = code.phone_number
        ambassador.phone_verified_at = code.confirmed_at
        try:
            with transaction.atomic():
                ambassador.save(update_fields=["phone_number", "phone_verified_at"])
        except IntegrityError:
            ambassador.refresh_from_db(fields=["phone_number", "phone_verified_at"])
            raise VerificationError(
                _("This number is already registered to another account."),
                code="taken",
                field="code",
            ) from None


def _waiting(ambassador: Ambassador) -> QuerySet[PhoneVerification]:
    return PhoneVerification.objects.filter(
        ambassador=ambassador, confirmed_at__isnull=True, voided_at__isnull=True
    )


@contextmanager
def _as_ambassador_error() -> Iterator[None]:
    try:
        yield
    except VerificationError as error:
        raise AmbassadorError(
            error.message,
            field=error.field,
            code=error.code,
            retry_after=error.retry_after,
            tries_left=error.tries_left,
        ) from None


def phone_verification_start(
    *, ambassador: Ambassador, phone_number: str | PhoneNumber
) -> PendingCode:
    """Send a fresh code to the number. Earlier codes stop working."""
    with _as_ambassador_error():
        number = verification.verification_number(phone_number)
    if ambassador.phone_verified and ambassador.phone_number == number:
        raise AmbassadorError(
            _("This number is already verified on your account."),
            field="phone_number",
            code="already_verified",
        )
    if Ambassador.objects.filter(phone_number=number).exclude(pk=ambassador.pk).exists():
        raise AmbassadorError(
            _("This number is already registered to another account."),
            field="phone_number",
            code="taken",
        )
    with _as_ambassador_error():
        return verification.verification_start(
            store=AmbassadorCodes(ambassador), phone_number=number
        )


def pending_verification(ambassador: Ambassador) -> PhoneVerification | None:
    return _waiting(ambassador).order_by("-created_at").first()


def phone_verification_confirm(*, ambassador: Ambassador, code: str) -> Ambassador:
    with _as_ambassador_error():
        verification.verification_confirm(store=AmbassadorCodes(ambassador), code=code)
    refresh_onboarding(ambassador)
    return ambassador
