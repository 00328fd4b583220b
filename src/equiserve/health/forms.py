"""Forms of the health pages: they parse input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from equiserve.health.models import InsulinRegimen
from equiserve.health.vocabulary import service_kind_choices


class FollowUpForm(forms.Form):
    visited_on = forms.DateField(
        label=_("Visit date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    hba1c = forms.DecimalField(
        label=_("HbA1c (%)"),
        required=False,
        max_digits=4,
        decimal_places=1,
        min_value=2,
        max_value=25,
    )
    fasting_glucose = forms.DecimalField(
        label=_("Fasting glucose (mmol/L)"),
        required=False,
        max_digits=4,
        decimal_places=1,
        min_value=0.5,
        max_value=60,
    )
    insulin_regimen = forms.ChoiceField(
        label=_("Insulin regimen"), choices=InsulinRegimen.choices
    )
    hypoglycaemia_events = forms.IntegerField(
        label=_("Hypoglycaemia events since the last visit"),
        min_value=0,
        max_value=999,
        initial=0,
    )


class DayForm(forms.Form):
    on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))


class MigrantServiceForm(forms.Form):
    """A free 3.3.4 service: the person by ID number, the kind from the plan."""

    id_number = forms.CharField(
        label=_("ID number of the person served"), max_length=18
    )
    kind = forms.ChoiceField(label=_("Service"), choices=service_kind_choices)
    delivered_on = forms.DateField(
        label=_("Delivered on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    provider = forms.CharField(label=_("Provider"), max_length=100)
