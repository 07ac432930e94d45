"""Everything that changes an ambassador. Forms and API serializers validate shape; the rules
that matter (adult, English, French mobile, no overlapping slots, code limits) are enforced here
or in ``validators`` so the web portal and the mobile app can never disagree.

One module per concern; import from the package: ``from ambassadors.services import X``."""

from __future__ import annotations

from .availability import (
    MAX_PAUSE_DAYS,
    ambassador_pause,
    ambassador_set_accepting,
    ambassador_unpause,
    slot_create,
    slot_delete,
    slot_update,
)
from .common import AmbassadorError, NotAVolunteer, ambassador_enrol, ambassador_for_user
from .communities import community_join, community_leave, membership_decide
from .phone import (
    CODE_DIGITS,
    pending_verification,
    phone_verification_confirm,
    phone_verification_start,
)
from .privacy import ambassador_delete_account, ambassador_export
from .profile import ambassador_set_preferences, ambassador_update_profile
from .queue import (
    ambassador_auto_pause,
    ambassador_claim,
    ambassadors_claim,
    queue_seats_refresh,
    queue_walk,
)

__all__ = [
    "CODE_DIGITS",
    "MAX_PAUSE_DAYS",
    "AmbassadorError",
    "NotAVolunteer",
    "ambassador_auto_pause",
    "ambassador_claim",
    "ambassador_delete_account",
    "ambassador_enrol",
    "ambassador_export",
    "ambassador_for_user",
    "ambassador_pause",
    "ambassador_set_accepting",
    "ambassador_set_preferences",
    "ambassador_unpause",
    "ambassador_update_profile",
    "ambassadors_claim",
    "community_join",
    "community_leave",
    "membership_decide",
    "pending_verification",
    "phone_verification_confirm",
    "phone_verification_start",
    "queue_seats_refresh",
    "queue_walk",
    "slot_create",
    "slot_delete",
    "slot_update",
]
