"""Forms of the projects pages: they parse; the services decide (issue 17)."""

from django import forms
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from equiserve.projects.documents import size_error
from equiserve.projects.models import Milestone, Project
from equiserve.projects.services import MILESTONE_FIELDS, PROJECT_FIELDS

TOO_LARGE = "too_large"
DATE = {"widget": forms.DateInput(attrs={"type": "date"})}


def project_form(*, new: bool, chooses_department: bool) -> type[forms.Form]:
    """Return the project form: the code only for a new project, the lead
    department only for those who name it (the office)."""
    names = [*PROJECT_FIELDS]
    if new:
        names.insert(0, "code")
    if not chooses_department:
        names.remove("lead_department")
    fields = fields_for_model(Project, fields=names)
    # Model field validators (code pattern, budget ≥ 0) come with the fields;
    # uniqueness and the rest are the service's full_clean.
    return type("ProjectForm", (forms.Form,), fields)


class MilestoneForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    position = fields_for_model(Milestone, fields=["position"])["position"]
    name = forms.CharField(label=_("Milestone"), max_length=100)
    name_en = forms.CharField(label=_("English name"), max_length=160, required=False)
    planned_start = forms.DateField(label=_("Planned start"), **DATE)
    planned_date = forms.DateField(label=_("Planned completion"), **DATE)


MilestoneFormSet = forms.formset_factory(
    MilestoneForm, extra=3, can_delete=True, max_num=60, validate_max=True
)


def milestone_rows(formset) -> list[dict]:
    """Return the formset's filled rows for `project_save` (blank new rows dropped)."""
    rows = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data:
            continue
        row = {name: data.get(name) for name in MILESTONE_FIELDS}
        row["position"] = row["position"] or 0
        row["id"] = data.get("id")
        row["delete"] = bool(data.get("DELETE"))
        rows.append(row)
    return rows


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    reference = forms.CharField(
        label=_("Document number"), max_length=64, required=False
    )
    issued_on = forms.DateField(label=_("Date"), **DATE)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, Word, Excel, JPEG or PNG."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Before the file is read (issue 10, finding 11), as every import does.
        if too_large := size_error(upload.size):
            raise forms.ValidationError(too_large, code=TOO_LARGE)
        return upload
