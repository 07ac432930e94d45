"""Texts the voice line sends to a local outside any conversation: the one that says their calls
were switched off after missed calls, and the service texts of callbacks and recordings."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ambassadors.models import Ambassador
from ambassadors.services import ambassador_auto_pause
from concierge.lib import telephony

from .. import copy
from ..models import AttemptOutcome, CallAttempt
from ..responders import from_ambassador

logger = logging.getLogger(__name__)


def ambassador_pause_if_missing(ambassador: Ambassador) -> bool:
    """Several missed calls in a row switch an ambassador's calls off, and we tell them by SMS.

    Misses before an earlier automatic switch-off are forgiven; the SMS goes once (the
    conditional update decides)."""
    count = settings.CALL_MISSED_BEFORE_PAUSE
    # Released (someone else of the group took the call) is neither a miss nor an answer.
    recent = CallAttempt.objects.filter(ambassador=ambassador, call__is_rehearsal=False).exclude(
        outcome__in=[AttemptOutcome.RINGING, AttemptOutcome.RELEASED]
    )
    if ambassador.auto_paused_at:
        recent = recent.filter(started_at__gt=ambassador.auto_paused_at)
    outcomes = list(recent.order_by("-started_at").values_list("outcome", flat=True)[:count])
    if len(outcomes) < count or any(o != AttemptOutcome.NO_ANSWER for o in outcomes):
        return False
    if not ambassador_auto_pause(ambassador_id=ambassador.pk, at=timezone.now()):
        return False
    local = from_ambassador(ambassador)
    if not local.phone:
        return False
    body = copy.ambassador_paused(
        local.language, missed=count, url=f"{settings.PUBLIC_BASE_URL}/portal/"
    )
    transaction.on_commit(lambda: notify(local.phone, body))
    return True


def notify(number: str, body: str) -> None:
    """A service text outside any conversation (after commit): a failure is logged, not raised."""
    try:
        telephony.send_sms(to=number, body=body)
    except telephony.TelephonyError:
        logger.warning("Could not send a service text to a number ending %s", number[-2:])
