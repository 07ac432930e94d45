"""What the rota pages accept, checked at the edge."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from ..models import Membership, Role, TouristOffice


class AcceptForm(forms.Form):
    """Accepting an invitation: the first name tourists will be told ("in touch with Chloé")."""

    first_name = forms.CharField(
        label=gettext_lazy("Your first name"),
        max_length=150,
        help_text=gettext_lazy(
            "Tourists you talk to on duty are told it (never your surname or your number)."
        ),
    )

    def clean_first_name(self) -> str:
        name = " ".join(str(self.cleaned_data["first_name"]).split())
        if not name:
            raise forms.ValidationError(gettext_lazy("Enter your first name."))
        return name


class InviteForm(forms.Form):
    """Whom to invite, to which office, as what: a coordinator invites advisors and managers to
    any office of the network, an office manager only advisors to their own office."""

    email = forms.EmailField(label=gettext_lazy("E-mail address"))
    office = forms.ModelChoiceField(
        label=gettext_lazy("Office"), queryset=TouristOffice.objects.none(), empty_label=None
    )
    role = forms.ChoiceField(
        label=gettext_lazy("As"),
        choices=[(Role.ADVISOR, Role.ADVISOR.label), (Role.MANAGER, Role.MANAGER.label)],
    )

    def __init__(self, *args: Any, by: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        office, role = self.fields["office"], self.fields["role"]
        assert isinstance(office, forms.ModelChoiceField)
        assert isinstance(role, forms.ChoiceField)
        offices = TouristOffice.objects.filter(network=by.network_id)
        if by.role == Role.MANAGER:
            offices = offices.filter(members=by)
            role.choices = [(Role.ADVISOR, Role.ADVISOR.label)]
        office.queryset = offices


def can_close_any(by: Membership) -> bool:
    """Whether the closure form is for them: coordinators and office managers."""
    return by.role == Role.COORDINATOR or (by.role == Role.MANAGER and by.office_id is not None)


class ClosureForm(forms.Form):
    """A closure day: a manager closes their own office, a coordinator any office or, leaving
    the office empty, the whole network."""

    day = forms.DateField(label=gettext_lazy("Closed on"), widget=forms.DateInput({"type": "date"}))
    office = forms.ModelChoiceField(
        label=gettext_lazy("Office"), queryset=TouristOffice.objects.none(), required=False
    )
    reason = forms.CharField(label=gettext_lazy("Why (optional)"), max_length=120, required=False)

    def __init__(self, *args: Any, by: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        office = self.fields["office"]
        assert isinstance(office, forms.ModelChoiceField)
        offices = TouristOffice.objects.filter(network=by.network_id)
        if by.role == Role.COORDINATOR:
            office.empty_label = gettext_lazy("The whole network")
        else:
            offices = offices.filter(members=by)
            office.required, office.empty_label = True, None
        office.queryset = offices
