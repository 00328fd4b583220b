"""Forms of the labour station: register a job seeker, post a vacancy, refer, record."""

import datetime as dt

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from equiserve.employment.models import Outcome
from equiserve.employment.occupations import occupation_choices
from equiserve.formatting import town_name


def _occupations():
    return occupation_choices(get_language() or "zh")


class SeekerForm(forms.Form):
    id_number = forms.CharField(label=_("Resident ID number"), max_length=18)
    registered_on = forms.DateField(
        label=_("Registered on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    occupation = forms.ChoiceField(label=_("Occupation sought"), choices=_occupations)
    wage_min = forms.DecimalField(
        label=_("Lowest monthly wage sought"),
        min_value=0,
        max_digits=10,
        decimal_places=2,
    )
    skills = forms.CharField(label=_("Skills"), max_length=200, required=False)


class VacancyForm(forms.Form):
    employer = forms.CharField(label=_("Employer"), max_length=100)
    title = forms.CharField(label=_("Job title"), max_length=100)
    occupation = forms.ChoiceField(label=_("Occupation"), choices=_occupations)
    town = forms.ChoiceField(label=_("Town"))
    wage = forms.DecimalField(
        label=_("Monthly wage"), min_value=0, max_digits=10, decimal_places=2
    )
    hours_per_week = forms.IntegerField(
        label=_("Hours per week"), min_value=1, max_value=84
    )
    positions = forms.IntegerField(label=_("Positions"), min_value=1, max_value=999)
    posted_on = forms.DateField(
        label=_("Posted on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    skills = forms.CharField(label=_("Skills asked"), max_length=200, required=False)

    def __init__(self, *args, towns=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["town"].choices = [(t.code, town_name(t.code)) for t in towns]


class ReferForm(forms.Form):
    vacancy = forms.IntegerField(widget=forms.HiddenInput)
    referred_on = forms.DateField(
        label=_("Referred on"),
        initial=dt.date.today,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (Outcome.HIRED, Outcome.HIRED.label),
            (Outcome.DECLINED, Outcome.DECLINED.label),
        ],
    )
    outcome_on = forms.DateField(
        label=_("Outcome on"),
        initial=dt.date.today,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
