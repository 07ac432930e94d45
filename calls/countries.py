"""What a caller's number tells us: their country, and a good guess at their language."""

from __future__ import annotations

import functools

import phonenumbers
from babel import Locale, UnknownLocaleError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# Country (ISO 3166) → the language a visitor from there most likely wants.
LANGUAGE_BY_COUNTRY = {
    "FR": "fr", "BE": "fr", "LU": "fr", "MC": "fr", "CA": "en", "CH": "de",
    "GB": "en", "US": "en", "IE": "en", "AU": "en", "NZ": "en",
    "DE": "de", "AT": "de", "LI": "de",
    "ES": "es", "MX": "es", "AR": "es", "CO": "es", "CL": "es", "PE": "es",
    "IT": "it", "SM": "it", "PT": "pt", "BR": "pt", "NL": "nl",
    "CN": "zh", "TW": "zh", "HK": "zh", "SG": "zh", "JP": "ja", "KR": "ko",
    "RU": "ru", "PL": "pl", "SE": "sv", "DK": "da", "NO": "no", "GR": "el", "TR": "tr",
    "IL": "he", "IN": "en", "SA": "ar", "AE": "ar", "EG": "ar", "MA": "fr", "TN": "fr",
}  # fmt: skip


def country_of(number: str) -> str:
    """ISO country code of an E.164 number, or "" when it cannot be told (withheld, garbled)."""
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return ""
    return phonenumbers.region_code_for_number(parsed) or ""


def country_name(code: str) -> str:
    """The country's name in the active language, from the Unicode CLDR (through Babel): every
    territory, in every language we speak ("Guernsey", "Guernesey")."""
    if not code:
        return str(_("an unknown country"))
    return str(_territories(get_language() or "en").get(code.upper(), _("an unknown country")))


@functools.cache
def _territories(language: str) -> dict[str, str]:
    try:
        locale = Locale.parse(language.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        locale = Locale.parse("en")
    return dict(locale.territories)


def guess_language(country: str, offered: list[str]) -> str:
    """The language to offer first: the caller's country's, if the line offers it, else English."""
    language = LANGUAGE_BY_COUNTRY.get(country, "en")
    if language in offered:
        return language
    return "en" if "en" in offered or not offered else offered[0]
