"""Log-in, log-out and password reset (django-allauth) in our own pages."""

from __future__ import annotations

import pytest
from django.core import mail

from tests.text import found

from ..factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_log_in_goes_to_the_dashboard_and_log_out_leaves(client, alice):
    response = client.post("/accounts/login/", {"login": "alice@example.com", "password": PASSWORD})
    assert response["Location"] == "/portal/"
    assert "Destination Concierge" in client.get("/accounts/logout/").text
    client.post("/accounts/logout/")
    assert client.get("/portal/").status_code == 302


def test_a_forgotten_password_can_be_reset(client, alice):
    page = client.get("/accounts/password/reset/")
    assert 'class="site-header"' in page.text  # our layout, not allauth's bare one
    client.post("/accounts/password/reset/", {"email": "alice@example.com"})
    link = found(r"/accounts/password/reset/key/\S+/", mail.outbox[-1].body)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    new = "another long passphrase 42"
    response = client.post(form_url, {"password1": new, "password2": new})
    assert response.status_code == 302
    assert client.login(email="alice@example.com", password=new)
