"""Everything that changes an ambassador. Forms and API serializers validate shape; the rules
that matter (adult, English, French mobile, no overlapping slots, code limits) are enforced here
or in ``validators`` so the web portal and the mobile app can never disagree."""

from __future__ import annotations

import logging
import math
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from phonenumber_field.phonenumber import PhoneNumber

from concierge.lib import telephony
from concierge.lib.timezones import local_today, start_of_local_day
from concierge.models import CallMotive, Region, User

from .models import (
    MINUTES_PER_WEEK,
    Ambassador,
    AmbassadorLanguage,
    AvailabilitySlot,
    PhoneVerification,
    week_minutes,
)
from .validators import parse_french_mobile, validate_adult, validate_languages

logger = logging.getLogger(__name__)

CODE_DIGITS = 6
MAX_PAUSE_DAYS = 366


class AmbassadorError(Exception):
    """A rule was broken. ``field`` names the input at fault, when there is one."""

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        code: str = "invalid",
        retry_after: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code
        # Seconds until the same request may succeed (a rate limit), when that is the problem.
        self.retry_after = retry_after


def _error_from(exc: ValidationError, field: str) -> AmbassadorError:
    return AmbassadorError(exc.messages[0], field=field, code=exc.code or "invalid")


def ambassador_for_user(*, user: User) -> Ambassador:
    ambassador, _created = Ambassador.objects.get_or_create(user=user)
    return ambassador


def _refresh_onboarding(ambassador: Ambassador) -> None:
    """Mark onboarding complete the first time every step is done."""
    from .selectors import onboarding_next_step

    if ambassador.onboarded_at is None and onboarding_next_step(ambassador) is None:
        ambassador.onboarded_at = timezone.now()
        ambassador.save(update_fields=["onboarded_at"])


# Step 1: who they are


@transaction.atomic
def ambassador_update_profile(
    *,
    ambassador: Ambassador,
    display_name: str,
    date_of_birth: date,
    languages: Iterable[str],
) -> Ambassador:
    display_name = " ".join(display_name.split())
    if not display_name:
        raise AmbassadorError(_("Enter a first name or pseudonym."), field="display_name")
    try:
        validate_adult(date_of_birth, today=local_today())
    except ValidationError as exc:
        raise _error_from(exc, "date_of_birth") from None
    try:
        codes = validate_languages(languages)
    except ValidationError as exc:
        raise _error_from(exc, "languages") from None

    ambassador.display_name = display_name
    ambassador.date_of_birth = date_of_birth
    ambassador.save(update_fields=["display_name", "date_of_birth"])
    ambassador.languages.exclude(language__in=codes).delete()
    existing = set(ambassador.languages.values_list("language", flat=True))
    AmbassadorLanguage.objects.bulk_create(
        AmbassadorLanguage(ambassador=ambassador, language=code)
        for code in codes
        if code not in existing
    )
    _refresh_onboarding(ambassador)
    return ambassador


# Step 2: the mobile number


def _hash_code(verification_number: str, code: str) -> str:
    return salted_hmac("ambassadors.phone-code", f"{verification_number}:{code}").hexdigest()


def _number_taken(number: PhoneNumber, *, by_other_than: Ambassador) -> bool:
    return Ambassador.objects.filter(phone_number=number).exclude(pk=by_other_than.pk).exists()


