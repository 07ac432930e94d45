"""``manage.py seed_demo``: the demo logins work, the line is never empty, real phones are safe."""

from __future__ import annotations

from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from ambassadors.models import Ambassador, AmbassadorLanguage, AvailabilitySlot
from ambassadors.selectors import ambassadors_available_at
from calls.models import PhoneLine, WebChat
from concierge.lib import telephony
from concierge.models import User

PARIS = ZoneInfo("Europe/Paris")
DEMO_PASSWORD = "concierge-demo"


def seed_demo() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "emails": EmailAddress.objects.count(),
        "ambassadors": Ambassador.objects.count(),
        "languages": AmbassadorLanguage.objects.count(),
        "slots": AvailabilitySlot.objects.count(),
        "regions": Ambassador.regions.through.objects.count(),
        "motives": Ambassador.motives.through.objects.count(),
        "web chats": WebChat.objects.count(),
    }


@pytest.fixture(scope="class")
def _seeded_once(django_db_setup, django_db_blocker):
    """``seed_demo`` runs once for the class (it takes a while: forty ambassadors, a month of
    rota), in a transaction rolled back after its last test. Each test runs inside it in a
    savepoint of its own, so what one test changes (or seeds again) the next does not see."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield seed_demo()
        transaction.set_rollback(True)


@pytest.fixture
def seeded(_seeded_once, db):
    """What ``seed_demo`` printed, with its data in the database."""
    return _seeded_once


@pytest.mark.xdist_group("seed_demo")  # one worker seeds once, not every worker
class TestTheDemoData:
    def test_it_prints_every_demo_login_and_the_password(self, seeded):
        assert "staff@example.com" in seeded
        assert "ambassador01@example.com" in seeded
        assert "ambassador40@example.com" in seeded
        assert DEMO_PASSWORD in seeded

    def test_it_creates_at_least_forty_onboarded_ambassadors(self, seeded):
        demo = Ambassador.objects.filter(user__email__startswith="ambassador")
        assert demo.count() >= 40
        assert not demo.filter(onboarded_at__isnull=True).exists()
        assert not demo.filter(phone_verified_at__isnull=True).exists()
        assert not demo.exclude(languages__language="en").exists()

    def test_running_it_twice_changes_nothing(self, seeded):
        before = counts()
        seed_demo()
        assert counts() == before

    def test_running_it_again_restores_a_demo_ambassador(self, seeded):
        ambassador = Ambassador.objects.get(user__email="ambassador02@example.com")
        ambassador.accepting_calls = False
        ambassador.save(update_fields=["accepting_calls"])
        ambassador.availability_slots.all().delete()

        seed_demo()

        ambassador.refresh_from_db()
        assert ambassador.accepting_calls
        assert ambassador.availability_slots.count() == 7

    def test_an_ambassador_logs_in_with_the_demo_password(self, seeded, client):
        response = client.post(
            reverse("account_login"),
            {"login": "ambassador01@example.com", "password": DEMO_PASSWORD},
        )
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(
            User.objects.get(email="ambassador01@example.com").pk
        )

    def test_staff_is_a_superuser_with_the_demo_password(self, seeded):
        staff = User.objects.get(email="staff@example.com")
        assert staff.is_superuser and staff.is_staff
        assert staff.check_password(DEMO_PASSWORD)

    def test_ambassador_nn_owns_the_verified_mobile_nn(self, seeded):
        ambassador = Ambassador.objects.get(user__email="ambassador07@example.com")
        assert ambassador.phone_number == "+33612340007"
        assert ambassador.phone_verified

    def test_languages_are_varied(self, seeded):
        spoken = set(AmbassadorLanguage.objects.values_list("language", flat=True))
        assert {"en", "fr", "de", "es", "it", "pt", "zh", "ja"} <= spoken

    def test_regions_and_motives_are_varied(self, seeded):
        demo = Ambassador.objects.filter(user__email__startswith="ambassador")
        assert demo.filter(any_region=True).exists()
        assert demo.filter(any_region=False, regions__isnull=False).exists()
        assert demo.filter(any_motive=True).exists()
        assert demo.filter(any_motive=False, motives__isnull=False).exists()

    def test_at_least_ten_take_english_calls_at_every_hour_of_the_week(self, seeded):
        monday = datetime(2026, 6, 1, tzinfo=PARIS)
        for half_hours in range(7 * 24 * 2):
            at = monday + timedelta(minutes=30 * half_hours)
            available = ambassadors_available_at(at=at, language="en").count()
            assert available >= 10, f"only {available} available at {at:%A %H:%M}"

    def test_it_adds_the_two_demo_lines(self, seeded):
        lines = {str(line.number): line for line in PhoneLine.objects.all()}
        assert not lines["+33199000000"].records_calls
        assert lines["+33199000001"].records_calls
        assert lines["+33199000001"].tier == "premium"

    def test_the_national_lines_web_chat_opens_on_pages_of_the_demo_server(
        self, seeded, client, settings
    ):
        settings.PUBLIC_BASE_URL = "https://concierge.example.org"  # not one of the demo's
        assert "Web chat 'demo' on the national line" in seeded
        chat = WebChat.objects.get(key="demo")
        assert str(chat.line.number) == "+33199000000" and chat.is_active
        for origin in ("http://127.0.0.1:8000", "http://localhost:8000"):
            response = client.get("/chat/api/demo/", headers={"Origin": origin})
            assert response.status_code == 200
            assert response["Access-Control-Allow-Origin"] == origin
        foreign = client.get("/chat/api/demo/", headers={"Origin": "http://127.0.0.1:8001"})
        assert foreign.status_code == 403

    def test_running_it_again_reopens_the_demo_web_chat(self, seeded):
        WebChat.objects.filter(key="demo").update(is_active=False, allowed_origins="")
        seed_demo()
        chat = WebChat.objects.get(key="demo")
        assert chat.is_active and chat.origins == {"http://127.0.0.1:8000", "http://localhost:8000"}


@pytest.fixture
def twilio_configured():
    telephony._load.cache_clear()
    with override_settings(
        TELEPHONY_BACKEND="calls.telephony.twilio.TwilioBackend",
        TWILIO_ACCOUNT_SID="AC00000000000000000000000000000000",
        TWILIO_AUTH_TOKEN="not-a-real-token",
    ):
        yield
    telephony._load.cache_clear()


@pytest.mark.django_db
def test_it_refuses_to_run_with_the_real_twilio_backend(twilio_configured):
    with pytest.raises(CommandError, match="real phones"):
        seed_demo()
    assert not User.objects.exists()
