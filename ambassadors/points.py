"""Reward points: an append-only ledger, awards that happen exactly once, rewards and redemptions.

Points are money for our volunteers. Every change of balance is a ledger entry with a reason and
a unique key, so no retry, duplicate callback or worker restart can award twice. Events that may
earn points (a completed call, a text answered quickly) are first written as *pending awards*, in
the same transaction as the event; a Celery task turns them into entries. A broker outage
therefore loses nothing: the periodic task finds the pending awards when the broker is back.

The calls app reports events with plain values (``points_award_call`` …); this module never
imports it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from concierge.lib import telephony
from concierge.lib.timezones import destination_tz
from concierge.models import User

from .models import (
    Ambassador,
    AwardKind,
    AwardStatus,
    EntryKind,
    PointsAward,
    PointsEntry,
    PointsRules,
    Redemption,
    RedemptionStatus,
    Reward,
)

logger = logging.getLogger(__name__)

BATCH = 1000  # pending awards turned into entries per transaction
# Many calls ending together need one task, not one each: a process enqueues at most one a
# second, to run a second later, and that task awards everything pending by then.
ENQUEUE_FLAG = "points:award-enqueued"
ENQUEUE_DELAY = 1


class PointsError(Exception):
    """A redemption cannot be made or decided; the message says why, for the ambassador."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- Events that may earn points (called by the calls app) -------------------------------------


def points_award_call(
    *, ambassador_id: int, call_ref: str, answered_at: datetime, duration: int
) -> None:
    """A call the ambassador accepted has ended. Calls under the minimum earn nothing (their
    award is kept, marked done, to show the call was seen)."""
    _record(
        key=f"call:{call_ref}",
        kind=AwardKind.CALL,
        ambassador_id=ambassador_id,
        reference=call_ref,
        occurred_at=answered_at,
        seconds=max(0, duration),
    )


def points_award_sms_conversation(
    *,
    ambassador_id: int,
    conversation_ref: str,
    first_message_at: datetime,
    first_reply_at: datetime,
) -> None:
    """The ambassador answered a tourist's text conversation for the first time."""
    _record(
        key=f"sms:{conversation_ref}",
        kind=AwardKind.SMS,
        ambassador_id=ambassador_id,
        reference=conversation_ref,
        occurred_at=first_reply_at,
        seconds=max(0, int((first_reply_at - first_message_at).total_seconds())),
    )


def points_reverse_call(*, call_ref: str) -> bool:
    """A report on the call was confirmed as abuse: the call earns nothing. Points already
    awarded are taken back with a negative entry (once); a pending award is canceled."""
    with transaction.atomic():
        award = PointsAward.objects.select_for_update().filter(key=f"call:{call_ref}").first()
        if award is None or award.status == AwardStatus.CANCELED:
            return False
        if award.status == AwardStatus.PENDING:
            award.status = AwardStatus.CANCELED
            award.save(update_fields=["status"])
            return True
        earned = PointsEntry.objects.filter(key=award.key).first()
        if earned is None or earned.amount <= 0:
            award.status = AwardStatus.CANCELED  # it no longer counts for the monthly bonus
            award.save(update_fields=["status"])
            return False
        _entry, created = PointsEntry.objects.get_or_create(
            key=f"{award.key}:reversal",
            defaults={
                "ambassador_id": earned.ambassador_id,
                "amount": -earned.amount,
                "kind": EntryKind.REVERSAL,
                "reason": _("Call reported as abusive: its points are withdrawn"),
                "reference": call_ref,
            },
        )
        award.status = AwardStatus.CANCELED
        award.save(update_fields=["status"])
        return created


def _record(**fields: object) -> None:
    key = fields.pop("key")
    PointsAward.objects.get_or_create(key=key, defaults=fields)
    transaction.on_commit(enqueue_awarding)


def enqueue_awarding() -> None:
    from .tasks import award_points

    eager = award_points.app.conf.task_always_eager  # in-process: run now, every time
    if not eager and not cache.add(ENQUEUE_FLAG, True, timeout=ENQUEUE_DELAY):
        return  # a task is due within the second: it will find this award
    try:
        award_points.apply_async(countdown=0 if eager else ENQUEUE_DELAY)
    except Exception:  # noqa: BLE001 - broker down: the periodic task awards them later
        cache.delete(ENQUEUE_FLAG)
        logger.warning("Could not enqueue the points award; beat will run it")


# --- Turning awards into entries -------------------------------------------------------------


def points_award_pending(*, now: datetime | None = None) -> int:
    """Turn every pending award into its ledger entry (or none: a call too short), exactly once:
    awards are claimed with row locks that concurrent workers skip, and each entry's key is
    unique. Returns the number of entries written."""
    written = 0
    rules = PointsRules.current()
    while True:
        with transaction.atomic():
            awards = list(
                PointsAward.objects.select_for_update(skip_locked=True)
                .filter(status=AwardStatus.PENDING)
                .order_by("created_at", "pk")[:BATCH]
            )
            if not awards:
                return written
            entries = [entry for award in awards if (entry := _entry_for(award, rules))]
            PointsEntry.objects.bulk_create(entries, ignore_conflicts=True)
            PointsAward.objects.filter(pk__in=[a.pk for a in awards]).update(
                status=AwardStatus.DONE, processed_at=now or timezone.now()
            )
            written += len(entries)


