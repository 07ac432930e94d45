"""Onboarding step 2: the ambassador proves they own a French mobile with a texted code."""

from __future__ import annotations

import logging
import math
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from phonenumber_field.phonenumber import PhoneNumber

from concierge.lib import telephony

from ..models import Ambassador, PhoneVerification
from ..validators import parse_french_mobile
from .common import AmbassadorError, error_from, lock, refresh_onboarding

logger = logging.getLogger(__name__)

CODE_DIGITS = 6


def _hash_code(verification_number: str, code: str) -> str:
    return salted_hmac("ambassadors.phone-code", f"{verification_number}:{code}").hexdigest()


def _number_taken(number: PhoneNumber, *, by_other_than: Ambassador) -> bool:
    return Ambassador.objects.filter(phone_number=number).exclude(pk=by_other_than.pk).exists()


def phone_verification_start(
    *, ambassador: Ambassador, phone_number: str | PhoneNumber
) -> PhoneVerification:
    """Send a fresh code to the number. Earlier codes stop working."""
    try:
        number = parse_french_mobile(phone_number)
    except ValidationError as exc:
        raise error_from(exc, "phone_number") from None
    if ambassador.phone_verified and ambassador.phone_number == number:
        raise AmbassadorError(
            _("This number is already verified on your account."),
            field="phone_number",
            code="already_verified",
        )
    if _number_taken(number, by_other_than=ambassador):
        raise AmbassadorError(
            _("This number is already registered to another account."),
            field="phone_number",
            code="taken",
        )

    now = timezone.now()
    with transaction.atomic():
        # Lock the ambassador so two quick clicks cannot both pass the resend limit.
        lock(ambassador)
        latest = ambassador.phone_verifications.order_by("-created_at").first()
        wait = timedelta(seconds=settings.PHONE_CODE_RESEND_SECONDS)
        if latest and latest.created_at > now - wait:
            seconds = math.ceil((latest.created_at + wait - now).total_seconds())
            raise AmbassadorError(
                ngettext(
                    "A code was sent less than a minute ago. You can ask for a new one in "
                    "%(seconds)d second.",
                    "A code was sent less than a minute ago. You can ask for a new one in "
                    "%(seconds)d seconds.",
                    seconds,
                )
                % {"seconds": seconds},
                field="phone_number",
                code="too_soon",
                retry_after=seconds,
            )
        ambassador.phone_verifications.filter(
            confirmed_at__isnull=True, voided_at__isnull=True
        ).update(voided_at=now)
        code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
        verification = PhoneVerification.objects.create(
            ambassador=ambassador,
            phone_number=number,
            code_hash=_hash_code(number.as_e164, code),
            expires_at=now + timedelta(minutes=settings.PHONE_CODE_TTL_MINUTES),
        )
        body = _(
            "Destination Concierge: your code is %(code)s. It expires in %(minutes)d minutes. "
            "If you did not ask for it, ignore this message."
        ) % {"code": code, "minutes": settings.PHONE_CODE_TTL_MINUTES}
        try:
            telephony.send_sms(to=number.as_e164, body=body)
        except telephony.TelephonyError as exc:
            logger.warning("Verification SMS to ambassador %s failed: %s", ambassador.pk, exc)
            raise AmbassadorError(
                _("We could not send a text message to this number. Check it and try again."),
                field="phone_number",
                code="send_failed",
            ) from exc
    return verification


def pending_verification(ambassador: Ambassador) -> PhoneVerification | None:
    return (
        ambassador.phone_verifications.filter(confirmed_at__isnull=True, voided_at__isnull=True)
        .order_by("-created_at")
        .first()
    )


@dataclass(frozen=True)
class _Outcome:
    error: AmbassadorError | None


def phone_verification_confirm(*, ambassador: Ambassador, code: str) -> Ambassador:
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == CODE_DIGITS):
        raise AmbassadorError(_("The code has 6 digits."), field="code", code="format")

    # Wrong tries must be counted even though we answer with an error, so the transaction
    # commits first and the error is raised afterwards.
    with transaction.atomic():
        verification = (
            PhoneVerification.objects.select_for_update()
            .filter(ambassador=ambassador, confirmed_at__isnull=True, voided_at__isnull=True)
            .order_by("-created_at")
            .first()
        )
        outcome = _check_code(verification, code)
        if outcome.error is None and verification is not None:
            outcome = _attach_number(ambassador, verification)
    if outcome.error is not None:
        raise outcome.error
    refresh_onboarding(ambassador)
    return ambassador


def _check_code(verification: PhoneVerification | None, code: str) -> _Outcome:
    now = timezone.now()
    if verification is None:
        return _Outcome(
            AmbassadorError(
                _("There is no code waiting to be confirmed. Ask for a new one."),
                field="code",
                code="no_pending_code",
            )
        )
    if verification.expires_at <= now:
        verification.voided_at = now
        verification.save(update_fields=["voided_at"])
        return _Outcome(
            AmbassadorError(
                _(
                    "This code has expired (codes are valid for %(minutes)d minutes). "
                    "Ask for a new one."
                )
                % {"minutes": settings.PHONE_CODE_TTL_MINUTES},
                field="code",
                code="expired",
            )
        )
    expected = verification.code_hash
    if constant_time_compare(expected, _hash_code(verification.phone_number.as_e164, code)):
        return _Outcome(None)

    verification.attempts += 1
    left = settings.PHONE_CODE_MAX_ATTEMPTS - verification.attempts
    if left <= 0:
        verification.voided_at = now
        verification.save(update_fields=["attempts", "voided_at"])
        return _Outcome(
            AmbassadorError(
                _("Too many wrong codes: this code no longer works. Ask for a new one."),
                field="code",
                code="too_many_attempts",
            )
        )
    verification.save(update_fields=["attempts"])
    return _Outcome(
        AmbassadorError(
            ngettext(
                "This code is not right. %(left)d try left.",
                "This code is not right. %(left)d tries left.",
                left,
            )
            % {"left": left},
            field="code",
            code="wrong_code",
        )
    )


def _attach_number(ambassador: Ambassador, verification: PhoneVerification) -> _Outcome:
    now = timezone.now()
    ambassador.phone_number = verification.phone_number
    ambassador.phone_verified_at = now
    try:
        with transaction.atomic():
            ambassador.save(update_fields=["phone_number", "phone_verified_at"])
    except IntegrityError:
        ambassador.refresh_from_db(fields=["phone_number", "phone_verified_at"])
        verification.voided_at = now
        verification.save(update_fields=["voided_at"])
        return _Outcome(
            AmbassadorError(
                _("This number is already registered to another account."),
                field="code",
                code="taken",
            )
        )
    verification.confirmed_at = now
    verification.save(update_fields=["confirmed_at"])
    return _Outcome(None)
