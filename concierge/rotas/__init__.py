"""Shared rotas: rules expanded into shifts (``expansion``), what the rotas read
(``selectors``: who is on duty, the month at a glance, the fair proposal) and the services that
write: planning (``planning``), reminders and notices (``notices``), swaps (``swaps``),
invitations (``invitations``), an advisor's own settings (``advisors``, ``phones``). Import from
here. The pages (``views``, ``urls``, ``forms``), ``exports`` and ``tasks`` are not imported by
this package."""

from __future__ import annotations

from ..lib.timezones import destination_tz
from .advisors import advisor_day_away, advisor_day_back, advisor_feed_renew
from .expansion import (
    WEEKDAYS,
    Occurrence,
    RotaError,
    local_instant,
    occurrences,
    public_holidays,
    rota_expand,
    rota_rule_change,
    weekdays_of,
)
from .fill import Proposal, rota_propose
from .homes import SwapInbox, Tonight, next_shifts, planner_memberships, swap_inbox, tonight
from .invitations import (
    can_invite,
    invitation_accept,
    invitation_send,
    invitation_valid,
    member_first_name_set,
)
from .notices import rota_notify_uncovered, rota_send_reminders
from .phones import advisor_phone_confirm, advisor_phone_start
from .planning import rota_assign, rota_unassign
from .selectors import (
    Day,
    Load,
    Month,
    ShiftRow,
    advisor_memberships,
    advisors_on_duty,
    any_shift_running,
    assign_choices,
    assignable_by,
    can_assign,
    membership_in,
    month_gaps,
    month_plan,
    on_duty_conditions,
    shift_row,
)
from .swaps import shift_offer, shift_offer_decide, shift_take
from .worktime import Breach, breaches_added, working_time_warnings

__all__ = [
    "WEEKDAYS",
    "Breach",
    "Day",
    "Load",
    "Month",
    "Occurrence",
    "Proposal",
    "RotaError",
    "ShiftRow",
    "SwapInbox",
    "Tonight",
    "advisor_day_away",
    "advisor_day_back",
    "advisor_feed_renew",
    "advisor_memberships",
    "advisor_phone_confirm",
    "advisor_phone_start",
    "advisors_on_duty",
    "any_shift_running",
    "assign_choices",
    "assignable_by",
    "breaches_added",
    "can_assign",
    "can_invite",
    "destination_tz",
    "invitation_accept",
    "invitation_send",
    "invitation_valid",
    "local_instant",
    "member_first_name_set",
    "membership_in",
    "month_gaps",
    "month_plan",
    "next_shifts",
    "occurrences",
    "on_duty_conditions",
    "planner_memberships",
    "public_holidays",
    "rota_assign",
    "rota_expand",
    "rota_notify_uncovered",
    "rota_propose",
    "rota_rule_change",
    "rota_send_reminders",
    "rota_unassign",
    "shift_offer",
    "shift_offer_decide",
    "shift_row",
    "shift_take",
    "swap_inbox",
    "tonight",
    "weekdays_of",
    "working_time_warnings",
]
