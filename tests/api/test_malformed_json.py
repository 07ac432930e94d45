"""A body the JSON parser cannot take is the client's fault: a 400 naming the problem, on every
endpoint, never a 500 (issue 11, hole 8)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

DEEP = "[" * 100_000 + "]" * 100_000


def post_raw(client, method: str, url: str, body: str):
    return getattr(client, method)(url, data=body, content_type="application/json")


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("patch", "/api/v1/me/"),
        ("post", "/api/v1/me/availability/"),
        ("post", "/api/v1/me/pause/"),
    ],
)
def test_it_answers_400_to_deeply_nested_json(as_alice, method, url):
    response = post_raw(as_alice, method, url, DEEP)
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]


def test_the_login_endpoint_refuses_it_too(api, alice):
    response = post_raw(api, "post", "/api/v1/auth/token/", DEEP)
    assert response.status_code == 400


def test_a_deep_object_is_refused_as_well(as_alice):
    body = '{"a":' * 50_000 + "1" + "}" * 50_000
    assert post_raw(as_alice, "patch", "/api/v1/me/", body).status_code == 400


def test_ordinary_nesting_still_parses(as_alice):
    response = post_raw(as_alice, "patch", "/api/v1/me/", '{"display_name": "Ali"}')
    assert response.status_code == 200
    assert response.json()["display_name"] == "Ali"


@pytest.mark.parametrize("body", ["{", "NaN", '{"display_name": NaN}', b'{"display_name": "\xff"}'])
def test_other_broken_bodies_are_400s(as_alice, body):
    assert post_raw(as_alice, "patch", "/api/v1/me/", body).status_code == 400
