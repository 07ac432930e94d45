"""The API keeps the contract its OpenAPI schema (/api/schema/) states: Schemathesis generates
valid and invalid requests for every operation, with a demo ambassador's token, and runs all its
checks on every answer: no server error, only documented statuses, content types, headers and
bodies (the 400, 401, 404 and 429 shapes, the time formats), invalid input refused, no operation
reachable without the token.

Bounded (a few examples per operation and phase) and deterministic, so CI sees the same requests
every run. Rerun it wider: ``ST_MAX_EXAMPLES=200 pytest tests/security/test_api_contract.py``.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import negative_data_rejection
from schemathesis.config import SchemathesisConfig

from concierge.wsgi import application

from ..factories import every_day, make_ambassador
from .figures import FIGURES

TOKEN = "5c4e3a9d0f1b2c7e8a6d4f3b1e0c9a8d7f6e5b4a"
MAX_EXAMPLES = int(os.environ.get("ST_MAX_EXAMPLES", "8"))

# Operations whose schema-valid requests may still break a rule no schema can state; there a 400
# (in the documented shape, which the other checks still verify) is a right answer.
RULES = {
    ("POST", "/api/v1/auth/token/"): "the e-mail and password must match an account",
    ("PATCH", "/api/v1/me/"): "18 or older, English among the languages, a region or anywhere",
    ("POST", "/api/v1/me/phone/verification/"): "a French mobile number nobody else holds",
    ("POST", "/api/v1/me/phone/verification/confirm/"): "the code that was texted",
    ("POST", "/api/v1/me/availability/"): "no overlap with another slot",
    ("PUT", "/api/v1/me/availability/{slot_id}/"): "no overlap with another slot",
    ("PATCH", "/api/v1/me/availability/{slot_id}/"): "no overlap with another slot",
    ("POST", "/api/v1/me/pause/"): "a date after today",
    ("POST", "/api/v1/me/redemptions/"): "a reward on offer, with enough points",
}
ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "429"]

config = SchemathesisConfig.from_dict(
    {
        "seed": 20261129,
        "headers": {"Authorization": f"Token {TOKEN}"},
        "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True},
        "phases": {name: {"enabled": True} for name in ("examples", "coverage", "fuzzing")},
        "checks": {"enabled": True},
        "operations": [
            {
                "include-method": method,
                "include-path": path,
                "checks": {"positive_data_acceptance": {"expected-statuses": [*ACCEPTED, 400]}},
            }
            for method, path in RULES
        ],
    }
)
schema = schemathesis.openapi.from_wsgi("/api/schema/", application, config=config)


@pytest.fixture
def demo_token(db):
    """A demo ambassador, onboarded and available all week, whose token every request carries.

    Schemathesis calls the WSGI application itself, not through Django's test client: like the
    client, keep the end of a request from closing the connection that holds the test's
    transaction (it would, with CONN_MAX_AGE=0, on PostgreSQL)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    ambassador = make_ambassador("demo@example.com", name="Demo", slots=every_day())
    assert ambassador.user is not None
    Token.objects.create(user=ambassador.user, key=TOKEN)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


FORMS = ("multipart/form-data", "application/x-www-form-urlencoded")


def empty_form(case) -> bool:
    """A body that is not an object has no form encoding: the API receives an empty form, which is
    a valid request wherever every field is optional (PATCH /me/), so its "acceptance" is right."""
    return case.media_type in FORMS and not isinstance(case.body, dict)


@schema.parametrize()
@settings(suppress_health_check=list(HealthCheck), deadline=None)
def test_the_api_keeps_its_schema(case, demo_token):
    case.call_and_validate(excluded_checks=[negative_data_rejection] if empty_form(case) else [])
    FIGURES["api contract: generated requests checked"] += 1


def test_workflows_keep_the_schema_too(demo_token):
    """Chains of calls linked by the ids they return (a slot created, read, changed, deleted)."""

    Machine: Any = schema.as_state_machine()  # a class built from the schema at run time

    class Workflow(Machine):
        def call(self, case, **kwargs):
            FIGURES["api contract: workflow requests checked"] += 1
            return super().call(case, **kwargs)

    Workflow.run(
        settings=settings(
            max_examples=MAX_EXAMPLES,
            stateful_step_count=5,
            derandomize=True,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
    )


def test_a_malformed_id_in_an_api_url_gets_a_json_404(client, demo_token):
    response = client.get(
        "/api/v1/me/availability/not-a-uuid/", HTTP_AUTHORIZATION=f"Token {TOKEN}"
    )
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


@pytest.fixture
def held_conversations(demo_token) -> list[str]:
    """The demo ambassador's conversations, one per channel (each with a tourist's text and a
    reply), and their communities in every state: what the generated requests, with their
    random ids, never meet."""
    from ambassadors.models import Ambassador, CommunityMembership, MembershipStatus
    from calls.models import (
        Conversation,
        ConversationChannel,
        ConversationStatus,
        Message,
        MessageAuthor,
        MessageDirection,
        MessageStatus,
        PhoneLine,
    )
    from concierge.models import Community

    demo = Ambassador.objects.get(user__email="demo@example.com")
    line = PhoneLine.objects.create(number="+33199000000", label="National")
    addresses = {"sms": "+4915112345678", "whatsapp": "whatsapp:+4915112345678", "web": "web:a1"}
    ids: list[str] = []
    for channel in ConversationChannel.values:
        conversation = Conversation.objects.create(
            line=line,
            tourist_number=addresses[channel],
            channel=channel,
            tourist_country="" if channel == "web" else "DE",
            responder=demo,
            status=ConversationStatus.OPEN,
            code=f"K{len(ids) + 1}",
        )
        for direction, author, status in (
            (MessageDirection.INBOUND, MessageAuthor.TOURIST, MessageStatus.RECEIVED),
            (MessageDirection.OUTBOUND, MessageAuthor.LOCAL, MessageStatus.DELIVERED),
        ):
            Message.objects.create(
                conversation=conversation,
                direction=direction,
                author=author,
                from_number=addresses[channel],
                to_number=line.number,
                body="Guten Abend!",
                sid=f"SM{channel}{direction}",
                status=status,
            )
        ids.append(str(conversation.public_id))
    communities = Community.objects.order_by("pk")[: len(MembershipStatus.values)]
    for community, state in zip(communities, MembershipStatus.values, strict=True):
        CommunityMembership.objects.create(ambassador=demo, community=community, status=state)
    return ids


def test_real_conversations_of_every_channel_keep_the_schema(held_conversations):
    auth = {"Authorization": f"Token {TOKEN}"}
    checked = [
        schema["/api/v1/me/conversations/"]["GET"].Case(headers=auth),
        schema["/api/v1/communities/"]["GET"].Case(headers=auth),
        *(
            schema["/api/v1/me/conversations/{conversation_id}/"]["GET"].Case(
                headers=auth, path_parameters={"conversation_id": conversation_id}
            )
            for conversation_id in held_conversations
        ),
    ]
    for case in checked:
        response = case.call_and_validate()
        assert response.status_code == 200
        FIGURES["api contract: generated requests checked"] += 1
    listed = checked[0].call().json()["results"]
    assert sorted(row["channel"] for row in listed) == ["sms", "web", "whatsapp"]
