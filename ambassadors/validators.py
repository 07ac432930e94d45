"""The rules an ambassador's data must follow, shared by the portal forms and the API."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from phonenumber_field.phonenumber import PhoneNumber

from concierge.lib.languages import ENGLISH, LANGUAGE_CODES

MINIMUM_AGE = 18
FRENCH_MOBILE_PREFIXES = ("6", "7")


def age_on(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def validate_adult(born: date, *, today: date) -> None:
    if born > today:
        raise ValidationError(_("The date of birth cannot be in the future."), code="future")
    if age_on(born, today) < MINIMUM_AGE:
        raise ValidationError(
            _("Ambassadors must be 18 or older today."),
            code="underage",
        )
    if age_on(born, today) > 120:
        raise ValidationError(_("Please check the year of birth."), code="implausible")


def validate_languages(codes: Iterable[str]) -> list[str]:
    chosen = sorted(set(codes))
    unknown = [code for code in chosen if code not in LANGUAGE_CODES]
    if unknown:
        raise ValidationError(
            _("Unknown language code: %(codes)s.") % {"codes": ", ".join(unknown)},
            code="unknown_language",
        )
    if ENGLISH not in chosen:
        raise ValidationError(
            _(
                "English is required: most of our callers are foreign tourists, and English is "
                "the language they can always fall back on."
            ),
            code="english_required",
        )
    return chosen


def parse_french_mobile(raw: str | PhoneNumber) -> PhoneNumber:
    """Accept +33 6/7 numbers, also typed nationally (06…, 07…); say precisely what is wrong."""
    text = str(raw).strip()
    if not text:
        raise ValidationError(_("Enter your mobile number."), code="required")
    try:
        number = PhoneNumber.from_string(text, region="FR")
    except phonenumbers.NumberParseException:
        raise ValidationError(
            _("This is not a phone number. Type it like 06 12 34 56 78 or +33 6 12 34 56 78."),
            code="invalid",
        ) from None
    if number.country_code != 33:
        raise ValidationError(
            _(
                "This is a foreign number (+%(code)s). Only French mobile numbers, starting with "
                "+33 6 or +33 7, can be used."
            )
            % {"code": number.country_code},
            code="foreign",
        )
    if not number.is_valid():
        raise ValidationError(
            _("This number is incomplete or does not exist. French mobiles have 10 digits."),
            code="invalid",
        )
    national = str(number.national_number)
    if not national.startswith(FRENCH_MOBILE_PREFIXES):
        if phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.FIXED_LINE:
            raise ValidationError(
                _(
                    "This is a landline. We need a mobile number (06 or 07) that can receive "
                    "text messages."
                ),
                code="landline",
            )
        raise ValidationError(
            _("This is not a mobile number. French mobile numbers start with 06 or 07."),
            code="not_mobile",
        )
    return number
