"""Forms of the case pages: they parse input; the services decide what it means."""

from django import forms
from django.utils.translation import gettext_lazy as _

from equiserve.cases.facts import BOOL, CHOICE, COUNT, DATE, FACTS, MONEY
from equiserve.cases.models import PAYMENT
from equiserve.cases.workflow import Action


class VersionedForm(forms.Form):
    # The version of the case the officer saw; a stale one is a conflict (409).
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class ConfirmedForm(forms.Form):
    # Set by the confirmation step of an irreversible action (issue 14, deliverable 4).
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)


class DecideForm(VersionedForm, ConfirmedForm):
    # No decision is chosen for the officer (issue 14, deliverable 3): the
    # service names a missing one.
    decision = forms.ChoiceField(
        label=_("Decision"),
        required=False,
        choices=[
            (Action.APPROVE, _("Approve")),
            (Action.REJECT, _("Reject")),
            (Action.RETURN, _("Return for more information")),
        ],
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    amount = forms.CharField(label=_("Amount (CNY)"), required=False, max_length=20)
    acknowledge_above_request = forms.BooleanField(
        label=_("I have checked the amount above the request"), required=False
    )


class DeliverForm(VersionedForm, ConfirmedForm):
    item = forms.CharField(label=_("Payment or service"), max_length=32)
    quantity = forms.IntegerField(
        label=_("Quantity"), min_value=1, initial=1, required=False
    )
    amount = forms.CharField(
        label=_("Amount paid (CNY)"), required=False, max_length=20
    )
    delivered_on = forms.DateField(label=_("Date"))
    note = forms.CharField(label=_("Note"), required=False, max_length=200)
    # Checked by the service (issue 15): whom a payment goes to, where the
    # programme pays others than the applicant.
    payee_kind = forms.CharField(required=False, max_length=8)
    payee_name = forms.CharField(required=False, max_length=100)
    payee_uscc = forms.CharField(required=False, max_length=40)

    def clean(self):
        data = super().clean()
        if data.get("item") != PAYMENT and not data.get("quantity"):
            data["quantity"] = 1
        return data


class AppealForm(VersionedForm):
    reason = forms.CharField(
        label=_("Grounds of the appeal"), widget=forms.Textarea(attrs={"rows": 3})
    )
    lodged_on = forms.DateField(label=_("Lodged on"))


class AssessForm(VersionedForm):
    pass


def _fact_field(name: str) -> forms.Field:
    fact = FACTS[name]
    if fact.kind == DATE:
        return forms.DateField(
            label=fact.label,
            required=False,
            widget=forms.DateInput(attrs={"type": "date"}),
        )
    if fact.kind == COUNT:
        return forms.IntegerField(label=fact.label, required=False, min_value=0)
    if fact.kind == MONEY:
        return forms.DecimalField(
            label=fact.label,
            required=False,
            min_value=0,
            decimal_places=2,
            max_digits=12,
        )
    if fact.kind == BOOL:
        # Three answers: not stated stays unknown, never no (issue 15).
        return forms.ChoiceField(
            label=fact.label,
            required=False,
            choices=[("", _("not stated")), ("true", _("Yes")), ("false", _("No"))],
        )
    assert fact.kind == CHOICE
    return forms.ChoiceField(
        label=fact.label, required=False, choices=[("", "—"), *fact.choices]
    )


class FactsForm(forms.Form):
    """The facts and documents of one programme's application."""

    # Required when changing a case (the services refuse a missing version).
    version = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)

    def __init__(self, programme, *args, lang: str = "zh", **kwargs):
        super().__init__(*args, **kwargs)
        for name in programme.facts:
            self.fields[f"fact_{name}"] = _fact_field(name)
            stated = self.initial.get(f"fact_{name}")
            if isinstance(stated, bool):  # a stated yes or no shows as stated
                self.initial[f"fact_{name}"] = "true" if stated else "false"
        self.fields["documents"] = forms.MultipleChoiceField(
            label=_("Documents received"),
            required=False,
            choices=[(d.code, d.label_in(lang)) for d in programme.documents],
            widget=forms.CheckboxSelectMultiple,
        )

    def facts(self) -> dict:
        return {
            key.removeprefix("fact_"): value
            for key, value in self.cleaned_data.items()
            if key.startswith("fact_") and value not in (None, "")
        }


class RegisterForm(forms.Form):
    programme = forms.ChoiceField(label=_("Programme"))
    applicant = forms.CharField(
        label=_("Applicant (person number or resident ID number)"), max_length=36
    )
    # A department names a person it does not see yet by ID number and name
    # together (issue 10, finding 3).
    applicant_name = forms.CharField(
        label=_("Applicant's name (with the ID number, for departments)"),
        max_length=32,
        required=False,
    )
    claimant = forms.CharField(
        label=_("Applying on behalf (person number or ID number, optional)"),
        max_length=36,
        required=False,
    )
    claimant_name = forms.CharField(
        label=_("Name of the person applying on behalf (with the ID number)"),
        max_length=32,
        required=False,
    )
    applied_on = forms.DateField(
        label=_("Applied on"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, programmes: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].choices = programmes
