"""Region, call-motive and community names in the reader's language.

Regions, motives and communities are database rows with an English ``name``; the ones the
destination ships with (``concierge/migrations/0002`` and ``0008``) have their names translated
here, by ``code``, through gettext — no migration, no column per language. A row added later (by
staff, with a new code) shows its own ``name`` until a translation is added below.
"""

from __future__ import annotations

from typing import Protocol

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Named(Protocol):
    @property
    def code(self) -> str: ...

    @property
    def name(self) -> str: ...


REGION_NAMES: dict[str, Promise] = {
    "auvergne-rhone-alpes": _("Auvergne-Rhône-Alpes"),
    "bourgogne-franche-comte": _("Burgundy-Franche-Comté"),
    "bretagne": _("Brittany"),
    "centre-val-de-loire": _("Centre-Loire Valley"),
    "corse": _("Corsica"),
    "grand-est": _("Grand Est"),
    "hauts-de-france": _("Hauts-de-France"),
    "ile-de-france": _("Paris and Île-de-France"),
    "normandie": _("Normandy"),
    "nouvelle-aquitaine": _("Nouvelle-Aquitaine"),
    "occitanie": _("Occitania"),
    "pays-de-la-loire": _("Pays de la Loire"),
    "provence-alpes-cote-d-azur": _("Provence-Alps-French Riviera"),
    "guadeloupe": _("Guadeloupe"),
    "martinique": _("Martinique"),
    "guyane": _("French Guiana"),
    "la-reunion": _("Réunion"),
    "mayotte": _("Mayotte"),
}

MOTIVE_NAMES: dict[str, Promise] = {
    "plan-a-trip": _("Plan a trip"),
    "food-and-wine": _("Food and wine"),
    "culture": _("Culture and art of living"),
    "unusual-places": _("Unusual places and good addresses"),
    "practical-help": _("Practical help"),
    "just-chat": _("Just chat"),
}

COMMUNITY_NAMES: dict[str, Promise] = {
    "food-lovers": _("Food lovers"),
    "hikers": _("Hikers and walkers"),
    "families": _("Families with children"),
    "accessible-travel": _("Accessible travel"),
    "lgbtq-friendly": _("LGBTQ+ friendly"),
    "students": _("Students"),
    "wine": _("Wine lovers"),
}


def region_name(region: Named) -> str:
    """The region's name in the active language (its row's name for a code we do not know)."""
    return str(REGION_NAMES.get(region.code, region.name))


def motive_name(motive: Named) -> str:
    """The motive's name in the active language (its row's name for a code we do not know)."""
    return str(MOTIVE_NAMES.get(motive.code, motive.name))


def community_name(community: Named) -> str:
    """The community's name in the active language (its row's name for a code we do not know)."""
    return str(COMMUNITY_NAMES.get(community.code, community.name))
