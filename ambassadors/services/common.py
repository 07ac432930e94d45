"""What every service of the ambassadors app shares: its one error type, the row lock that
serialises changes to one ambassador, and the moment onboarding becomes complete."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from concierge.models import User

from ..models import Ambassador
from ..selectors import onboarding_next_step


class AmbassadorError(Exception):
    """A rule was broken. ``field`` names the input at fault, when there is one."""

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        code: str = "invalid",
        retry_after: int | None = None,
        tries_left: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code
        # Seconds until the same request may succeed (a rate limit), when that is the problem.
        self.retry_after = retry_after
        # How many more codes may be typed, after a wrong one.
        self.tries_left = tries_left


def error_from(exc: ValidationError, field: str) -> AmbassadorError:
    return AmbassadorError(exc.messages[0], field=field, code=exc.code or "invalid")


class NotAVolunteer(AmbassadorError):
    """A staff or tourist-office account that never asked to volunteer."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "You are not a volunteer on this account: staff and tourist-office accounts "
                "volunteer only when they ask to. To answer tourists as a volunteer as well, "
                "choose “Become a volunteer” on the web portal."
            ),
            code="not_a_volunteer",
        )


def volunteers_by_default(user: User) -> bool:
    """Who signed up to volunteer: an account with no staff role and no tourist-office role."""
    return not (user.is_staff or user.is_superuser or user.memberships.exists())


def ambassador_for_user(*, user: User) -> Ambassador:
    """The user's volunteer profile. An account made to volunteer gets it on first use; staff
    and tourist-office people only through ambassador_enrol (NotAVolunteer until then)."""
    ambassador = Ambassador.objects.filter(user=user).first()
    if ambassador is not None:
        return ambassador
    if not volunteers_by_default(user):
        raise NotAVolunteer()
    return ambassador_enrol(user=user)


def ambassador_enrol(*, user: User) -> Ambassador:
    """Make the user a volunteer (once: asking again returns the same profile)."""
    ambassador, _created = Ambassador.objects.get_or_create(user=user)
    return ambassador


def lock(ambassador: Ambassador) -> None:
    """Serialise changes to one ambassador's slots and codes across processes (a row lock)."""
    Ambassador.objects.select_for_update().filter(pk=ambassador.pk).first()


def refresh_onboarding(ambassador: Ambassador) -> None:
    """Mark onboarding complete the first time every step is done."""
    if ambassador.onboarded_at is None and onboarding_next_step(ambassador) is None:
        ambassador.onboarded_at = timezone.now()
        ambassador.save(update_fields=["onboarded_at"])