def _entry_for(award: PointsAward, rules: PointsRules) -> PointsEntry | None:
    amount, reason = 0, ""
    local = award.occurred_at.astimezone(destination_tz())
    if award.kind == AwardKind.CALL:
        if award.seconds < rules.call_min_seconds:
            return None
        minutes = award.seconds // 60
        amount = rules.call_base + rules.call_per_minute * min(minutes, rules.call_minutes_cap)
        bonuses = []
        if 18 <= local.hour < 22:
            amount += rules.evening_bonus
            bonuses.append(_("evening"))
        if local.weekday() >= 5:
            amount += rules.weekend_bonus
            bonuses.append(_("weekend"))
        reason = _("Call of %(minutes)d min, %(when)s") % {
            "minutes": minutes,
            "when": date_format(local, "D j M, H:i"),
        }
        if bonuses:
            reason += " (" + _("%(bonuses)s bonus") % {"bonuses": " + ".join(bonuses)} + ")"
    elif award.kind == AwardKind.SMS:
        if award.seconds > rules.sms_within_minutes * 60:
            return None
        amount = rules.sms_points
        reason = _("Text conversation answered in %(minutes)d min") % {
            "minutes": max(1, round(award.seconds / 60))
        }
    elif award.kind == AwardKind.MONTHLY:
        amount = rules.monthly_bonus
        reason = _("Monthly bonus: %(calls)d calls in %(month)s") % {
            "calls": award.seconds,
            "month": date_format(local, "F Y"),
        }
    if amount <= 0:
        return None
    kinds: dict[str, EntryKind] = {AwardKind.CALL: EntryKind.CALL, AwardKind.SMS: EntryKind.SMS}
    return PointsEntry(
        ambassador_id=award.ambassador_id,
        amount=amount,
        kind=kinds.get(award.kind, EntryKind.MONTHLY),
        reason=reason[:200],
        reference=award.reference,
        key=award.key,
    )


def points_award_monthly(*, month: date | None = None) -> int:
    """The monthly bonus for last month (or ``month``): every ambassador who answered at least
    the rules' number of calls gets it, once (its key names the month). Only calls that earn
    points count: a string of short calls must not add up to a bonus."""
    today = timezone.localdate()
    first = (month or (today.replace(day=1) - timedelta(days=1))).replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    tz = destination_tz()
    start = datetime(first.year, first.month, 1, tzinfo=tz)
    end = datetime(following.year, following.month, 1, tzinfo=tz)
    rules = PointsRules.current()
    busy = (
        PointsAward.objects.filter(
            kind=AwardKind.CALL,
            occurred_at__gte=start,
            occurred_at__lt=end,
            seconds__gte=rules.call_min_seconds,
        )
        .exclude(status=AwardStatus.CANCELED)
        .values("ambassador")
        .annotate(calls=Count("pk"))
        .filter(calls__gte=rules.monthly_calls)
    )
    awards = [
        PointsAward(
            key=f"monthly:{row['ambassador']}:{first:%Y-%m}",
            kind=AwardKind.MONTHLY,
            ambassador_id=row["ambassador"],
            reference=f"{first:%Y-%m}",
            occurred_at=start,
            seconds=row["calls"],  # the number of calls, for the entry's reason
        )
        for row in busy
    ]
    PointsAward.objects.bulk_create(awards, ignore_conflicts=True)
    return points_award_pending()


# --- Reading -----------------------------------------------------------------------------------


def points_balance(ambassador: Ambassador) -> int:
    return (
        PointsEntry.objects.filter(ambassador=ambassador).aggregate(total=Sum("amount"))["total"]
        or 0
    )


def points_balances(ambassador_ids: list[int]) -> dict[int, int]:
    """Several balances in one query (a staff page lists many ambassadors)."""
    totals = (
        PointsEntry.objects.filter(ambassador_id__in=ambassador_ids)
        .values("ambassador_id")
        .annotate(total=Sum("amount"))
    )
    return {row["ambassador_id"]: row["total"] for row in totals}


@dataclass(frozen=True)
class RedemptionRow:
    """A reward request, with its ambassador's balance (for the staff's review page)."""

    redemption: Redemption
    balance: int


def redemption_rows(redemptions: Iterable[Redemption]) -> list[RedemptionRow]:
    """The requests with their ambassadors' balances, in one more query."""
    redemptions = list(redemptions)
    balances = points_balances([r.ambassador_id for r in redemptions])
    return [RedemptionRow(r, balances.get(r.ambassador_id, 0)) for r in redemptions]


