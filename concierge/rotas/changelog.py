"""The rota's change log: each entry stored as data (who, which shift) and put into words when
read, in the reader's language ("Amélie assigned to Sunday 6 December, 10:00", « Amélie :
ajout au créneau du dimanche 6 décembre, 10:00 »)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from ..models import Membership, RotaChange, User
from .worktime import day_text, time_text


def shift_text(starts_at: datetime) -> str:
    """ "Sunday 6 December, 10:00" (« dimanche 6 décembre, 10:00 »)."""
    return _("%(day)s, %(time)s") % {"day": day_text(starts_at), "time": time_text(starts_at)}


def change_text(action: str, data: dict[str, Any]) -> str | None:
    """The entry in the active language; None when the data does not say enough."""
    try:
        values = dict(data)
        if "starts_at" in values:
            values["shift"] = shift_text(datetime.fromisoformat(values["starts_at"]))
        if "day" in values:
            values["day"] = day_text(date.fromisoformat(values["day"]), "l j F Y")
        template = {
            "assign": _("%(advisor)s assigned to %(shift)s"),
            "unassign": _("%(advisor)s taken off %(shift)s"),
            "offer": _("%(advisor)s offers %(shift)s"),
            "take": _("%(advisor)s would take %(shift)s (waiting for approval)"),
            "refuse": _("Hand-over of %(shift)s refused"),
            "hand-over": _("%(shift)s handed from %(from)s to %(to)s"),
            "closure": _("%(place)s closed on %(day)s"),
            "reopening": _("%(place)s open again on %(day)s"),
            "invite": _("%(by_name)s invited %(email)s to %(office)s"),
            "join": _("%(advisor)s joined %(office)s"),
        }[action]
        return template % values
    except (KeyError, TypeError, ValueError):
        return None


def rota_log(*, by: Membership, action: str, **data: Any) -> RotaChange:
    """Record a change; ``data`` holds plain values (datetimes are stored as ISO text)."""
    stored = {k: v.isoformat() if isinstance(v, date) else v for k, v in data.items()}
    with translation.override("en"):
        description = change_text(action, stored) or action
    return RotaChange.objects.create(
        network_id=by.network_id,
        actor=by.user,
        action=action,
        data=stored,
        description=description[:300],
    )


@dataclass(frozen=True)
class ChangeLine:
    """An entry as the pages show it: ``description`` in the reader's language."""

    created_at: datetime
    actor: User | None
    action: str
    description: str


def change_lines(changes: QuerySet[RotaChange] | list[RotaChange]) -> list[ChangeLine]:
    return [
        ChangeLine(
            c.created_at,
            c.actor,
            c.action,
            change_text(c.action, c.data) or c.description,
        )
        for c in changes
    ]
