"""The destination's read-mostly rows, kept in each process (concierge.lib.readmostly): motives
and regions (the menus, the speech matcher, every call's wish) and communities (named in a
tourist's first text). Every row is kept, active or not, by id; the menus take the active ones
in their order. (A line's community is kept with the line, calls/cached.py; the communities a
caller may ask for, those with members, in ambassadors/cached.py.)"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from django.db.models import Model

from .lib.readmostly import ReadMostly
from .models import CallMotive, Community, Region

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Rows(Generic[M]):
    """A table's rows in its order, by id, and the active ones."""

    by_id: dict[int, M]
    active: list[M]

    @classmethod
    def of(cls, rows: list[M]) -> Rows[M]:
        return cls(
            by_id={row.pk: row for row in rows},
            active=[row for row in rows if getattr(row, "is_active", True)],
        )

    def active_by_code(self, code: str) -> M | None:
        return next((row for row in self.active if getattr(row, "code", None) == code), None)


MOTIVES = ReadMostly("motives", lambda: Rows.of(list(CallMotive.objects.all()))).watch(CallMotive)
REGIONS = ReadMostly("regions", lambda: Rows.of(list(Region.objects.all()))).watch(Region)
COMMUNITIES = ReadMostly("communities", lambda: Rows.of(list(Community.objects.all()))).watch(
    Community
)


def motives() -> Rows[CallMotive]:
    return MOTIVES.get()


def regions() -> Rows[Region]:
    return REGIONS.get()


def communities() -> Rows[Community]:
    return COMMUNITIES.get()
