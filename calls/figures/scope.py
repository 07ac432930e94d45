"""Whose figures a person may read: staff every line's, a network's coordinator and office
managers those of their network (its regions, and the lines that cover them); nobody else."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, Value

from concierge.models import PLANNING_ROLES, Membership, OfficeNetwork, Region, User

from ..models import EVERY_LINE, PhoneLine


@dataclass(frozen=True)
class Scope:
    """``network`` None: every line (staff). ``regions`` and ``lines``: the ids a network's
    figures are made of (its regions, and the lines covering one of them)."""

    network: OfficeNetwork | None
    networks: tuple[OfficeNetwork, ...]  # the ones this person may choose from
    regions: tuple[int, ...] = ()
    lines: tuple[int, ...] = ()

    def rows(self) -> Q:
        """Which rollup rows (FigureHour, FigureDay) are in scope: ids as literals, so that
        PostgreSQL combines the region and line indexes."""
        if self.network is None:
            return Q(line_key=EVERY_LINE)
        return Q(region_key__in=self.regions) | Q(line_key__in=self.lines)

    def places(self) -> Q:
        """The rows of each line and region (staff read the rows of every line otherwise)."""
        return ~Q(line_key=EVERY_LINE) if self.network is None else self.rows()


def _of(network: OfficeNetwork, networks: tuple[OfficeNetwork, ...]) -> Scope:
    """The network's regions and lines, in one query."""
    regions = Region.objects.filter(officenetwork=network).annotate(side=Value("region"))
    lines = PhoneLine.objects.filter(regions__officenetwork=network).annotate(side=Value("line"))
    ids = (
        regions.order_by()
        .values_list("pk", "side")
        .union(lines.order_by().values_list("pk", "side"))
    )
    found: dict[str, list[int]] = {"region": [], "line": []}
    for pk, side in ids:
        found[side].append(pk)
    return Scope(network, networks, tuple(found["region"]), tuple(found["line"]))


class NotAllowed(Exception):
    """Not someone who reads figures (a volunteer, an advisor): a 403."""


class NotFound(Exception):
    """A network they do not belong to, or none at all: a 404 (nothing said about it)."""


def scope_for(user: User, network_id: int | None) -> Scope:
    """One query for a network's people; staff may also choose any network (one query)."""
    if user.is_staff:
        networks = tuple(OfficeNetwork.objects.all())
        if network_id is None:
            return Scope(None, networks)
        chosen = next((n for n in networks if n.pk == network_id), None)
        if chosen is None:
            raise NotFound
        return _of(chosen, networks)
    memberships = Membership.objects.filter(user=user, role__in=PLANNING_ROLES).select_related(
        "network"
    )
    networks = tuple({m.network_id: m.network for m in memberships}.values())
    if not networks:
        raise NotAllowed
    if network_id is None:
        return _of(networks[0], networks)
    chosen = next((n for n in networks if n.pk == network_id), None)
    if chosen is None:
        raise NotFound
    return _of(chosen, networks)
