"""An advisor's mobile, verified like an ambassador's: a six-digit code by text, hashed, valid
ten minutes, void after five wrong tries, a new one at most once a minute (under a row lock)."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from ..lib import telephony
from ..lib.phones import parse_french_mobile
from ..models import Membership
from .expansion import RotaError


def _hash(number: str, code: str) -> str:
    return salted_hmac("concierge.advisor-phone-code", f"{number}:{code}").hexdigest()


def advisor_phone_start(*, member: Membership, phone_number: str) -> None:
    try:
        number = parse_french_mobile(phone_number)
    except ValidationError as error:
        raise RotaError(error.messages[0]) from None
    now = timezone.now()
    with transaction.atomic():
        member = Membership.objects.select_for_update().get(pk=member.pk)
        wait = timedelta(seconds=settings.PHONE_CODE_RESEND_SECONDS)
        if member.phone_code_sent_at and member.phone_code_sent_at > now - wait:
            raise RotaError("A code was sent less than a minute ago. Wait a moment.")
        code = f"{secrets.randbelow(10**6):06d}"
        member.pending_phone = number
        member.phone_code_hash = _hash(number.as_e164, code)
        member.phone_code_sent_at = now
        member.phone_code_attempts = 0
        member.save(
            update_fields=[
                "pending_phone",
                "phone_code_hash",
                "phone_code_sent_at",
                "phone_code_attempts",
            ]
        )
        body = (
            f"Destination Concierge: your code is {code}. It expires in "
            f"{settings.PHONE_CODE_TTL_MINUTES} minutes."
        )
        try:
            telephony.send_sms(to=number.as_e164, body=body)
        except telephony.TelephonyError:
            raise RotaError(
                "We could not send a text message to this number. Check it and try again."
            ) from None


def advisor_phone_confirm(*, member: Membership, code: str) -> Membership:
    code = "".join(code.split())
    now = timezone.now()
    with transaction.atomic():
        member = Membership.objects.select_for_update().get(pk=member.pk)
        if not member.phone_code_hash or member.pending_phone is None:
            raise RotaError("There is no code waiting to be confirmed. Ask for a new one.")
        ttl = timedelta(minutes=settings.PHONE_CODE_TTL_MINUTES)
        if member.phone_code_sent_at is None or member.phone_code_sent_at + ttl <= now:
            member.phone_code_hash = ""
            member.save(update_fields=["phone_code_hash"])
            error = RotaError("This code has expired. Ask for a new one.")
        elif constant_time_compare(
            member.phone_code_hash, _hash(member.pending_phone.as_e164, code)
        ):
            member.phone_number, member.phone_verified_at = member.pending_phone, now
            member.pending_phone, member.phone_code_hash = None, ""
            member.save(
                update_fields=[
                    "phone_number",
                    "phone_verified_at",
                    "pending_phone",
                    "phone_code_hash",
                ]
            )
            return member
        else:
            member.phone_code_attempts += 1
            if member.phone_code_attempts >= settings.PHONE_CODE_MAX_ATTEMPTS:
                member.phone_code_hash = ""
                error = RotaError("Too many wrong codes: ask for a new one.")
            else:
                error = RotaError("This code is not right. Check the text message and retry.")
            member.save(update_fields=["phone_code_attempts", "phone_code_hash"])
    raise error  # after commit: the wrong tries are counted
