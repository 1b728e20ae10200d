from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin import access
from fupin.lib.forms import add_errors
from fupin.permissions import Perm
from fupin.registry.models import Household

from . import actions
from .forms import SpendingForm
from .models import RigidExpenditure


@access.requires(Perm.CHANGE_HOUSEHOLD)
def spending_edit(request, pk: int):
    """A year's compliant out-of-pocket spending of a household (合规自付支出), for its income account."""
    household = access.get_object_for_user(Household.objects.all(), request.user, pk=pk)
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() else timezone.localdate().year - 1
    record = RigidExpenditure.objects.filter(household=household, year=year).first()
    initial = {"year": year}
    if record:
        initial.update(medical=record.medical, schooling=record.schooling, other=record.other, note=record.note)
    form = SpendingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        try:
            actions.save_expenditure(by=request.user, household=household, year=values["year"], values=values)
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, _("Spending saved."))
            return redirect(household)
    return render(request, "monitoring/spending_form.html", {"form": form, "household": household})
