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
from concierge.models import CallMotive, Community, Region

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
    # An affinity community the line asks for: its members first, exactly like a topic.
    community: Community | None = None


def relaxed(wish: Wish) -> list[Wish]:
    """The wish, then relaxed: first the community, then the motive, then the region, and as a
    last resort English (every ambassador speaks it) rather than nobody at all."""
    steps = [
        wish,
        Wish(wish.language, wish.motive, wish.region),
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
    taken = claim_several(wishes, count=1, head=head, take=take)
    return taken[0] if taken else None


def claim_several(
    wishes: Iterable[Wish],
    *,
    count: int,
    head: Callable[[Wish, int], list[Ambassador]],
    take: Callable[[Ambassador], T | None] | None = None,
    take_several: Callable[[list[Ambassador]], list[T]] | None = None,
) -> list[T]:
    """Up to ``count`` people for one call (a ring group): for each relaxed wish, the first
    ``count + QUEUE_HEAD - 1`` of the queue in random order, so the group is the queue's head
    with the same random tie-break as one person. They are claimed as many at a time as are
    still needed, by ``take_several`` (what it got of those given, e.g. in one statement) or
    else ``take`` one by one. Whoever was tried and lost is left out of the next look (another
    call holds them). A group never mixes languages: once someone speaking the wish's language
    is taken, relaxing to English stops (the caller's own language first; English is the last
    resort for nobody at all)."""
    if take_several is None:
        if take is None:
            raise TypeError("claim_several needs take or take_several")
        take_several = _one_by_one(take)
    taken: list[T] = []
    tried: set[int] = set()
    language = None
    for wish in wishes:
        if language is not None and wish.language != language:
            break
        for _round in range(MAX_CLAIM_ROUNDS):
            need = count - len(taken)
            if need <= 0:
                return taken
            fresh = [c for c in head(wish, need + QUEUE_HEAD - 1 + len(tried)) if c.pk not in tried]
            if not fresh:
                break
            random.shuffle(fresh)
            while fresh and len(taken) < count:
                batch, fresh = fresh[: count - len(taken)], fresh[count - len(taken) :]
                tried.update(c.pk for c in batch)
                got = take_several(batch)
                if got:
                    taken += got
                    language = wish.language
            if len(taken) == count:
                return taken
    return taken


def _one_by_one(take: Callable[[Ambassador], T | None]) -> Callable[[list[Ambassador]], list[T]]:
    def take_several(batch: list[Ambassador]) -> list[T]:
        return [got for candidate in batch if (got := take(candidate)) is not None]

    return take_several
