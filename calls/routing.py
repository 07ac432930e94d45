"""The one routing loop of calls and texts (DESIGN, "Routing policy"): the caller's wishes,
relaxed step by step, and the volunteers' rotating queue, claimed so that two calls or texts
arriving together never reach for the same person.

Voice and SMS both route through :func:`claim_first`; what "taking" a person means (ringing
them, giving them a conversation) is theirs to say.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from ambassadors.models import Ambassador
from concierge.models import CallMotive, Region

# "Least recently offered first, with a random pick among the first few": fair, and two calls
# arriving together rarely reach for the same person first.
QUEUE_HEAD = 3
# Every lost claim is someone else's win, so the loop ends; the bound only guards against a bug.
MAX_CLAIM_ROUNDS = 100

T = TypeVar("T")


@dataclass(frozen=True)
class Wish:
    """Whom a tourist would like to talk to."""

    language: str
    motive: CallMotive | None = None
    region: Region | None = None


def relaxed(wish: Wish) -> list[Wish]:
    """The wish, then relaxed: first the motive, then the region, and as a last resort English
    (every ambassador speaks it) rather than nobody at all."""
    steps = [
        wish,
        Wish(wish.language, None, wish.region),
        Wish(wish.language, None, None),
        Wish("en", None, None),
    ]
    return list(dict.fromkeys(steps))


def claim_first(
    wishes: Iterable[Wish],
    *,
    head: Callable[[Wish, int], list[Ambassador]],
    take: Callable[[Ambassador], T | None],
) -> T | None:
    """Walk the relaxed wishes; for each, ask ``head`` for the first few of the queue and try to
    ``take`` them in random order. ``take`` returns None when it lost the person to another call
    or text: the next look at the queue leaves them out (their queue position moved)."""
    for wish in wishes:
        for _round in range(MAX_CLAIM_ROUNDS):
            candidates = head(wish, QUEUE_HEAD)
            if not candidates:
                break
            random.shuffle(candidates)
            for candidate in candidates:
                taken = take(candidate)
                if taken is not None:
                    return taken
    return None
