"""Ambassadors flag calls (abuse, pranks); staff confirm and the caller is blocked."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from ambassadors.models import Ambassador
from ambassadors.points import points_reverse_call

from ..models import BlockedNumber, Call, CallReport, ReportStatus


class ReportError(Exception):
    pass


def call_report(*, call: Call, ambassador: Ambassador, reason: str) -> CallReport:
    """Only the ambassador who answered the call may report it, once."""
    reason = reason.strip()
    if call.responder_id != ambassador.pk:
        raise ReportError(_("You can only report calls you answered."))
    if not reason:
        raise ReportError(_("Say in a few words what happened."))
    report, created = CallReport.objects.get_or_create(
        call=call, ambassador=ambassador, defaults={"reason": reason}
    )
    if not created:
        raise ReportError(_("You have already reported this call; the team is looking at it."))
    return report


@transaction.atomic
def report_confirm(*, report: CallReport) -> None:
    """Staff agree: the caller's number goes on the block list (as its keyed hash, which the call
    keeps after retention has erased the number)."""
    caller = report.call.caller_hash
    if caller:
        BlockedNumber.objects.get_or_create(
            number_hash=caller, defaults={"reason": f"Report on call {report.call.reference}"}
        )
    report.status = ReportStatus.CONFIRMED
    report.save(update_fields=["status"])
    points_reverse_call(call_ref=str(report.call.public_id))  # abuse earns nothing
