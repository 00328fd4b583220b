from django import forms
from django.utils.translation import gettext_lazy as _

from equiserve.uploads import upload_size_error


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_(
            "Persons, households, or both (an XLSX workbook with one sheet each). "
            "Nothing is imported unless every row is right."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if too_large := upload_size_error(upload.size):
            raise forms.ValidationError(too_large)
        return upload
