from django import forms
from django.utils.translation import gettext_lazy as _

from .pipeline import check_size


class UploadForm(forms.Form):
    file = forms.FileField(label=_("file"), help_text=_(".xlsx, .xls, .ods or .csv (UTF-8 or GB18030)"))

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        check_size(uploaded.size)  # before the file is read into memory
        return uploaded
