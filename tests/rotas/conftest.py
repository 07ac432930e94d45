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


@pytest.fixture
def team(db):
    """Two offices of one network (coordinator, managers, advisors) and an outsider."""
    import time_machine

    from .people import NOW, Team

    with time_machine.travel(NOW, tick=False):
        yield Team()
