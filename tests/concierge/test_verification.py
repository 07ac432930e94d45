"""The phone-verification rules, once for ambassadors and advisors (concierge.lib.verification).

A store in memory stands for the apps' rows, so these tests see the rules alone; the apps' own
tests (tests/ambassadors, tests/rotas/test_phones.py) check their storage and their messages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import translation
from phonenumber_field.phonenumber import PhoneNumber

from calls.telephony import locmem
from concierge.lib import telephony
from concierge.lib.verification import (
    PendingCode,
    VerificationError,
    verification_confirm,
    verification_number,
    verification_start,
)
from tests.text import found

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 1, 9, tzinfo=UTC)
MOBILE = PhoneNumber.from_string("+33611223344")


class Notebook:
    """A CodeStore in memory: every code sent, and the number once attached."""

    salt = "tests.verification"

    def __init__(self, *, refuse: bool = False) -> None:
        self.codes: list[PendingCode] = []
        self.number: PhoneNumber | None = None
        self.refuse = refuse

    def last_sent_at(self) -> datetime | None:
        return self.codes[-1].sent_at if self.codes else None

    def add(self, code: PendingCode) -> None:
        for earlier in self.codes:
            if earlier.is_waiting:
                earlier.voided_at = code.sent_at
        self.codes.append(code)

    def waiting(self) -> PendingCode | None:
        waiting = [code for code in self.codes if code.is_waiting]
        return waiting[-1] if waiting else None

    def update(self, code: PendingCode) -> None:
        pass  # the same objects: already up to date

    def attach(self, code: PendingCode) -> None:
        if self.refuse:
            raise VerificationError("Taken.", code="taken", field="code")
        self.number = code.phone_number


@pytest.fixture(autouse=True)
def _english():
    """Requests of earlier tests may leave French active in this thread."""
    with translation.override("en"):
        yield


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def texted_code() -> str:
    return found(r"\b(\d{6})\b", locmem.outbox[-1].body, 1)


def wrong_code() -> str:
    return f"{(int(texted_code()) + 1) % 1_000_000:06d}"


def refusal(store: Notebook, code: str) -> VerificationError:
    with pytest.raises(VerificationError) as error:
        verification_confirm(store=store, code=code)
    return error.value


def test_it_texts_a_code_and_keeps_only_its_salted_hash(clock):
    store = Notebook()
    pending = verification_start(store=store, phone_number=MOBILE)
    assert locmem.outbox[-1].to == "+33611223344"
    code = texted_code()
    assert "It expires in 10 minutes." in locmem.outbox[-1].body
    assert code not in pending.code_hash and len(pending.code_hash) == 40
    assert pending.expires_at == NOW + timedelta(minutes=10)
    assert store.codes == [pending]


def test_the_right_code_attaches_the_number(clock):
    store = Notebook()
    verification_start(store=store, phone_number=MOBILE)
    confirmed = verification_confirm(store=store, code=f" {texted_code()[:3]} {texted_code()[3:]} ")
    assert confirmed.confirmed_at == NOW and store.number == MOBILE
    assert refusal(store, texted_code()).code == "no_pending_code"


def test_tries_left_count_down_and_five_wrong_codes_void_it(clock):
    store = Notebook()
    verification_start(store=store, phone_number=MOBILE)
    right, wrong = texted_code(), wrong_code()
    for left in (4, 3, 2, 1):
        error = refusal(store, wrong)
        assert (error.code, error.field, error.tries_left) == ("wrong_code", "code", left)
        assert f"{left} tr" in error.message
    error = refusal(store, wrong)
    assert (error.code, error.tries_left) == ("too_many_attempts", 0)
    assert refusal(store, right).code == "no_pending_code"
    assert store.number is None


def test_a_right_code_after_wrong_ones_still_works(clock):
    store = Notebook()
    verification_start(store=store, phone_number=MOBILE)
    for _ in range(4):
        refusal(store, wrong_code())
    verification_confirm(store=store, code=texted_code())
    assert store.number == MOBILE


def test_a_badly_typed_code_costs_no_try(clock):
    store = Notebook()
    verification_start(store=store, phone_number=MOBILE)
    assert refusal(store, "12345").code == "format"
    assert refusal(store, "abcdef").code == "format"
    assert store.codes[-1].attempts == 0


def test_a_code_is_valid_ten_minutes(clock):
    store = Notebook()
    verification_start(store=store, phone_number=MOBILE)
    code = texted_code()
    clock.shift(timedelta(minutes=10))
    error = refusal(store, code)
    assert error.code == "expired" and "valid for 10 minutes" in error.message
    assert refusal(store, code).code == "no_pending_code"

    clock.shift(timedelta(minutes=1))
    verification_start(store=store, phone_number=MOBILE)
    clock.shift(timedelta(minutes=9, seconds=59))
    verification_confirm(store=store, code=texted_code())
    assert store.number == MOBILE


def test_a_new_code_once_a_minute_with_the_seconds_to_wait(clock):
    store = Notebook()
    verification_start(store=store, phone_number=MOBILE)
    first = texted_code()
    clock.shift(timedelta(seconds=20))
    with pytest.raises(VerificationError) as too_soon:
        verification_start(store=store, phone_number=MOBILE)
    assert (too_soon.value.code, too_soon.value.field) == ("too_soon", "phone_number")
    assert too_soon.value.retry_after == 40
    assert "in 40 seconds" in too_soon.value.message
    assert len(locmem.outbox) == 1

    clock.shift(timedelta(seconds=40))
    verification_start(store=store, phone_number=MOBILE)
    assert refusal(store, first).code in ("wrong_code", "no_pending_code")
    assert store.codes[0].voided_at is not None  # the first code stopped working


def test_a_number_the_owner_cannot_take_voids_the_code(clock):
    store = Notebook(refuse=True)
    verification_start(store=store, phone_number=MOBILE)
    assert refusal(store, texted_code()).code == "taken"
    assert store.codes[-1].voided_at == NOW and store.codes[-1].confirmed_at is None


def test_a_text_that_cannot_be_sent_is_blamed_on_the_number(clock, monkeypatch):
    def fail(**kwargs):
        raise telephony.TelephonyError("unreachable")

    monkeypatch.setattr(telephony, "send_sms", fail)
    store = Notebook()
    with pytest.raises(VerificationError) as error:
        verification_start(store=store, phone_number=MOBILE)
    assert (error.value.code, error.value.field) == ("send_failed", "phone_number")


@pytest.mark.parametrize(
    ("raw", "code"),
    [("", "required"), ("01 23 45 67 89", "landline"), ("+44 7700 900123", "foreign")],
)
def test_only_french_mobiles(raw, code):
    with pytest.raises(VerificationError) as error:
        verification_number(raw)
    assert (error.value.code, error.value.field) == (code, "phone_number")
    assert verification_number("06 11 22 33 44") == MOBILE


def test_it_speaks_french(clock):
    store = Notebook()
    with translation.override("fr"):
        verification_start(store=store, phone_number=MOBILE)
        assert "votre code est" in locmem.outbox[-1].body
        assert refusal(store, wrong_code()).message == (
            "Ce code n’est pas le bon. Il vous reste 4 essais."
        )
        clock.shift(timedelta(seconds=59))
        with pytest.raises(VerificationError) as too_soon:
            verification_start(store=store, phone_number=MOBILE)
        assert "dans 1 seconde." in too_soon.value.message
        clock.shift(timedelta(minutes=10))
        assert refusal(store, texted_code()).message.startswith("Ce code a expiré")
        with pytest.raises(VerificationError) as landline:
            verification_number("01 23 45 67 89")
        assert "fixe" in landline.value.message
