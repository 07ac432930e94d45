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


def pytest_terminal_summary(terminalreporter):
    from .figures import FIGURES

    if FIGURES:
        terminalreporter.write_sep("-", "standing security checks")
        for name, count in sorted(FIGURES.items()):
            terminalreporter.write_line(f"{name}: {count}")


def pytest_collection_modifyitems(items):
    """Schemathesis 4.32 builds one item per API operation but, on pytest 9, gives them all the
    test's own node id: pytest-xdist (``make test`` runs ``-n auto``) would then run only one.
    Each gets its operation in its id, as on older pytest: ``…[GET /api/v1/me/]``."""
    from schemathesis.pytest.plugin import SchemathesisFunction

    for item in items:
        if isinstance(item, SchemathesisFunction) and "[" not in item.nodeid:
            assert item.parent is not None
            item._id = item.parent.id.child(item.name)
