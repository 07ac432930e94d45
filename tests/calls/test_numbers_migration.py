"""The migration that keyed blocks, opt-outs and the rate limit by hash keeps what was there:
a number blocked or opted out before it is still blocked or opted out after."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from concierge.lib.pseudonyms import number_hash

BEFORE = [("calls", "0009_rehearsals")]
AFTER = [("calls", "0010_numbers_hashed")]
GERMAN = "+4915112345678"
BRITISH = "+447400123456"


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_numbers_are_hashed_and_their_clear_copies_dropped():
    old = migrate(BEFORE)
    try:
        line = old.get_model("calls", "PhoneLine").objects.create(number="+33199000000", label="L")
        call = old.get_model("calls", "Call")
        call.objects.create(sid="CA1", line=line, caller_number=GERMAN, received_at=timezone.now())
        call.objects.create(sid="CA2", line=line, caller_number="", received_at=timezone.now())
        blocked = old.get_model("calls", "BlockedNumber")
        blocked.objects.create(number=GERMAN, reason="abuse")
        blocked.objects.create(number="+49 151 1234 5678", reason="the same, typed by hand")
        opt_out = old.get_model("calls", "OptOut")
        opt_out.objects.create(number=BRITISH)
        opt_out.objects.create(number=BRITISH, is_rehearsal=True)  # kept apart, kept both

        new = migrate(AFTER)

        calls = dict(new.get_model("calls", "Call").objects.values_list("sid", "caller_hash"))
        assert calls == {"CA1": number_hash(GERMAN), "CA2": ""}
        blocks = new.get_model("calls", "BlockedNumber").objects.values_list(
            "number_hash", "reason"
        )
        assert list(blocks) == [(number_hash(GERMAN), "abuse")]
        opt_outs = new.get_model("calls", "OptOut").objects.order_by("pk")
        assert list(opt_outs.values_list("number_hash", "is_rehearsal")) == [
            (number_hash(BRITISH), False),
            (number_hash(BRITISH), True),
        ]
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
