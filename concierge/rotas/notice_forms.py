"""The form of a person's notice choices: per kind, by e-mail and by text (neither: in the app
only), and the language notices are written in."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.forms import BoundField
from django.utils.translation import gettext_lazy as _

from ..models import NoticeKind
from .inbox import Choices


class NoticePreferencesForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language of e-mails and texts"), choices=settings.LANGUAGES
    )

    def __init__(self, *args: Any, choices: Choices, has_phone: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = choices.language
        for kind in NoticeKind:
            self.fields[f"{kind.value}_email"] = forms.BooleanField(
                label=_("E-mail"), required=False, initial=kind.value in choices.email
            )
            self.fields[f"{kind.value}_text"] = forms.BooleanField(
                label=_("Text message"),
                required=False,
                initial=kind.value in choices.text,
            )

    def kinds(self, channel: str) -> list[str]:
        return [
            kind.value for kind in NoticeKind if self.cleaned_data.get(f"{kind.value}_{channel}")
        ]

    def rows(self) -> list[tuple[str, BoundField, BoundField]]:
        """One line per kind: its name, the e-mail box and the text box."""
        return [
            (str(kind.label), self[f"{kind.value}_email"], self[f"{kind.value}_text"])
            for kind in NoticeKind
        ]
