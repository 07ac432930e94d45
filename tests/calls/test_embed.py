"""A tourist office shows a line's number and live figures on its own website: an iframe page
that any site may frame (and the only one: every other page refuses), written by a small static
script, and a page that explains how."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from calls.models import PhoneLine

pytestmark = pytest.mark.django_db

EMBED = "/embed/line/33199000000/"


def frame_ancestors(response) -> str:
    policy = response["Content-Security-Policy"]
    (directive,) = [part.strip() for part in policy.split(";") if "frame-ancestors" in part]
    return directive


@override_settings(CSP_REPORT_ONLY=False)
def test_any_site_may_frame_the_snippet(client, national_line):
    response = client.get(EMBED)
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    assert frame_ancestors(response) == "frame-ancestors *"
    # the rest of the policy holds: still no inline script
    assert "script-src 'self'" in response["Content-Security-Policy"]


@override_settings(CSP_REPORT_ONLY=False)
@pytest.mark.parametrize("path", ["/", "/de/", "/embed/", "/accounts/login/", "/health/"])
def test_no_other_page_may_be_framed(client, national_line, path):
    response = client.get(path)
    assert response["X-Frame-Options"] == "DENY"
    assert frame_ancestors(response) == "frame-ancestors 'none'"


def test_the_snippet_shows_the_number_and_the_figures(client, national_line, alice):
    page = client.get(EMBED).content.decode()
    assert 'href="tel:+33199000000" target="_top"' in page
    assert "+33 1 99 00 00 00" in page
    assert "<strong>1</strong> local ready now" in page
    assert "Alice" not in page
    assert "<script" not in page


def test_the_snippet_speaks_the_language_it_is_given(client, national_line):
    german = client.get(EMBED + "?lang=de").content.decode()
    assert '<html lang="de">' in german
    assert "Einheimische" in german
    unknown = client.get(EMBED + "?lang=xx", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<html lang="fr">' in unknown


def test_an_unknown_or_closed_line_is_not_found(client, national_line):
    PhoneLine.objects.create(number="+33199000009", label="Old", is_active=False)
    assert client.get("/embed/line/33199000009/").status_code == 404
    assert client.get("/embed/line/33100000000/").status_code == 404
    assert client.get("/embed/line/%2B33199000000/").status_code == 404
    assert client.get(f"/embed/line/{national_line.pk}/").status_code == 404


def test_the_snippet_is_cached_briefly_for_anonymous_visitors(client, national_line):
    response = client.get(EMBED)
    assert "public" in response["Cache-Control"] and "max-age=60" in response["Cache-Control"]


def test_the_script_writes_the_frame_of_its_line():
    script = (Path(settings.BASE_DIR) / "static" / "js" / "embed.js").read_text()
    assert '"/embed/line/"' in script
    assert "data-concierge-line" in script


def test_the_help_page_gives_each_line_its_snippet(client, national_line, premium_line):
    response = client.get("/embed/")
    page = response.content.decode()
    shown = html.unescape(page)  # the snippets are text to copy, escaped on the page
    base = settings.PUBLIC_BASE_URL
    for code in ("33199000000", "33199000001"):
        assert f'data-concierge-line="{code}"' in shown
        assert f'<iframe src="{base}/embed/line/{code}/?lang=fr"' in shown
        assert f'<iframe class="embed-frame" src="/embed/line/{code}/"' in page
    assert f'<script src="{base}/static/js/embed.js"' in shown
    assert '<script src="' + base not in page  # shown, never run
    assert 'href="/posters/"' in page
