"""Every text and e-mail of the shared rotas, in the offices' language (French), where the
advisors, managers and coordinators who receive them work."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..lib.languages import OFFICE_LANGUAGE
from ..lib.mail import Mail
from ..lib.timezones import destination_tz
from .worktime import day_text, time_text


def _day_and_time(at: datetime) -> tuple[str, str]:
    # French names days and months in lower case mid-sentence ("le lundi 1 juin"): ``day_text``.
    return day_text(at.astimezone(destination_tz())), time_text(at)


def shift_reminder(
    *, network: str, starts_at: datetime, ends_at: datetime, language: str = OFFICE_LANGUAGE
) -> Mail:
    """By text (the body) and by e-mail, before a shift, in the advisor's language."""
    with translation.override(language):
        day, start = _day_and_time(starts_at)
        _day, end = _day_and_time(ends_at)
        body = _(
            "Destination Concierge: you are on duty for %(network)s on %(day)s, "
            "%(start)s–%(end)s. Calls and texts will come to this phone."
        ) % {"network": network, "day": day, "start": start, "end": end}
        return Mail(subject=_("Your shift on the line"), body=body)


@dataclass(frozen=True)
class Gap:
    starts_at: datetime
    empty: int
    needed: int


def uncovered_shifts(*, network: str, gaps: Sequence[Gap], days: int, link: str) -> Mail:
    """To a network's coordinators, once a day, when shifts still have empty seats."""
    with translation.override(OFFICE_LANGUAGE):
        lines = []
        for gap in gaps:
            day, start = _day_and_time(gap.starts_at)
            seats = _("%(empty)d of %(needed)d seats empty") % {
                "empty": gap.empty,
                "needed": gap.needed,
            }
            lines.append(f"- {day} {start}: {seats}")
        intro = ngettext(
            "%(count)d shift of %(network)s in the next %(days)d days still needs advisors:",
            "%(count)d shifts of %(network)s in the next %(days)d days still need advisors:",
            len(gaps),
        ) % {"count": len(gaps), "network": network, "days": days}
        body = "\n".join([intro, "", *lines, "", _("Plan them: %(link)s") % {"link": link}])
        subject = _("%(network)s: uncovered shifts") % {"network": network}
        return Mail(subject=subject, body=body)


def invitation(*, inviter: str, office: str, network: str, days: int, link: str) -> Mail:
    with translation.override(OFFICE_LANGUAGE):
        body = _(
            "%(inviter)s invites you to join %(office)s in the %(network)s rota on Destination "
            "Concierge.\n\nAccept within %(days)d days: %(link)s\n"
        ) % {"inviter": inviter, "office": office, "network": network, "days": days, "link": link}
        subject = _("Join %(office)s on Destination Concierge") % {"office": office}
        return Mail(subject=subject, body=body)
