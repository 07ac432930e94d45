"""The ambassadors' adapter of the shared phone verification: rows, errors, one number each."""

from __future__ import annotations

import pytest

from ambassadors import services
from ambassadors.models import PhoneVerification
from calls.telephony import locmem
from concierge.lib import telephony
from tests.text import found

from ..factories import make_ambassador

pytestmark = pytest.mark.django_db


def texted_code() -> str:
    return found(r"\b(\d{6})\b", locmem.outbox[-1].body, 1)


def test_each_code_is_a_row_holding_only_a_hash(time_machine):
    charlie = make_ambassador("charlie@example.com", onboarded=False)
    time_machine.move_to("2026-06-01 09:00Z", tick=False)
    sent = services.phone_verification_start(ambassador=charlie, phone_number="0611223344")
    row = charlie.phone_verifications.get()
    assert row.code_hash == sent.code_hash and texted_code() not in row.code_hash
    assert row.expires_at == sent.expires_at

    time_machine.shift(60)
    services.phone_verification_start(ambassador=charlie, phone_number="0611223355")
    first, second = charlie.phone_verifications.order_by("created_at")
    assert first.voided_at is not None and services.pending_verification(charlie) == second


def test_errors_carry_the_tries_left_and_the_wait(time_machine):
    charlie = make_ambassador("charlie@example.com", onboarded=False)
    time_machine.move_to("2026-06-01 09:00Z", tick=False)
    services.phone_verification_start(ambassador=charlie, phone_number="0611223344")
    wrong = f"{(int(texted_code()) + 1) % 1_000_000:06d}"
    with pytest.raises(services.AmbassadorError) as error:
        services.phone_verification_confirm(ambassador=charlie, code=wrong)
    assert (error.value.code, error.value.field, error.value.tries_left) == (
        "wrong_code",
        "code",
        4,
    )
    assert PhoneVerification.objects.get().attempts == 1

    time_machine.shift(45)
    with pytest.raises(services.AmbassadorError) as too_soon:
        services.phone_verification_start(ambassador=charlie, phone_number="0611223344")
    assert (too_soon.value.code, too_soon.value.retry_after) == ("too_soon", 15)


def test_the_right_code_verifies_the_number():
    charlie = make_ambassador("charlie@example.com", onboarded=False)
    services.phone_verification_start(ambassador=charlie, phone_number="0611223344")
    services.phone_verification_confirm(ambassador=charlie, code=texted_code())
    charlie.refresh_from_db()
    assert str(charlie.phone_number) == "+33611223344" and charlie.phone_verified
    assert PhoneVerification.objects.get().confirmed_at == charlie.phone_verified_at


def test_no_code_is_kept_when_the_text_cannot_be_sent(monkeypatch):
    def fail(**kwargs):
        raise telephony.TelephonyError("unreachable")

    monkeypatch.setattr(telephony, "send_sms", fail)
    charlie = make_ambassador("charlie@example.com", onboarded=False)
    with pytest.raises(services.AmbassadorError) as error:
        services.phone_verification_start(ambassador=charlie, phone_number="0611223344")
    assert (error.value.code, error.value.field) == ("send_failed", "phone_number")
    assert not PhoneVerification.objects.exists()