def phone_verification_start(
    *, ambassador: Ambassador, phone_number: str | PhoneNumber
) -> PhoneVerification:
    """Send a fresh code to the number. Earlier codes stop working."""
    try:
        number = parse_french_mobile(phone_number)
    except ValidationError as exc:
        raise _error_from(exc, "phone_number") from None
    if ambassador.phone_verified and ambassador.phone_number == number:
        raise AmbassadorError(
            _("This number is already verified on your account."),
            field="phone_number",
            code="already_verified",
        )
    if _number_taken(number, by_other_than=ambassador):
        raise AmbassadorError(
            _("This number is already registered to another account."),
            field="phone_number",
            code="taken",
        )

    now = timezone.now()
    with transaction.atomic():
        # Lock the ambassador so two quick clicks cannot both pass the resend limit.
        _lock(ambassador)
        latest = ambassador.phone_verifications.order_by("-created_at").first()
        wait = timedelta(seconds=settings.PHONE_CODE_RESEND_SECONDS)
        if latest and latest.created_at > now - wait:
            seconds = math.ceil((latest.created_at + wait - now).total_seconds())
            raise AmbassadorError(
                ngettext(
                    "A code was sent less than a minute ago. You can ask for a new one in "
                    "%(seconds)d second.",
                    "A code was sent less than a minute ago. You can ask for a new one in "
                    "%(seconds)d seconds.",
                    seconds,
                )
                % {"seconds": seconds},
                field="phone_number",
                code="too_soon",
                retry_after=seconds,
            )
        ambassador.phone_verifications.filter(
            confirmed_at__isnull=True, voided_at__isnull=True
        ).update(voided_at=now)
        code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
        verification = PhoneVerification.objects.create(
            ambassador=ambassador,
            phone_number=number,
            code_hash=_hash_code(number.as_e164, code),
            expires_at=now + timedelta(minutes=settings.PHONE_CODE_TTL_MINUTES),
        )
        body = _(
            "Destination Concierge: your code is %(code)s. It expires in %(minutes)d minutes. "
            "If you did not ask for it, ignore this message."
        ) % {"code": code, "minutes": settings.PHONE_CODE_TTL_MINUTES}
        try:
            telephony.send_sms(to=number.as_e164, body=body)
        except telephony.TelephonyError as exc:
            logger.warning("Verification SMS to ambassador %s failed: %s", ambassador.pk, exc)
            raise AmbassadorError(
                _("We could not send a text message to this number. Check it and try again."),
                field="phone_number",
                code="send_failed",
            ) from exc
    return verification


def pending_verification(ambassador: Ambassador) -> PhoneVerification | None:
    return (
        ambassador.phone_verifications.filter(confirmed_at__isnull=True, voided_at__isnull=True)
        .order_by("-created_at")
        .first()
    )


@dataclass(frozen=True)
class _Outcome:
    error: AmbassadorError | None


def phone_verification_confirm(*, ambassador: Ambassador, code: str) -> Ambassador:
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == CODE_DIGITS):
        raise AmbassadorError(_("The code has 6 digits."), field="code", code="format")

    # Wrong tries must be counted even though we answer with an error, so the transaction
    # commits first and the error is raised afterwards.
    with transaction.atomic():
        verification = (
            PhoneVerification.objects.select_for_update()
            .filter(ambassador=ambassador, confirmed_at__isnull=True, voided_at__isnull=True)
            .order_by("-created_at")
            .first()
        )
        outcome = _check_code(verification, code)
        if outcome.error is None and verification is not None:
            outcome = _attach_number(ambassador, verification)
    if outcome.error is not None:
        raise outcome.error
    _refresh_onboarding(ambassador)
    return ambassador


def _check_code(verification: PhoneVerification | None, code: str) -> _Outcome:
    now = timezone.now()
    if verification is None:
        return _Outcome(
            AmbassadorError(
                _("There is no code waiting to be confirmed. Ask for a new one."),
                field="code",
                code="no_pending_code",
            )
        )
    if verification.expires_at <= now:
        verification.voided_at = now
        verification.save(update_fields=["voided_at"])
        return _Outcome(
            AmbassadorError(
                _(
                    "This code has expired (codes are valid for %(minutes)d minutes). "
                    "Ask for a new one."
                )
                % {"minutes": settings.PHONE_CODE_TTL_MINUTES},
                field="code",
                code="expired",
            )
        )
    expected = verification.code_hash
    if constant_time_compare(expected, _hash_code(verification.phone_number.as_e164, code)):
        return _Outcome(None)

    verification.attempts += 1
    left = settings.PHONE_CODE_MAX_ATTEMPTS - verification.attempts
    if left <= 0:
        verification.voided_at = now
        verification.save(update_fields=["attempts", "voided_at"])
        return _Outcome(
            AmbassadorError(
                _("Too many wrong codes: this code no longer works. Ask for a new one."),
                field="code",
                code="too_many_attempts",
            )
        )
    verification.save(update_fields=["attempts"])
    return _Outcome(
        AmbassadorError(
            ngettext(
                "This code is not right. %(left)d try left.",
                "This code is not right. %(left)d tries left.",
                left,
            )
            % {"left": left},
            field="code",
            code="wrong_code",
        )
    )


