"""The one upload form of every import page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from equiserve.imports.limits import upload_size_error

TOO_LARGE = "too_large"


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Before the file is read (issue 10, finding 11).
        if too_large := upload_size_error(upload.size):
            raise forms.ValidationError(too_large, code=TOO_LARGE)
        return upload
