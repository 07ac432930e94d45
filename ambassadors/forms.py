"""Portal forms. They check shape; the rules live in services and validators (a form may call a
validator too, to show every mistake at once), and a service's AmbassadorError is put back on
the field it names (see ``add_service_error``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from concierge.lib.languages import LANGUAGES
from concierge.lib.names import region_name
from concierge.lib.timezones import local_today
from concierge.models import CallMotive, Region, RegionKind

from .models import Ambassador, Weekday
from .services import AmbassadorError
from .validators import validate_adult, validate_languages


def add_service_error(form: forms.Form, error: AmbassadorError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label=_("First name or pseudonym"),
        max_length=40,
        help_text=_("The only name a tourist will ever hear. No surname needed."),
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Ambassadors must be 18 or older."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you speak"),
        choices=LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("English is required: it is the language every caller can fall back on."),
        # Not "required": with nothing ticked, the English rule below explains what is needed.
        required=False,
    )

    # The service checks these again; checking here too shows every mistake in one go instead
    # of one per submission.
    def clean_date_of_birth(self) -> date:
        born: date = self.cleaned_data["date_of_birth"]
        validate_adult(born, today=local_today())
        return born

    def clean_languages(self) -> list[str]:
        return validate_languages(self.cleaned_data["languages"])


class PhoneForm(forms.Form):
    phone_number = forms.CharField(
        label=_("Your French mobile number"),
        max_length=30,
        widget=forms.TextInput(
            attrs={"type": "tel", "autocomplete": "tel", "placeholder": "06 12 34 56 78"}
        ),
        help_text=_(
            "Calls reach you on this number. Tourists never see it, and you never see theirs."
        ),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("6-digit code"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9 ]*"}
        ),
    )


class RegionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        return region_name(obj)


class PreferencesForm(forms.Form):
    any_region = forms.BooleanField(label=_("Anywhere in France"), required=False)
    regions = RegionChoiceField(
        label=_("Regions you know well"),
        queryset=Region.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    any_motive = forms.BooleanField(label=_("Anything"), required=False)
    motives = forms.ModelMultipleChoiceField(
        label=_("What you enjoy talking about"),
        queryset=CallMotive.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def clean(self) -> dict[str, object]:
        # Say everything that is missing at once; the service checks the same rules again.
        data = super().clean() or {}
        if not data.get("any_region") and not data.get("regions"):
            self.add_error("regions", _("Choose at least one region, or “Anywhere in France”."))
        if not data.get("any_motive") and not data.get("motives"):
            self.add_error("motives", _("Choose at least one topic, or “Anything”."))
        return data

    def region_groups(self) -> list[tuple[str, list]]:
        kinds = dict(Region.objects.values_list("pk", "kind"))
        groups: dict[str, list] = {RegionKind.METROPOLITAN: [], RegionKind.OVERSEAS: []}
        for checkbox in self["regions"]:
            groups.setdefault(kinds[checkbox.data["value"].value], []).append(checkbox)
        return [(str(RegionKind(kind).label), boxes) for kind, boxes in groups.items() if boxes]


class SlotForm(forms.Form):
    weekday = forms.TypedChoiceField(label=_("Day"), choices=Weekday.choices, coerce=int)
    start = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(
        label=_("Until"),
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text=_("An end earlier than the start runs past midnight; the same time means 24 h."),
    )


class PauseForm(forms.Form):
    until = forms.DateField(
        label=_("Pause until"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Calls resume by themselves on this date at 00:00, French time."),
    )


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class PointsAdjustmentForm(forms.Form):
    """Staff: points added or taken away by hand. ``key`` is this form's own token, so a form
    sent twice (a double click, a reload) adjusts once."""

    email = forms.EmailField(label=_("Ambassador's e-mail address"))
    amount = forms.IntegerField(
        label=_("Points"), help_text=_("A negative number takes points away, e.g. -20.")
    )
    reason = forms.CharField(
        label=_("Why"),
        max_length=200,
        help_text=_("The ambassador reads it in an e-mail and in their points history."),
    )
    key = forms.UUIDField(widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        email = data.get("email")
        if email:
            ambassador = Ambassador.objects.filter(user__email__iexact=email).first()
            if ambassador is None:
                self.add_error("email", _("No ambassador has this e-mail address."))
            data["ambassador"] = ambassador
        return data
