"""The words of each notice: one line for the app, an e-mail and a text, in the language given
(the reader's). Names only: no phone number is ever part of a notice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..lib.mail import Mail
from ..lib.redaction import redact
from ..lib.timezones import destination_tz
from ..models import NoticeKind
from . import copy
from .worktime import day_text, time_text


@dataclass(frozen=True)
class Facts:
    """What a notice is about, as plain values (the recipient's side of it included)."""

    kind: str
    network: str
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    actor: str = ""  # who offered, took, assigned or removed
    offerer: str = ""
    taker: str = ""
    to_offerer: bool = False  # an approval or a refusal, read by the one who offered
    handed_over: bool = False  # a shift taken has changed hands
    empty: int = 0
    needed: int = 0


def day_and_time(at: datetime) -> tuple[str, str]:
    """The day in words and the time, in the active language: French names days and months in
    lower case mid-sentence and writes the first of the month "1er"."""
    local = at.astimezone(destination_tz())
    first = translation.get_language() == "fr" and local.day == 1
    return day_text(local, r"l j\e\r F" if first else "l j F"), time_text(at)


def line(facts: Facts) -> str:
    """One sentence, in the active language: what the app shows."""
    values = {"network": facts.network, "name": facts.actor}
    if facts.starts_at and facts.ends_at:
        values["day"], values["start"] = day_and_time(facts.starts_at)
        values["end"] = day_and_time(facts.ends_at)[1]
    kind = facts.kind
    if kind == NoticeKind.OFFERED:
        text = _("%(name)s offers their shift of %(day)s, %(start)s–%(end)s (%(network)s).")
    elif kind == NoticeKind.TAKEN and facts.handed_over:
        text = _("%(name)s took your shift of %(day)s, %(start)s–%(end)s: it is theirs now.")
    elif kind == NoticeKind.TAKEN:
        text = _(
            "%(name)s would take your shift of %(day)s, %(start)s–%(end)s: it stays yours "
            "until the coordinator approves."
        )
    elif kind == NoticeKind.APPROVED and facts.to_offerer:
        values["name"] = facts.taker
        text = _("Hand-over approved: %(name)s takes your shift of %(day)s, %(start)s–%(end)s.")
    elif kind == NoticeKind.APPROVED:
        text = _("Hand-over approved: the shift of %(day)s, %(start)s–%(end)s is yours.")
    elif kind == NoticeKind.REFUSED and facts.to_offerer:
        text = _("Hand-over refused: your shift of %(day)s, %(start)s–%(end)s stays yours.")
    elif kind == NoticeKind.REFUSED:
        values["name"] = facts.offerer
        text = _("Hand-over refused: the shift of %(day)s, %(start)s–%(end)s stays with %(name)s.")
    elif kind == NoticeKind.HANDOVER_WAITING:
        values.update(offerer=facts.offerer, taker=facts.taker)
        text = _(
            "%(offerer)s hands the shift of %(day)s, %(start)s–%(end)s to %(taker)s: waiting "
            "for approval."
        )
    elif kind == NoticeKind.ASSIGNED:
        text = _("%(name)s gave you the shift of %(day)s, %(start)s–%(end)s (%(network)s).")
    elif kind == NoticeKind.REMOVED:
        text = _("%(name)s took you off the shift of %(day)s, %(start)s–%(end)s (%(network)s).")
    elif kind == NoticeKind.SHIFT_SOON:
        text = _("Your shift for %(network)s starts on %(day)s at %(start)s.")
    elif facts.empty == 0:
        text = _("The shift of %(day)s, %(start)s–%(end)s (%(network)s) is fully staffed now.")
    else:
        values.update(empty=str(facts.empty), needed=str(facts.needed))
        text = ngettext(
            "%(network)s: %(empty)s seat of %(needed)s is still empty today, %(start)s–%(end)s.",
            "%(network)s: %(empty)s seats of %(needed)s are still empty today, %(start)s–%(end)s.",
            facts.empty,
        )
    return text % values


def _subject(facts: Facts) -> str:
    day = day_and_time(facts.starts_at)[0] if facts.starts_at else ""
    subjects = {
        NoticeKind.OFFERED: _("A shift to take: %(day)s"),
        NoticeKind.TAKEN: _("Your shift of %(day)s is taken"),
        NoticeKind.APPROVED: _("Hand-over approved: %(day)s"),
        NoticeKind.REFUSED: _("Hand-over refused: %(day)s"),
        NoticeKind.HANDOVER_WAITING: _("A hand-over to approve: %(day)s"),
        NoticeKind.ASSIGNED: _("New shift: %(day)s"),
        NoticeKind.REMOVED: _("Shift withdrawn: %(day)s"),
        NoticeKind.EMPTY_SEAT: _("%(network)s: an empty seat today"),
    }
    return subjects[NoticeKind(facts.kind)] % {"day": day, "network": facts.network}


def _action(kind: str, link: str) -> str:
    if kind == NoticeKind.HANDOVER_WAITING:
        return _("Approve or refuse: %(link)s") % {"link": link}
    if kind == NoticeKind.OFFERED:
        return _("Take it: %(link)s") % {"link": link}
    if kind == NoticeKind.EMPTY_SEAT:
        return _("Find someone: %(link)s") % {"link": link}
    return _("See it: %(link)s") % {"link": link}


def mail(facts: Facts, *, language: str, link: str, preferences: str) -> Mail:
    """The e-mail: the line, where to act, and where to choose what one receives."""
    if facts.kind == NoticeKind.SHIFT_SOON and facts.starts_at and facts.ends_at:
        reminder = copy.shift_reminder(
            network=facts.network,
            starts_at=facts.starts_at,
            ends_at=facts.ends_at,
            language=language,
        )
        subject, first = reminder.subject, reminder.body
    with translation.override(language):
        if facts.kind != NoticeKind.SHIFT_SOON:
            subject, first = _subject(facts), line(facts)
        footer = _("Choose which notifications you receive: %(link)s") % {"link": preferences}
        body = "\n\n".join([first, _action(facts.kind, link), f"-- \n{footer}"])
    return Mail(subject=subject, body=body + "\n")


def text(facts: Facts, *, language: str, link: str) -> str:
    """The text message: short, with the link; anything shaped like a phone number in a name is
    blanked, so a text never carries someone else's number."""
    if facts.kind == NoticeKind.SHIFT_SOON and facts.starts_at and facts.ends_at:
        body = copy.shift_reminder(
            network=facts.network,
            starts_at=facts.starts_at,
            ends_at=facts.ends_at,
            language=language,
        ).body
        return f"{redact(body)} {link}"
    with translation.override(language):
        words = _("Destination Concierge: %(text)s") % {"text": line(facts)}
    return f"{redact(words)} {link}"
