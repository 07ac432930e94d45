"""Reading what a test received: a link or a code in a text or an e-mail."""

from __future__ import annotations

import re

from django.utils.functional import Promise


def found(pattern: str, text: str | Promise, group: int = 0) -> str:
    """What ``pattern`` finds in ``text`` (a group of it); the test fails saying what was
    looked for when it finds nothing."""
    match = re.search(pattern, str(text))
    assert match is not None, f"{pattern!r} is not in {text!r}"
    return match.group(group)
