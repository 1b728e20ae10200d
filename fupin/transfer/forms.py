from django import forms
from django.utils.translation import gettext_lazy as _


class UploadForm(forms.Form):
    file = forms.FileField(label=_("file"), help_text=_(".xlsx, .xls, .ods or .csv (UTF-8 or GB18030)"))
