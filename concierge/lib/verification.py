"""Proving that someone owns a French mobile: a six-digit code sent by text message.

The rules live here once, for ambassadors and tourist-office advisors alike: the number must be
a French mobile; only a salted HMAC of the code is kept, compared in constant time; a code is
valid ``PHONE_CODE_TTL_MINUTES``, dies after ``PHONE_CODE_MAX_ATTEMPTS`` wrong tries, and a new
one may be asked for once every ``PHONE_CODE_RESEND_SECONDS``. Every refusal is a
:class:`VerificationError` that says, in the person's language, what to do next, with the tries
left or the seconds to wait.

Where a code waits differs from app to app (an ambassador's ``PhoneVerification`` rows, fields on
an advisor's ``Membership``), so each app hands in a :class:`CodeStore`: it loads and saves plain
:class:`PendingCode` values under its own row lock, inside the transaction this module opens.
"""

from __future__ import annotations

import logging
import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from phonenumber_field.phonenumber import PhoneNumber

from . import telephony
from .phones import parse_french_mobile

logger = logging.getLogger(__name__)

CODE_DIGITS = 6


class VerificationError(Exception):
    """A verification rule said no. ``field`` is the input at fault (``phone_number`` or
    ``code``); ``retry_after`` the seconds before a new code may be sent, when that is the
    problem; ``tries_left`` how many more codes may be typed, after a wrong one."""

    def __init__(
        self,
        message: str,
        *,
        code: str,
        field: str,
        retry_after: int | None = None,
        tries_left: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field
        self.retry_after = retry_after
        self.tries_left = tries_left


@dataclass
class PendingCode:
    """One code sent to one number, and what became of it. The code itself is never kept."""

    phone_number: PhoneNumber
    code_hash: str
    sent_at: datetime
    attempts: int = 0
    confirmed_at: datetime | None = None
    voided_at: datetime | None = None

    @property
    def expires_at(self) -> datetime:
        return self.sent_at + timedelta(minutes=settings.PHONE_CODE_TTL_MINUTES)

    @property
    def is_waiting(self) -> bool:
        return self.confirmed_at is None and self.voided_at is None

    @property
    def tries_left(self) -> int:
        return max(0, settings.PHONE_CODE_MAX_ATTEMPTS - self.attempts)


class CodeStore(Protocol):
    """Where one person's codes wait. Its methods run inside this module's transaction; the
    first one called locks the person's row, so concurrent requests are decided one by one."""

    #: Salts the hashes, so a code stored for one kind of person proves nothing for another.
    salt: str

    def last_sent_at(self) -> datetime | None:
        """When the latest code was sent, whatever became of it (the resend limit)."""
        ...

    def add(self, code: PendingCode) -> None:
        """Keep a new code; any code still waiting stops working."""
        ...

    def waiting(self) -> PendingCode | None:
        """The code waiting to be typed, if any."""
        ...

    def update(self, code: PendingCode) -> None:
        """Save what happened to the waiting code: a wrong try, its confirmation, its end."""
        ...

    def attach(self, code: PendingCode) -> None:
        """The code was right: its number becomes the person's, verified at
        ``code.confirmed_at``. Raise :class:`VerificationError` when it cannot."""
        ...


def verification_number(raw: str | PhoneNumber) -> PhoneNumber:
    """The French mobile number typed, or a VerificationError saying precisely what is wrong."""
    try:
        return parse_french_mobile(raw)
    except ValidationError as exc:
        raise VerificationError(
            exc.messages[0], code=exc.code or "invalid", field="phone_number"
        ) from None


def verification_start(*, store: CodeStore, phone_number: PhoneNumber) -> PendingCode:
    """Text a fresh code to the number (see :func:`verification_number`); earlier codes stop
    working. Nothing is kept when the text message cannot be sent."""
    now = timezone.now()
    with transaction.atomic():
        _check_resend(store.last_sent_at(), now)
        code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
        pending = PendingCode(
            phone_number=phone_number,
            code_hash=_hash(store.salt, phone_number, code),
            sent_at=now,
        )
        store.add(pending)
        _text(phone_number, code)
    return pending


def verification_confirm(*, store: CodeStore, code: str) -> PendingCode:
    """Check the code typed against the waiting one; when right, the store attaches the number.

    Wrong tries must be counted even though the answer is an error, so the transaction commits
    first and the error is raised afterwards."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == CODE_DIGITS):
        raise VerificationError(_("The code has 6 digits."), code="format", field="code")
    now = timezone.now()
    with transaction.atomic():
        pending = store.waiting()
        if pending is None:
            raise VerificationError(
                _("There is no code waiting to be confirmed. Ask for a new one."),
                code="no_pending_code",
                field="code",
            )
        failure = _try(store, pending, code, now)
        store.update(pending)
    if failure is not None:
        raise failure
    return pending


def _hash(salt: str, number: PhoneNumber, code: str) -> str:
    return salted_hmac(salt, f"{number.as_e164}:{code}").hexdigest()


def _check_resend(last_sent_at: datetime | None, now: datetime) -> None:
    wait = timedelta(seconds=settings.PHONE_CODE_RESEND_SECONDS)
    if last_sent_at is None or last_sent_at <= now - wait:
        return
    seconds = math.ceil((last_sent_at + wait - now).total_seconds())
    raise VerificationError(
        ngettext(
            "A code was sent less than a minute ago. You can ask for a new one in "
            "%(seconds)d second.",
            "A code was sent less than a minute ago. You can ask for a new one in "
            "%(seconds)d seconds.",
            seconds,
        )
        % {"seconds": seconds},
        code="too_soon",
        field="phone_number",
        retry_after=seconds,
    )


def _text(number: PhoneNumber, code: str) -> None:
    body = _(
        "Destination Concierge: your code is %(code)s. It expires in %(minutes)d minutes. "
        "If you did not ask for it, ignore this message."
    ) % {"code": code, "minutes": settings.PHONE_CODE_TTL_MINUTES}
    try:
        telephony.send_sms(to=number.as_e164, body=body)
    except telephony.TelephonyError as exc:
        logger.warning(
            "Verification text to a number ending %s failed: %s", number.as_e164[-2:], exc
        )
        raise VerificationError(
            _("We could not send a text message to this number. Check it and try again."),
            code="send_failed",
            field="phone_number",
        ) from exc


def _try(
    store: CodeStore, pending: PendingCode, code: str, now: datetime
) -> VerificationError | None:
    """Decide one typed code, changing ``pending`` as the rules say; the error to raise, if any."""
    if pending.expires_at <= now:
        pending.voided_at = now
        return VerificationError(
            _("This code has expired (codes are valid for %(minutes)d minutes). Ask for a new one.")
            % {"minutes": settings.PHONE_CODE_TTL_MINUTES},
            code="expired",
            field="code",
        )
    if not constant_time_compare(pending.code_hash, _hash(store.salt, pending.phone_number, code)):
        return _wrong(pending, now)
    pending.confirmed_at = now
    try:
        store.attach(pending)
    except VerificationError as error:
        pending.confirmed_at, pending.voided_at = None, now
        return error
    return None


def _wrong(pending: PendingCode, now: datetime) -> VerificationError:
    pending.attempts += 1
    left = pending.tries_left
    if left == 0:
        pending.voided_at = now
        return VerificationError(
            _("Too many wrong codes: this code no longer works. Ask for a new one."),
            code="too_many_attempts",
            field="code",
            tries_left=0,
        )
    return VerificationError(
        ngettext(
            "This code is not right. %(left)d try left.",
            "This code is not right. %(left)d tries left.",
            left,
        )
        % {"left": left},
        code="wrong_code",
        field="code",
        tries_left=left,
    )