def _attach_number(ambassador: Ambassador, verification: PhoneVerification) -> _Outcome:
    now = timezone.now()
    ambassador.phone_number = verification.phone_number
    ambassador.phone_verified_at = now
    try:
        with transaction.atomic():
            ambassador.save(update_fields=["phone_number", "phone_verified_at"])
    except IntegrityError:
        ambassador.refresh_from_db(fields=["phone_number", "phone_verified_at"])
        verification.voided_at = now
        verification.save(update_fields=["voided_at"])
        return _Outcome(
            AmbassadorError(
                _("This number is already registered to another account."),
                field="code",
                code="taken",
            )
        )
    verification.confirmed_at = now
    verification.save(update_fields=["confirmed_at"])
    return _Outcome(None)


# Step 3: what they know and like


@transaction.atomic
def ambassador_set_preferences(
    *,
    ambassador: Ambassador,
    any_region: bool,
    regions: Iterable[Region],
    any_motive: bool,
    motives: Iterable[CallMotive],
) -> Ambassador:
    regions, motives = list(regions), list(motives)
    if not any_region and not regions:
        raise AmbassadorError(
            _("Choose at least one region, or “Anywhere in France”."), field="regions"
        )
    if not any_motive and not motives:
        raise AmbassadorError(_("Choose at least one topic, or “Anything”."), field="motives")
    ambassador.any_region = any_region
    ambassador.any_motive = any_motive
    ambassador.save(update_fields=["any_region", "any_motive"])
    ambassador.regions.set(regions)
    ambassador.motives.set(motives)
    _refresh_onboarding(ambassador)
    return ambassador


# Step 4: weekly availability


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    # Slots live on a weekly circle: compare with the other slot shifted a week either way.
    return any(
        a[0] < b[1] + shift and b[0] + shift < a[1]
        for shift in (-MINUTES_PER_WEEK, 0, MINUTES_PER_WEEK)
    )


def _check_slot(
    ambassador: Ambassador, weekday: int, start: time, end: time, *, exclude: int | None
) -> None:
    if not 0 <= weekday <= 6:
        raise AmbassadorError(_("Choose a day of the week."), field="weekday")
    if start.second or end.second or start.microsecond or end.microsecond:
        raise AmbassadorError(_("Times are in whole minutes."), field="start")
    bounds = week_minutes(weekday, start, end)
    others = ambassador.availability_slots.all()
    if exclude is not None:
        others = others.exclude(pk=exclude)
    for other in others:
        if _overlaps(bounds, (other.start_minute, other.end_minute)):
            raise AmbassadorError(
                _("This slot overlaps your slot %(slot)s. Change one of them or merge them.")
                % {"slot": other},
                field="start",
                code="overlap",
            )


def _lock(ambassador: Ambassador) -> None:
    """Serialise changes to one ambassador's slots and codes across processes (a row lock)."""
    Ambassador.objects.select_for_update().filter(pk=ambassador.pk).first()


@transaction.atomic
def slot_create(
    *, ambassador: Ambassador, weekday: int, start: time, end: time
) -> AvailabilitySlot:
    _lock(ambassador)
    _check_slot(ambassador, weekday, start, end, exclude=None)
    slot = AvailabilitySlot(ambassador=ambassador, weekday=weekday, start=start, end=end)
    slot.save()
    _refresh_onboarding(ambassador)
    return slot


@transaction.atomic
def slot_update(
    *, slot: AvailabilitySlot, weekday: int, start: time, end: time
) -> AvailabilitySlot:
    _lock(slot.ambassador)
    _check_slot(slot.ambassador, weekday, start, end, exclude=slot.pk)
    slot.weekday, slot.start, slot.end = weekday, start, end
    slot.save()
    return slot


