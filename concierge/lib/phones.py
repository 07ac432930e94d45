"""French mobile numbers: what advisors and ambassadors must give, with precise errors."""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from phonenumber_field.phonenumber import PhoneNumber

FRENCH_MOBILE_PREFIXES = ("6", "7")


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
