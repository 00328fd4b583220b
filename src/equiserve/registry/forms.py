"""The window clerk's form: it parses input; `services.person_register` decides."""

from django import forms
from django.utils.translation import gettext_lazy as _

from equiserve.choices import choices_for
from equiserve.registry.models import Relation


class PersonRegisterForm(forms.Form):
    """One person: ID number and name; birth date and sex are read from the number."""

    id_number = forms.CharField(
        label=_("Resident ID number"),
        max_length=24,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "data-ric": "", "spellcheck": "false"}
        ),
    )
    name = forms.CharField(label=_("Name"), max_length=32)
    hukou = forms.ChoiceField(label=_("Household registration"))
    household = forms.ChoiceField(
        label=_("Household"),
        required=False,
        choices=[
            ("", _("No household")),
            ("new", _("A new household, this person its head")),
            ("existing", _("An existing household (its number below)")),
        ],
    )
    household_key = forms.CharField(
        label=_("Household number"), max_length=32, required=False
    )
    relation_to_head = forms.ChoiceField(
        label=_("Relation to the head of household"),
        required=False,
        choices=[("", "—"), *Relation.choices],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hukou"].choices = choices_for("hukou")