@transaction.atomic
def slot_delete(*, slot: AvailabilitySlot) -> None:
    slot.delete()


# Availability switches


def ambassador_set_accepting(*, ambassador: Ambassador, accepting: bool) -> Ambassador:
    ambassador.accepting_calls = accepting
    ambassador.save(update_fields=["accepting_calls"])
    return ambassador


def ambassador_pause(*, ambassador: Ambassador, until: date) -> Ambassador:
    """No calls until the start of ``until`` (destination time); then calls resume by themselves."""
    today = local_today()
    if until <= today:
        raise AmbassadorError(_("Choose a date after today."), field="until", code="past")
    if until > today + timedelta(days=MAX_PAUSE_DAYS):
        raise AmbassadorError(_("A pause can last a year at most."), field="until", code="too_long")
    ambassador.paused_until = start_of_local_day(until)
    ambassador.save(update_fields=["paused_until"])
    return ambassador


def ambassador_unpause(*, ambassador: Ambassador) -> Ambassador:
    ambassador.paused_until = None
    ambassador.save(update_fields=["paused_until"])
    return ambassador


# Privacy


def ambassador_export(*, ambassador: Ambassador) -> dict[str, object]:
    """Everything we hold about the ambassador, as plain JSON-ready data."""
    user = ambassador.user

    def stamp(value: datetime | date | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email if user else None,
            "date_joined": stamp(user.date_joined) if user else None,
            "last_login": stamp(user.last_login) if user else None,
        },
        "profile": {
            "display_name": ambassador.display_name,
            "date_of_birth": stamp(ambassador.date_of_birth),
            "languages": sorted(ambassador.languages.values_list("language", flat=True)),
            "phone_number": ambassador.phone_number.as_e164 if ambassador.phone_number else None,
            "phone_verified_at": stamp(ambassador.phone_verified_at),
            "any_region": ambassador.any_region,
            "regions": list(ambassador.regions.values_list("name", flat=True)),
            "any_motive": ambassador.any_motive,
            "motives": list(ambassador.motives.values_list("name", flat=True)),
            "onboarded_at": stamp(ambassador.onboarded_at),
            "created_at": stamp(ambassador.created_at),
        },
        "availability": {
            "taking_calls": ambassador.accepting_calls,
            "paused_until": stamp(ambassador.paused_until),
            "time_zone": settings.DESTINATION_TIME_ZONE,
            "weekly_slots": [
                {
                    "weekday": slot.get_weekday_display(),
                    "start": slot.start.strftime("%H:%M"),
                    "end": slot.end.strftime("%H:%M"),
                }
                for slot in ambassador.availability_slots.all()
            ],
        },
        "phone_verifications": [
            {
                "phone_number": v.phone_number.as_e164,
                "sent_at": stamp(v.created_at),
                "confirmed_at": stamp(v.confirmed_at),
            }
            for v in ambassador.phone_verifications.all()
        ],
        "points": [
            {"date": stamp(e.created_at), "amount": e.amount, "reason": e.reason}
            for e in ambassador.points_entries.all()
        ],
        "reward_requests": [
            {
                "reward": r.reward.name,
                "points": r.price,
                "status": r.status,
                "requested_at": stamp(r.created_at),
            }
            for r in ambassador.redemptions.select_related("reward")
        ],
    }


@transaction.atomic
def ambassador_delete_account(*, ambassador: Ambassador) -> None:
    """Remove everything that identifies the person; keep an anonymous row for statistics
    (languages, regions and motives, and later the calls it answered)."""
    user = ambassador.user
    ambassador.availability_slots.all().delete()
    ambassador.phone_verifications.all().delete()
    ambassador.display_name = ""
    ambassador.date_of_birth = None
    ambassador.phone_number = None
    ambassador.phone_verified_at = None
    ambassador.accepting_calls = False
    ambassador.is_active = False
    ambassador.user = None
    ambassador.anonymised_at = timezone.now()
    ambassador.save()
    if user is not None:
        user.delete()
