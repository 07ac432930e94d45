"""Onboarding steps 1 and 3: who the ambassador is, and what they know and like."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from concierge.lib.timezones import local_today
from concierge.models import CallMotive, Region

from ..models import Ambassador, AmbassadorLanguage
from ..validators import validate_adult, validate_languages
from .common import AmbassadorError, error_from, refresh_onboarding


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
        raise error_from(exc, "date_of_birth") from None
    try:
        codes = validate_languages(languages)
    except ValidationError as exc:
        raise error_from(exc, "languages") from None

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
    refresh_onboarding(ambassador)
    return ambassador


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
    refresh_onboarding(ambassador)
    return ambassador
