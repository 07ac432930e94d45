"""A handful of calls and conversations with known timings, for the figures' tests.

On 2026-06-10 (a Wednesday; Paris is UTC+2), on the national line:
- 4 calls answered after 8, 25, 50 and 200 s (menus 5, 15, 30, 60 s before the first ring),
  from Germany (2), Italy and the US; the 200 s one by an advisor on duty, the others by a
  volunteer; two at 18:xx Paris time (16 UTC), two at 19:xx (17 UTC);
- 1 call nobody could answer, whose caller asked to be texted back (menu 12 s);
- 1 call abandoned in the menu, 1 refused, 1 rehearsal (never counted);
and 3 texts: replied after 3 and 90 minutes, and one closed unanswered after the FAQ replied.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ambassadors.models import Ambassador
from calls.models import (
    AttemptOutcome,
    Call,
    CallAttempt,
    CallbackRequest,
    CallStatus,
    Conversation,
    ConversationStatus,
    PhoneLine,
)
from concierge.models import CallMotive, Membership, Region

DAY = datetime(2026, 6, 10, tzinfo=UTC)
_sids = iter(range(1, 10_000))


def at(hour: int, minute: int = 0, second: int = 0) -> datetime:
    return DAY.replace(hour=hour, minute=minute, second=second)


def call(
    line: PhoneLine,
    received: datetime,
    *,
    status: CallStatus = CallStatus.COMPLETED,
    answered_after: int | None = None,
    menu: int | None = None,
    country: str = "DE",
    language: str = "de",
    motive: CallMotive | None = None,
    region: Region | None = None,
    responder: Ambassador | None = None,
    advisor: Membership | None = None,
    ended: bool = True,
    rehearsal: bool = False,
) -> Call:
    new = Call.objects.create(
        sid=f"CA{next(_sids):032d}",
        line=line,
        caller_number="+4915112345678",
        caller_country=country,
        language=language,
        motive=motive,
        region=region,
        status=status,
        received_at=received,
        answered_at=received + timedelta(seconds=answered_after) if answered_after else None,
        ended_at=received + timedelta(minutes=10) if ended else None,
        responder=responder if answered_after and not advisor else None,
        advisor=advisor if answered_after else None,
        is_rehearsal=rehearsal,
    )
    if menu is not None:
        CallAttempt.objects.create(
            call=new,
            ambassador=responder if not advisor else None,
            advisor=advisor,
            order=1,
            outcome=AttemptOutcome.ACCEPTED if answered_after else AttemptOutcome.NO_ANSWER,
            started_at=received + timedelta(seconds=menu),
        )
    return new


def text(
    line: PhoneLine,
    opened: datetime,
    *,
    replied_after: timedelta | None,
    country: str = "GB",
    language: str = "en",
    faq: bool = False,
    responder: Ambassador | None = None,
) -> Conversation:
    return Conversation.objects.create(
        line=line,
        tourist_number=f"+4477009{next(_sids):05d}",
        tourist_country=country,
        language=language,
        status=ConversationStatus.CLOSED,
        opened_at=opened,
        first_reply_at=opened + replied_after if replied_after else None,
        first_response_time=replied_after,
        faq_sent_at=opened if faq else None,
        closed_at=opened + timedelta(hours=3),
        responder=responder if replied_after else None,
    )


class Figures:
    """The day described above; ``calls`` and ``texts`` are the counted ones."""

    def __init__(self, line: PhoneLine, ambassador: Ambassador, advisor: Membership) -> None:
        region = Region.objects.get(code="auvergne-rhone-alpes")
        food = CallMotive.objects.get(code="food-and-wine")
        self.calls = [
            call(line, at(16, 5), answered_after=8, menu=5, motive=food, region=region,
                 responder=ambassador),
            call(line, at(16, 40), answered_after=25, menu=15, motive=food, responder=ambassador),
            call(line, at(17, 10), answered_after=50, menu=30, country="IT", language="it",
                 responder=ambassador),
            call(line, at(17, 30), answered_after=200, menu=60, country="US", language="en",
                 advisor=advisor),
            call(line, at(17, 45), status=CallStatus.NO_RESPONDER, menu=12, responder=ambassador),
            call(line, at(17, 50), status=CallStatus.ABANDONED),
            call(line, at(17, 55), status=CallStatus.REFUSED),
        ]  # fmt: skip
        CallbackRequest.objects.create(call=self.calls[4])
        self.rehearsal = call(
            line, at(17, 0), answered_after=9, rehearsal=True, responder=ambassador
        )
        self.texts = [
            text(line, at(16, 0), replied_after=timedelta(minutes=3), responder=ambassador),
            text(line, at(16, 30), replied_after=timedelta(minutes=90), faq=True,
                 responder=ambassador),
            text(line, at(17, 0), replied_after=None, faq=True, country="FR", language="fr"),
        ]  # fmt: skip
