"""The sandbox backend and the staff outbox page."""

from __future__ import annotations

import pytest
from django.test import override_settings

from calls.models import SandboxMessage
from calls.telephony import locmem
from concierge.lib import telephony

from ..factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def sandbox():
    telephony._load.cache_clear()
    with override_settings(TELEPHONY_BACKEND="calls.telephony.sandbox.SandboxBackend"):
        yield
    telephony._load.cache_clear()


def test_the_sandbox_keeps_messages_instead_of_sending_them(sandbox):
    sent = telephony.send_sms(to="+33612345678", body="Bonjour")
    message = SandboxMessage.objects.get()
    assert message.sid == sent.sid
    assert (message.to, message.from_number, message.body) == (
        "+33612345678",
        "+33199000000",
        "Bonjour",
    )
    assert locmem.outbox == []


def test_staff_read_the_outbox_newest_first_fifty_a_page(client, staff, sandbox):
    for n in range(55):
        telephony.send_sms(to="+33612345678", body=f"message number {n:02d}")
    client.force_login(staff)
    page = client.get("/calls/outbox/").text
    assert page.index("message number 54") < page.index("message number 10")
    assert "message number 04" not in page
    assert "Page 1 of 2" in page
    assert "message number 04" in client.get("/calls/outbox/?page=2").text


def test_the_outbox_is_for_staff_only(client, sandbox):
    telephony.send_sms(to="+33612345678", body="Your code is 424242")
    response = client.get("/calls/outbox/")
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/?next=/calls/outbox/")
    client.force_login(make_user("someone@example.com"))
    response = client.get("/calls/outbox/")
    assert "424242" not in response.content.decode()
    assert response.status_code in (302, 403)


def test_locmem_collects_messages_for_tests():
    telephony.send_sms(to="+33612345678", body="hello")
    assert [(m.to, m.body) for m in locmem.outbox] == [("+33612345678", "hello")]


def test_an_unknown_backend_is_a_configuration_error():
    from django.core.exceptions import ImproperlyConfigured

    telephony._load.cache_clear()
    with (
        override_settings(TELEPHONY_BACKEND="calls.telephony.nope.Backend"),
        pytest.raises(ImproperlyConfigured),
    ):
        telephony.get_backend()
    telephony._load.cache_clear()
