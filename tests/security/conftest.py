from __future__ import annotations

import pytest


@pytest.fixture
def national_line(db):
    from calls.models import PhoneLine

    return PhoneLine.objects.create(
        number="+33199000000", label="National", ivr_languages="en,fr,de,es,it"
    )


def pytest_terminal_summary(terminalreporter):
    from .figures import FIGURES

    if FIGURES:
        terminalreporter.write_sep("-", "standing security checks")
        for name, count in sorted(FIGURES.items()):
            terminalreporter.write_line(f"{name}: {count}")
