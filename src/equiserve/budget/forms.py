"""The form finance enters a budget line with."""

from decimal import Decimal

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from equiserve.budget.models import Funding
from equiserve.geography.models import Town
from equiserve.rules import plan_gateway


class BudgetLineForm(forms.Form):
    year = forms.TypedChoiceField(
        label=_("year"), choices=[(y, y) for y in (2014, 2015, 2016)], coerce=int
    )
    programme = forms.ChoiceField(label=_("programme"))
    town = forms.ModelChoiceField(
        label=_("town"),
        queryset=Town.objects.order_by("code"),
        required=False,
        empty_label=_("City-wide"),
    )
    funding = forms.ChoiceField(label=_("funding source"), choices=Funding.choices)
    amount = forms.DecimalField(
        label=_("amount (CNY)"),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0"),
    )
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        lang = "en" if (get_language() or "").startswith("en") else "zh"
        self.fields["programme"].choices = [
            (code, f"{p.clause} {p.label_in(lang)}")
            for code, p in plan_gateway.plan().programmes.items()
        ]
        field = self.fields["town"]
        field.label_from_instance = lambda town: (
            town.name_en if lang == "en" else town.short_name_zh
        )
