"""The rules an ambassador's data must follow, shared by the portal forms and the API."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from concierge.lib.languages import ENGLISH, LANGUAGE_CODES

MINIMUM_AGE = 18


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
