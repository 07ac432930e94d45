"""What a caller's number tells us: their country, and a good guess at their language."""

from __future__ import annotations

import phonenumbers
from django.utils.translation import gettext_lazy as _

# Country (ISO 3166) → the language a visitor from there most likely wants.
LANGUAGE_BY_COUNTRY = {
    "FR": "fr", "BE": "fr", "LU": "fr", "MC": "fr", "CA": "en", "CH": "de",
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


# Names in the reader's language (gettext), without articles: they stand alone in a tag
# ("#K7 Germany"), a whisper ("Country: Germany") and on pages.
COUNTRY_NAMES = {
    "FR": _("France"),
    "BE": _("Belgium"),
    "LU": _("Luxembourg"),
    "MC": _("Monaco"),
    "CH": _("Switzerland"),
    "DE": _("Germany"),
    "AT": _("Austria"),
    "GB": _("United Kingdom"),
    "IE": _("Ireland"),
    "US": _("United States"),
    "CA": _("Canada"),
    "AU": _("Australia"),
    "NZ": _("New Zealand"),
    "ES": _("Spain"),
    "MX": _("Mexico"),
    "AR": _("Argentina"),
    "CO": _("Colombia"),
    "CL": _("Chile"),
    "IT": _("Italy"),
    "PT": _("Portugal"),
    "BR": _("Brazil"),
    "NL": _("Netherlands"),
    "CN": _("China"),
    "TW": _("Taiwan"),
    "HK": _("Hong Kong"),
    "SG": _("Singapore"),
    "JP": _("Japan"),
    "KR": _("South Korea"),
    "IN": _("India"),
    "RU": _("Russia"),
    "PL": _("Poland"),
    "SE": _("Sweden"),
    "DK": _("Denmark"),
    "NO": _("Norway"),
    "FI": _("Finland"),
    "GR": _("Greece"),
    "TR": _("Turkey"),
    "IL": _("Israel"),
    "SA": _("Saudi Arabia"),
    "AE": _("United Arab Emirates"),
    "EG": _("Egypt"),
    "MA": _("Morocco"),
    "TN": _("Tunisia"),
    "ZA": _("South Africa"),
}


def country_name(code: str) -> str:
    """The country's name in the active language; an unknown code is spelled out, not guessed."""
    if not code:
        return str(_("an unknown country"))
    name = COUNTRY_NAMES.get(code)
    return str(name) if name is not None else " ".join(code)


def guess_language(country: str, offered: list[str]) -> str:
    """The language to offer first: the caller's country's, if the line offers it, else English."""
    language = LANGUAGE_BY_COUNTRY.get(country, "en")
    if language in offered:
        return language
    return "en" if "en" in offered or not offered else offered[0]
