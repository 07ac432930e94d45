"""Affinity communities in the mobile API: the list with one's own status, joining, leaving."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_api_lists_joins_and_leaves(as_alice, alice):
    listed = {row["code"]: row for row in as_alice.get("/api/v1/communities/").json()}
    assert listed["hikers"] == {
        "code": "hikers",
        "name": "Hikers and walkers",
        "description": "",
        "moderated": False,
        "members": 0,
        "status": "",
    }
    joined = as_alice.post("/api/v1/me/communities/", {"code": "hikers"}, format="json")
    assert joined.status_code == 201
    assert joined.json() == {"code": "hikers", "status": "approved"}
    asked = as_alice.post("/api/v1/me/communities/", {"code": "families"}, format="json")
    assert asked.json()["status"] == "approved"
    after = {row["code"]: row for row in as_alice.get("/api/v1/communities/").json()}
    assert (after["hikers"]["members"], after["hikers"]["status"]) == (1, "approved")

    assert as_alice.delete("/api/v1/me/communities/hikers/").status_code == 204
    assert as_alice.delete("/api/v1/me/communities/hikers/").status_code == 404
    assert as_alice.post("/api/v1/me/communities/", {"code": "nope"}).status_code == 404
    assert as_alice.post("/api/v1/me/communities/", {"code": "not a slug!"}).status_code == 400


def test_the_api_names_communities_in_the_readers_language(as_alice):
    rows = as_alice.get("/api/v1/communities/", HTTP_ACCEPT_LANGUAGE="fr").json()
    assert {row["name"] for row in rows} >= {"Familles avec enfants", "Amateurs de vin"}
