"""An advisor's mobile, verified by the same rules as an ambassador's
(``concierge.lib.verification``); the code waits in fields of the advisor's ``Membership``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from ..lib import verification
from ..lib.verification import PendingCode, VerificationError
from ..models import Membership, Role
from .expansion import RotaError


class AdvisorPhoneError(RotaError):
    """A RotaError (what the rota views catch) that also tells what the verification rules
    said: ``code``, ``field``, the ``tries_left`` after a wrong code and the seconds to wait
    (``retry_after``) before a new one."""

    def __init__(self, error: VerificationError) -> None:
        super().__init__(error.message)
        self.code = error.code
        self.field = error.field
        self.retry_after = error.retry_after
        self.tries_left = error.tries_left


class AdvisorCodes:
    """An advisor's code, kept on their membership (a ``CodeStore``): a new code replaces the
    last one, and an empty hash means none is waiting."""

    salt = "concierge.advisor-phone-code"

    def __init__(self, member: Membership) -> None:
        self.member = member

    def _lock(self) -> Membership:
        self.member = Membership.objects.select_for_update().get(pk=self.member.pk)
        return self.member

    def last_sent_at(self) -> datetime | None:
        return self._lock().phone_code_sent_at

    def add(self, code: PendingCode) -> None:
        self.update(code)

    def waiting(self) -> PendingCode | None:
        member = self._lock()
        if not (member.phone_code_hash and member.pending_phone and member.phone_code_sent_at):
            return None
        return PendingCode(
            phone_number=member.pending_phone,
            code_hash=member.phone_code_hash,
            sent_at=member.phone_code_sent_at,
            attempts=member.phone_code_attempts,
        )

    def update(self, code: PendingCode) -> None:
        member = self.member
        member.pending_phone = None if code.confirmed_at else code.phone_number
        member.phone_code_hash = code.code_hash if code.is_waiting else ""
        member.phone_code_sent_at = code.sent_at
        member.phone_code_attempts = code.attempts
        member.save(
            update_fields=[
                "pending_phone",
                "phone_code_hash",
                "phone_code_sent_at",
                "phone_code_attempts",
            ]
        )

    def attach(self, code: PendingCode) -> None:
        """One mobile per person: an advisor of several networks is verified in all of them."""
        Membership.objects.filter(user_id=self.member.user_id, role=Role.ADVISOR).update(
            phone_number=code.phone_number, phone_verified_at=code.confirmed_at
        )
        self.member.phone_number = code.phone_number
        self.member.phone_verified_at = code.confirmed_at


@contextmanager
def _as_rota_error() -> Iterator[None]:
    try:
        yield
    except VerificationError as error:
        raise AdvisorPhoneError(error) from None


def advisor_phone_start(*, member: Membership, phone_number: str) -> None:
    """Text a fresh code to the advisor's French mobile; an earlier code stops working."""
    with _as_rota_error():
        number = verification.verification_number(phone_number)
        verification.verification_start(store=AdvisorCodes(member), phone_number=number)


def advisor_phone_confirm(*, member: Membership, code: str) -> Membership:
    """The code typed is right: the pending number becomes the advisor's, verified."""
    store = AdvisorCodes(member)
    with _as_rota_error():
        verification.verification_confirm(store=store, code=code)
    return store.member
