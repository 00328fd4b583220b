"""Forms of the labour station: register a job seeker, post a vacancy, refer, record."""

import datetime as dt

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from equiserve.employment.models import Outcome, RepaymentMethod
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


def _day(label):
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}))


class EnrolForm(forms.Form):
    id_number = forms.CharField(label=_("Resident ID number"), max_length=18)
    course = forms.TypedChoiceField(label=_("Course"), coerce=int)
    enrolled_on = _day(_("Enrolled on"))

    def __init__(self, *args, courses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].choices = [(c.pk, str(c)) for c in courses]


class CertifyForm(forms.Form):
    completed_on = _day(_("Completed on"))
    certificate_number = forms.CharField(label=_("Certificate number"), max_length=40)
    certified_on = _day(_("Certified on"))


class PayForm(forms.Form):
    paid_on = _day(_("Paid on"))


class LoanForm(forms.Form):
    id_number = forms.CharField(label=_("Resident ID number"), max_length=18)
    business = forms.CharField(label=_("Business"), max_length=100)
    principal = forms.DecimalField(
        label=_("Principal"), min_value=0.01, max_digits=10, decimal_places=2
    )
    annual_rate = forms.DecimalField(
        label=_("Annual interest rate"),
        help_text=_("A share: 0.0535 for 5.35 %."),
        min_value=0,
        max_value=0.99999,
        max_digits=6,
        decimal_places=5,
    )
    months = forms.IntegerField(label=_("Term in months"), min_value=1, max_value=120)
    method = forms.ChoiceField(label=_("Repayment method"), choices=RepaymentMethod)
    granted_on = _day(_("Granted on"))


class ProviderForm(forms.Form):
    name = forms.CharField(label=_("Training provider"), max_length=100)
    town = forms.ChoiceField(label=_("Town"))
    approved_on = _day(_("Approved on"))

    def __init__(self, *args, towns=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["town"].choices = [(t.code, town_name(t.code)) for t in towns]


class CourseForm(forms.Form):
    provider = forms.TypedChoiceField(label=_("Training provider"), coerce=int)
    title = forms.CharField(label=_("Course"), max_length=100)
    occupation = forms.ChoiceField(label=_("Occupation"), choices=_occupations)
    starts_on = _day(_("Starts on"))
    ends_on = _day(_("Ends on"))
    places = forms.IntegerField(label=_("Places"), min_value=1, max_value=999)

    def __init__(self, *args, providers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [(p.pk, p.name) for p in providers]


class IncubationBaseForm(forms.Form):
    """A town's incubation base; the town is fixed once recorded (issue 15)."""

    name = forms.CharField(label=_("Incubation base"), max_length=100)
    town = forms.ChoiceField(label=_("Town"))
    opened_on = _day(_("Opened on"))
    places = forms.IntegerField(
        label=_("Places for start-ups"), min_value=1, max_value=32767
    )

    def __init__(self, *args, towns=(), editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["town"]
        else:
            self.fields["town"].choices = [(t.code, town_name(t.code)) for t in towns]


class StartupSubsidyForm(forms.Form):
    """A one-off start-up subsidy: the person is fixed once granted (issue 15)."""

    id_number = forms.CharField(label=_("Resident ID number"), max_length=18)
    business = forms.CharField(label=_("Business"), max_length=100)
    base = forms.TypedChoiceField(
        label=_("Incubation base"), coerce=int, required=False, empty_value=None
    )
    granted_on = _day(_("Granted on"))

    def __init__(self, *args, bases=(), editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["id_number"]
        self.fields["base"].choices = [("", _("no incubation base"))] + [
            (b.pk, f"{b.name}（{town_name(b.town_id)}）") for b in bases
        ]
