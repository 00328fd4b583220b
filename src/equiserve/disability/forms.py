"""Forms of the disability pages: they parse; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from equiserve.disability.models import Category, Institution, ServiceKind


class RegisterForm(forms.Form):
    id_number = forms.CharField(label=_("Resident ID number"), max_length=18)
    name = forms.CharField(label=_("Name"), max_length=32)
    certificate_number = forms.CharField(
        label=_("Disability certificate number"), max_length=24
    )
    # Free text, not a closed choice: an unknown category or grade reaches the
    # service, which refuses it with the rule in words (issue 17).
    category = forms.CharField(
        label=_("Category"),
        widget=forms.Select(choices=[("", "—"), *Category.choices]),
    )
    grade = forms.CharField(
        label=_("Grade"),
        widget=forms.Select(
            choices=[("", "—")] + [(str(g), str(g)) for g in range(1, 5)]
        ),
    )
    issued_on = forms.DateField(
        label=_("Certificate issued on"), widget=forms.DateInput(attrs={"type": "date"})
    )


class ServiceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Service"), choices=ServiceKind.choices)
    institution = forms.ModelChoiceField(
        label=_("Institution"),
        queryset=Institution.objects.order_by("kind", "code"),
        required=False,
    )
    start_date = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end_date = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    cost = forms.DecimalField(
        label=_("Cost (CNY)"), max_digits=12, decimal_places=2, min_value=0, initial=0
    )
    attendance_days = forms.IntegerField(
        label=_("Days attended"), min_value=0, initial=0, required=False
    )


class WaitingForm(forms.Form):
    institution = forms.ModelChoiceField(
        label=_("Institution"), queryset=Institution.objects.order_by("kind", "code")
    )
    since = forms.DateField(
        label=_("Waiting since"), widget=forms.DateInput(attrs={"type": "date"})
    )
