"""Forms of the housing pages: they parse input; the services decide."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from equiserve.housing.models import Estate, round_id_validator
from equiserve.registry.models import Household, Person

CHOICES = 3


class ApplicationForm(forms.Form):
    household = forms.CharField(label=_("Household number"), max_length=32)
    applicant = forms.CharField(
        label=_("Applicant's person number"),
        max_length=32,
        help_text=_("A member of the household."),
    )
    submitted_on = forms.DateField(
        label=_("Application date"),
        initial=dt.date.today,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    disability = forms.BooleanField(
        label=_("A member holds a disability certificate (checked by the officer)"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        estates = Estate.objects.order_by("code")
        for number in range(1, CHOICES + 1):
            self.fields[f"choice_{number}"] = forms.ModelChoiceField(
                estates,
                label=_("Estate, choice %(number)s") % {"number": number},
                required=number == 1,
            )

    def clean_household(self) -> Household:
        found = Household.objects.filter(key=self.cleaned_data["household"]).first()
        if found is None:
            raise forms.ValidationError(_("No such household."))
        return found

    def clean(self):
        data = super().clean()
        household = data.get("household")
        if household is not None and data.get("applicant"):
            person = Person.objects.filter(
                key=data["applicant"], household=household
            ).first()
            if person is None:
                self.add_error(
                    "applicant", _("No member of this household has this number.")
                )
            data["applicant"] = person
        return data

    def preferences(self) -> list[Estate]:
        chosen = [self.cleaned_data.get(f"choice_{n}") for n in range(1, CHOICES + 1)]
        return [estate for estate in chosen if estate is not None]


class RoundForm(forms.Form):
    round_id = forms.CharField(
        label=_("Round id"),
        max_length=32,
        validators=[round_id_validator],
        help_text=_("Lowercase letters, digits and hyphens, e.g. 2015-2."),
    )
    title = forms.CharField(label=_("Title"), max_length=100)
    as_of = forms.DateField(
        label=_("Assess eligibility on"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    migrant_quota = forms.IntegerField(
        label=_("Units for migrant households"),
        min_value=0,
        required=False,
        help_text=_("Empty: what is left of the plan's yearly quota."),
    )
    no_quota = forms.BooleanField(label=_("No migrant quota"), required=False)

    def quota(self) -> int | str | None:
        if self.cleaned_data["no_quota"]:
            return None
        value = self.cleaned_data["migrant_quota"]
        return "plan" if value is None else value


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        choices=[("accept", _("Accepted")), ("refuse", _("Refused"))]
    )
    version = forms.IntegerField(min_value=1)
