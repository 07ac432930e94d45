"""Languages an ambassador may speak and a caller may choose (ISO 639-1 codes)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ENGLISH = "en"

# Ordered by how often foreign visitors to France speak them; extend freely (codes are stored).
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("de", _("German")),
    ("es", _("Spanish")),
    ("it", _("Italian")),
    ("nl", _("Dutch")),
    ("pt", _("Portuguese")),
    ("zh", _("Chinese")),
    ("ja", _("Japanese")),
    ("ko", _("Korean")),
    ("ru", _("Russian")),
    ("ar", _("Arabic")),
    ("pl", _("Polish")),
    ("sv", _("Swedish")),
    ("da", _("Danish")),
    ("no", _("Norwegian")),
    ("hi", _("Hindi")),
    ("he", _("Hebrew")),
    ("tr", _("Turkish")),
    ("el", _("Greek")),
]
LANGUAGE_CODES = frozenset(code for code, _name in LANGUAGES)


def language_name(code: str) -> str:
    return str(dict(LANGUAGES).get(code, code))


# The language the destination's tourist offices work in: what advisors, managers and
# coordinators are texted, e-mailed and whispered in.
OFFICE_LANGUAGE = "fr"


# Our language codes are ISO 639-1 ("zh"); gettext's catalogue for Chinese is Simplified Chinese,
# which Django names "zh-hans" (locale/zh_Hans). Every other code is its own catalogue.
CATALOGUE_LANGUAGE = {"zh": "zh-hans"}


def catalogue_language(code: str) -> str:
    """The language to activate for gettext (translation.override) to speak ``code``."""
    return CATALOGUE_LANGUAGE.get(code, code)
