"""The shared cache (Redis) down: the web chat keeps working from the database, slower and with
its rate limits lifted (the proof of work and the honeypot still hold), and never answers a 500
without the CORS header the panel needs to read the refusal."""

from __future__ import annotations

import pytest

from calls.models import Message

from .conftest import SITE

pytestmark = pytest.mark.django_db


def test_a_visitor_starts_writes_and_reads_while_the_shared_cache_is_down(
    visitor, cache_down, caplog
):
    started = visitor.start()
    assert started.status_code == 201, started.content
    assert started["Access-Control-Allow-Origin"] == SITE

    written = visitor.write("Is the Fourvière basilica open on Sunday?")
    assert written.status_code in (200, 201), written.content
    assert Message.objects.filter(body__startswith="Is the Fourvière").exists()

    polled = visitor.poll()
    assert polled.status_code == 200, polled.content
    assert "Is the Fourvière basilica open on Sunday?" in visitor.texts()
    again = visitor.poll()  # no stamp to compare with: the thread is read again, not a 304
    assert again.status_code == 200
    assert "shared cache is unreachable" in caplog.text
