"""What a caller's number tells us: their country, and a good guess at their language."""

from __future__ import annotations

import phonenumbers

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


COUNTRY_NAMES = {
    "FR": "France", "BE": "Belgium", "LU": "Luxembourg", "MC": "Monaco", "CH": "Switzerland",
    "DE": "Germany", "AT": "Austria", "GB": "the United Kingdom", "IE": "Ireland",
    "US": "the United States", "CA": "Canada", "AU": "Australia", "NZ": "New Zealand",
    "ES": "Spain", "MX": "Mexico", "AR": "Argentina", "CO": "Colombia", "CL": "Chile",
    "IT": "Italy", "PT": "Portugal", "BR": "Brazil", "NL": "the Netherlands", "CN": "China",
    "TW": "Taiwan", "HK": "Hong Kong", "SG": "Singapore", "JP": "Japan", "KR": "South Korea",
    "IN": "India", "RU": "Russia", "PL": "Poland", "SE": "Sweden", "DK": "Denmark",
    "NO": "Norway", "FI": "Finland", "GR": "Greece", "TR": "Turkey", "IL": "Israel",
    "SA": "Saudi Arabia", "AE": "the United Arab Emirates", "EG": "Egypt", "MA": "Morocco",
    "TN": "Tunisia", "ZA": "South Africa",
}  # fmt: skip


def country_name(code: str) -> str:
    """An English name for the whisper; an unknown code is spelled out rather than guessed."""
    if not code:
        return "an unknown country"
    return COUNTRY_NAMES.get(code, " ".join(code))


def guess_language(country: str, offered: list[str]) -> str:
    """The language to offer first: the caller's country's, if the line offers it, else English."""
    language = LANGUAGE_BY_COUNTRY.get(country, "en")
    if language in offered:
        return language
    return "en" if "en" in offered or not offered else offered[0]
