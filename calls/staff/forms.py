"""The staff tools' forms: a reference to look up, a date range to export."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_EXPORT_DAYS = 366


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Reference"),
        max_length=64,
        help_text=_(
            "A call's reference (e.g. 3F9A2C), a conversation's code (e.g. #K7), a Twilio "
            "CallSid or MessageSid, or the id in a page's address."
        ),
    )


class ExportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What"),
        choices=[("calls", _("Calls")), ("conversations", _("Text conversations"))],
    )
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To (included)"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if isinstance(start, date) and isinstance(end, date):
            if end < start:
                self.add_error("end", _("The end comes before the start."))
            elif end - start > timedelta(days=MAX_EXPORT_DAYS - 1):
                self.add_error("end", _("At most a year at a time."))
        return data
