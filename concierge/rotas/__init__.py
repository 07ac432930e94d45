"""Shared rotas: rules expanded into shifts (``expansion``), month planning (``planning``),
reminders and notices (``notices``), swaps (``swaps``). Import from here."""

from __future__ import annotations

from ..lib.timezones import destination_tz
from .expansion import (
    WEEKDAYS,
    Occurrence,
    RotaError,
    advisors_on_duty,
    local_instant,
    occurrences,
    rota_expand,
    rota_rule_change,
    weekdays_of,
)
from .invitations import can_invite, invitation_accept, invitation_send, invitation_valid
from .notices import rota_notify_uncovered, rota_send_reminders
from .phones import advisor_phone_confirm, advisor_phone_start
from .planning import (
    Day,
    Load,
    Month,
    Proposal,
    assignable_by,
    can_assign,
    membership_in,
    month_gaps,
    month_plan,
    rota_assign,
    rota_propose,
    rota_unassign,
    shift_with_assignees,
    working_time_warnings,
)
from .swaps import shift_offer, shift_offer_decide, shift_take

__all__ = [
    "WEEKDAYS",
    "Day",
    "Load",
    "Month",
    "Occurrence",
    "Proposal",
    "RotaError",
    "advisor_phone_confirm",
    "advisor_phone_start",
    "advisors_on_duty",
    "assignable_by",
    "can_assign",
    "can_invite",
    "destination_tz",
    "invitation_accept",
    "invitation_send",
    "invitation_valid",
    "local_instant",
    "membership_in",
    "month_gaps",
    "month_plan",
    "occurrences",
    "rota_assign",
    "rota_expand",
    "rota_notify_uncovered",
    "rota_propose",
    "rota_rule_change",
    "rota_send_reminders",
    "rota_unassign",
    "shift_offer",
    "shift_offer_decide",
    "shift_take",
    "shift_with_assignees",
    "weekdays_of",
    "working_time_warnings",
]
