"""Forms of the housing pages: they parse input; the services decide."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from equiserve.housing.models import Estate, round_id_validator
from equiserve.housing.selectors import household_member
from equiserve.registry.models import Household

CHOICES = 3


class ApplicationForm(forms.Form):
    household = forms.CharField(label=_("Household number"), max_length=32)
    # The applicant's ID number and name together (issue 10, finding 3): filing
    # opens the household to the housing department, so it needs more than a
    # number anyone could guess.
    applicant_id_number = forms.CharField(
        label=_("Applicant's resident ID number"),
        max_length=18,
        help_text=_("A member of the household, as on the ID card."),
    )
    applicant_name = forms.CharField(label=_("Applicant's name"), max_length=32)
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
        number, name = data.get("applicant_id_number"), data.get("applicant_name")
        if household is not None and number and name:
            data["applicant"] = household_member(household, number, name)
            if data["applicant"] is None:
                self.add_error(
                    "applicant_id_number",
                    _("No member of this household has this ID number and name."),
                )
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
