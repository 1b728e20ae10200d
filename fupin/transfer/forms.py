from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .pipeline import check_size


class UploadForm(forms.Form):
    file = forms.FileField(label=_("file"), help_text=_(".xlsx, .xls, .ods or .csv (UTF-8 or GB18030)"))
    data_date = forms.DateField(
        label=_("date of the data"),
        help_text=_(
            "The day the exported list describes (as the national system's export shows it). Its per-capita "
            "net incomes are kept as the figures reported for that day's year."
        ),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, spec, **kwargs):
        super().__init__(*args, **kwargs)
        self.spec = spec
        if not spec.asks_data_date:
            del self.fields["data_date"]
        elif spec.reference is not None:
            self.fields["data_date"].label = _("period of the data")
            self.fields["data_date"].help_text = _(
                "Any day of the month the department's list describes. The newest period of a list is the one "
                "compared with the register; a file already loaded is refused."
            )

    def clean_data_date(self):
        day = self.cleaned_data["data_date"]
        if day > timezone.localdate():
            raise ValidationError(_("The date of the data cannot be in the future."))
        return day

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        check_size(uploaded.size, self.spec.max_bytes)  # before the file is read
        return uploaded
