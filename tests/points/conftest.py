from __future__ import annotations

import pytest


@pytest.fixture
def national_line(db):
    from calls.models import PhoneLine

    # The full menu, one local at a time: the flow these tests walk through.
    return PhoneLine.objects.create(
        number="+33199000000",
        label="National",
        ivr_languages="en,fr,de,es,it",
        full_menu=True,
        ring_group_size=1,
    )


@pytest.fixture(autouse=True)
def _connection_timeout():
    """A broker that is down must fail fast in tests, not after Celery's retries."""
    from concierge.celery import app

    saved = app.conf.broker_connection_timeout, app.conf.broker_connection_retry
    app.conf.broker_connection_timeout = 1
    yield
    app.conf.broker_connection_timeout, app.conf.broker_connection_retry = saved
