from __future__ import annotations

import pytest


@pytest.fixture
def national_line(db):
    from calls.models import PhoneLine

    return PhoneLine.objects.create(
        number="+33199000000", label="National", ivr_languages="en,fr,de,es,it"
    )


@pytest.fixture
def team(db):
    """Two offices of one network (coordinator, managers, advisors) and an outsider."""
    import time_machine

    from .people import NOW, Team

    with time_machine.travel(NOW, tick=False):
        yield Team()
