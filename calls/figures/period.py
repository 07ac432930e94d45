"""The days a dashboard covers, in the destination's time zone, and the period before them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from concierge.lib.timezones import local_today, start_of_local_day

LONGEST = 366  # days: a year (and a leap day) at most
# No line answered before 2000, and the period before (the comparison) and the day after the
# last must stay inside the calendar (a date past its ends is an OverflowError, not a 400).
EARLIEST, LATEST = date(2000, 1, 1), date(2999, 12, 31)


@dataclass(frozen=True)
class Period:
    first: date
    last: date  # included

    @classmethod
    def this_month(cls) -> Period:
        today = local_today()
        return cls(today.replace(day=1), today)

    @property
    def length(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def start(self) -> datetime:
        return start_of_local_day(self.first)

    @property
    def end(self) -> datetime:
        return start_of_local_day(self.last + timedelta(days=1))

    def previous(self) -> Period:
        """The period of the same length just before (the comparison)."""
        return Period(self.first - timedelta(days=self.length), self.first - timedelta(days=1))

    def days(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range(self.length)]


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=pgettext_lazy("period", "From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=pgettext_lazy("period", "To"), widget=forms.DateInput(attrs={"type": "date"})
    )
    network = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if isinstance(start, date) and isinstance(end, date):
            if end < start:
                raise forms.ValidationError(_("The last day comes before the first."))
            if start < EARLIEST or end > LATEST:
                raise forms.ValidationError(_("Invalid dates."))
            if (end - start).days + 1 > LONGEST:
                raise forms.ValidationError(_("Choose %(days)s days at most.") % {"days": LONGEST})
        return data

    def period(self) -> Period:
        return Period(self.cleaned_data["start"], self.cleaned_data["end"])
