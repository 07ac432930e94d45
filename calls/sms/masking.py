"""Contacts typed in relayed texts: hidden by default, so neither side learns the other's number
or address by accident (a line may allow sharing). What counts as a phone number is what
libphonenumber finds valid in the writer's country, so dates, times and prices pass through."""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
NUMBER_MARK = "[…]"


@dataclass(frozen=True)
class Masked:
    text: str
    hidden: bool  # whether anything was hidden


def mask_contacts(text: str, *, region: str) -> Masked:
    """The text with phone numbers and e-mail addresses replaced by a mark."""
    spans = [
        (match.start, match.end)
        for match in phonenumbers.PhoneNumberMatcher(
            text, region or "FR", leniency=phonenumbers.Leniency.VALID
        )
    ]
    spans += [(m.start(), m.end()) for m in EMAIL.finditer(text)]
    if not spans:
        return Masked(text, hidden=False)
    masked, last = [], 0
    for start, end in sorted(spans):
        if start < last:
            continue  # overlapping finds: the first one already covers it
        masked.append(text[last:start])
        masked.append(NUMBER_MARK)
        last = end
    masked.append(text[last:])
    return Masked("".join(masked), hidden=True)
