"""The public self-report pages (农户自主申报), reached without a login from the QR code posted in each
village: a form that answers with a receipt number, and the state of a clue by its receipt. They show
nothing of the register: not whether a person is in it, nor anyone's data; a receipt shows its own
clue's state and outcome only. Submissions are throttled per address and per ID number."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_protect

from fupin import access
from fupin.audit.context import current_ip
from fupin.lib import throttle
from fupin.lib.forms import add_errors
from fupin.regions.models import Level, Region
from fupin.registry import id_numbers

from .clues import Report, report
from .forms import SelfReportForm
from .models import Channel, Clue, ClueState

HOUR, DAY = 3600, 86400
PUBLIC_STATES = {
    ClueState.RECEIVED: gettext_lazy("Received by the township; it will be passed to your village for a home visit."),
    ClueState.CHECKING: gettext_lazy("With your village: the village will visit your home to check."),
    ClueState.IN_PROCEDURE: gettext_lazy("Being reviewed: democratic review, notice and approval."),
    ClueState.CONFIRMED: gettext_lazy("Decided: your household is monitored and will be helped."),
    ClueState.NOT_CONFIRMED: gettext_lazy("Decided: no monitoring is needed."),
}


def _villages_of(village: Region) -> list[tuple[str, str]]:
    county = village.code[:6]
    villages = Region.objects.filter(level=Level.VILLAGE, code__startswith=county).select_related("parent")
    return [(v.code, f"{v.parent.name} {v.name}" if v.parent else v.name) for v in villages.order_by("code")]


def _address() -> str:
    return current_ip() or "unknown"


@access.public
@csrf_protect
def self_report(request, village: str):
    place = Region.objects.filter(code=village, level=Level.VILLAGE).first()
    if place is None:
        raise Http404
    form = SelfReportForm(request.POST or None, villages=_villages_of(place), initial={"village": place.code})
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        number = id_numbers.normalize(values["id_number"])
        if not throttle.allow("self_report_address", _address(), settings.FUPIN_SELF_REPORTS_PER_ADDRESS, HOUR) or (
            not throttle.allow("self_report_id", number, settings.FUPIN_SELF_REPORTS_PER_ID, DAY)
        ):
            form.add_error(
                None, _("Too many reports have been sent from here. Please try again later or call your village.")
            )
        else:
            try:
                clue, _new = report(
                    Report(
                        channel=Channel.SELF_REPORT,
                        region_id=values["village"],
                        name=values["name"],
                        id_number=number,
                        phone=values["phone"],
                        said=values["said"],
                        risks=[values["risk"]] if values.get("risk") else [],
                    )
                )
            except ValidationError as e:
                add_errors(form, e, {"region_id": "village"})
            else:
                return render(request, "monitoring/self_report_done.html", {"clue": clue, "village": place})
    return render(request, "monitoring/self_report.html", {"form": form, "village": place})


@access.public
def clue_status(request):
    receipt = "".join(request.GET.get("receipt", "").split()).upper()[:12]
    clue, error = None, ""
    if receipt:
        if not throttle.allow("receipt_lookup", _address(), settings.FUPIN_RECEIPT_LOOKUPS_PER_ADDRESS, HOUR):
            error = _("Too many look-ups from here. Please try again later.")
        else:
            clue = (
                Clue.objects.filter(receipt=receipt)
                .only("receipt", "state", "reported_at", "decided_on", "outcome")
                .first()
            )
            if clue is None:
                error = _("No report has this receipt number. Check the number on your receipt.")
    context = {
        "receipt": receipt,
        "clue": clue,
        "error": error,
        "explanation": PUBLIC_STATES.get(clue.state) if clue else "",
    }
    return render(request, "monitoring/clue_status.html", context)
