"""Phone numbers we must recognise but need not read.

A rate limit, a block or an opt-out only has to tell whether *this* number came before, so it
keeps a keyed hash (HMAC-SHA256 under a key derived from SECRET_KEY): the same number always gives
the same hash, and without the key nobody can rebuild the number by hashing every possible one.
Once a clear number may no longer be kept, a pseudonym takes its place: short enough for any
number column, the same for the same number (a conversation still reads as one) and never
mistaken for a number.

Changing SECRET_KEY changes every hash: blocks and opt-outs would no longer match (see
docs/PRIVACY.md).
"""

from __future__ import annotations

import re

from django.utils.crypto import salted_hmac

HASH_SALT = "concierge.lib.pseudonyms.number"
PSEUDONYM_PREFIX = "~"
PSEUDONYM_LENGTH = 16  # hex digits of the hash: 64 bits, no collision among our numbers

_SPACING = re.compile(r"[\s().-]")


def number_hash(number: str) -> str:
    """The keyed hash of a number (64 hex digits), spacing ignored; "" for no number."""
    number = _SPACING.sub("", number or "")
    if not number:
        return ""
    return salted_hmac(HASH_SALT, number, algorithm="sha256").hexdigest()


def number_pseudonym(number: str) -> str:
    """What stands where a number was erased, e.g. "~3f9a0c…" (17 characters)."""
    if not number or is_pseudonym(number):
        return number
    return PSEUDONYM_PREFIX + number_hash(number)[:PSEUDONYM_LENGTH]


def is_pseudonym(value: str) -> bool:
    return value.startswith(PSEUDONYM_PREFIX)