def points_held(ambassador: Ambassador) -> int:
    """Points set aside by redemptions waiting for a decision."""
    held = Redemption.objects.filter(ambassador=ambassador, status=RedemptionStatus.REQUESTED)
    return held.aggregate(total=Sum("price"))["total"] or 0


def points_available(ambassador: Ambassador) -> int:
    return points_balance(ambassador) - points_held(ambassador)


def rewards_on_offer(*, today: date | None = None) -> QuerySet[Reward]:
    today = today or timezone.localdate()
    return Reward.objects.filter(
        Q(available_from__isnull=True) | Q(available_from__lte=today),
        Q(available_until__isnull=True) | Q(available_until__gte=today),
        is_active=True,
    )


# --- Redemptions -------------------------------------------------------------------------------


def redemption_request(*, ambassador: Ambassador, reward: Reward) -> Redemption:
    """Ask for a reward. The ambassador's row and the reward's are locked (always in that order)
    while the balance and the stock are checked, so requests made at the same moment are decided
    one after the other and can never overspend either."""
    with transaction.atomic():
        ambassador = Ambassador.objects.select_for_update().get(pk=ambassador.pk)
        reward = Reward.objects.select_for_update().get(pk=reward.pk)
        if not rewards_on_offer().filter(pk=reward.pk).exists():
            raise PointsError(_("This reward is not on offer at the moment."))
        waiting = reward.redemptions.filter(status=RedemptionStatus.REQUESTED).count()
        if reward.stock - waiting < 1:
            raise PointsError(_("This reward is out of stock."))
        available = points_available(ambassador)
        if available < reward.price:
            raise PointsError(
                _("You need %(missing)d more points for this reward.")
                % {"missing": reward.price - available}
            )
        return Redemption.objects.create(ambassador=ambassador, reward=reward, price=reward.price)


def redemption_approve(*, redemption: Redemption, by: User) -> bool:
    """Staff approve: the points are debited (once: the entry's key names the redemption), one
    unit of stock is taken, and the ambassador is told by e-mail and text."""
    with transaction.atomic():
        ambassador = Ambassador.objects.select_for_update().get(pk=redemption.ambassador_id)
        reward = Reward.objects.select_for_update().get(pk=redemption.reward_id)
        redemption = Redemption.objects.select_for_update().get(pk=redemption.pk)
        if redemption.status != RedemptionStatus.REQUESTED:
            return False
        if reward.stock < 1:
            raise PointsError(_("This reward is out of stock."))
        if points_balance(ambassador) < redemption.price:
            # Held points can only shrink through a reversal (a call confirmed as abusive).
            raise PointsError(
                _("The balance no longer covers this reward: points were taken back since.")
            )
        PointsEntry.objects.create(
            ambassador_id=redemption.ambassador_id,
            amount=-redemption.price,
            kind=EntryKind.REDEMPTION,
            reason=_("Reward: %(name)s") % {"name": reward.name},
            reference=str(redemption.public_id),
            key=f"redemption:{redemption.public_id}",
        )
        reward.stock -= 1
        reward.save(update_fields=["stock"])
        _decide(redemption, RedemptionStatus.APPROVED, by=by)
        _notify(
            redemption,
            _("Destination Concierge: your reward “%(name)s” is approved! We will be in touch.")
            % {"name": reward.name},
        )
    return True


def redemption_reject(*, redemption: Redemption, by: User, reason: str) -> bool:
    """Staff reject, saying why: nothing is debited and the held points are free again."""
    reason = reason.strip()
    if not reason:
        raise PointsError(_("Say why, so the ambassador understands."))
    with transaction.atomic():
        redemption = Redemption.objects.select_for_update().get(pk=redemption.pk)
        if redemption.status != RedemptionStatus.REQUESTED:
            return False
        redemption.reason = reason[:300]
        _decide(redemption, RedemptionStatus.REJECTED, by=by)
        _notify(
            redemption,
            _("Destination Concierge: your request for “%(name)s” was not accepted: %(reason)s")
            % {"name": redemption.reward.name, "reason": redemption.reason},
        )
    return True


def _decide(redemption: Redemption, status: RedemptionStatus, *, by: User) -> None:
    redemption.status = status
    redemption.decided_at = timezone.now()
    redemption.decided_by = by
    redemption.save(update_fields=["status", "reason", "decided_at", "decided_by"])


def _notify(redemption: Redemption, text: str) -> None:
    ambassador = Ambassador.objects.select_related("user").get(pk=redemption.ambassador_id)
    email = ambassador.user.email if ambassador.user else ""
    number = ambassador.phone_number.as_e164 if ambassador.phone_number else ""

    def send() -> None:
        if email:
            send_mail(_("Your reward request"), text, None, [email], fail_silently=True)
        if number:
            try:
                telephony.send_sms(to=number, body=text)
            except telephony.TelephonyError:
                logger.warning("Could not text ambassador %s about a redemption", ambassador.pk)

    transaction.on_commit(send)
