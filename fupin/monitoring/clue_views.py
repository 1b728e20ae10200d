"""The clue pages of the staff: the list with its deadlines, a clue with what can be done next, and
reporting a risk found (发现风险) from the household page or a cadre's phone."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Q
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin import access
from fupin.audit.actions import record_event, record_export
from fupin.audit.files import serve_audited
from fupin.audit.models import EventType
from fupin.codes.catalogue import code_list
from fupin.lib.forms import add_errors, filters_of, placeholders_from_labels
from fupin.lib.masking import mask, mask_phone
from fupin.lib.pagination import paginate
from fupin.lib.xlsx import xlsx_response
from fupin.permissions import Perm
from fupin.policy import calendar
from fupin.procedures.models import Case as ProcedureCase
from fupin.regions.models import Level, Region
from fupin.registry.models import Household

from . import clues, screening
from .forms import CadreReportForm, CheckForm, CloseForm, ClueFilterForm, LinkForm
from .kinds import CATEGORY, RISK_TYPE
from .models import OPEN_CLUE_STATES, Channel, Clue, ClueState


def filtered(request, user):
    form = ClueFilterForm(request.GET or None)
    placeholders_from_labels(form)
    clues_ = access.visible_to(Clue.objects.all(), user).select_related("household").annotate(due_on=clues.DUE)
    wanted = filters_of(form)
    region = access.requested_region(request)
    clues_ = access.narrow(clues_, "region_id", region)
    state = wanted.get("state", "")
    if state == "":
        clues_ = clues_.filter(state__in=OPEN_CLUE_STATES)
    elif state != "all":
        clues_ = clues_.filter(state=state)
    if channel := wanted.get("channel"):
        clues_ = clues_.filter(channel=channel)
    if wanted.get("overdue"):
        clues_ = clues_.filter(due_on__lt=timezone.localdate())
    if q := wanted.get("q", "").strip():
        clues_ = clues_.filter(
            Q(name__contains=q) | Q(receipt=q.upper()) | Q(household__household_no=q) | Q(household__head_name=q)
        )
    # Overdue first: the nearest deadline on top, decided clues after, newest first.
    return form, clues_.order_by(F("due_on").asc(nulls_last=True), "-reported_at", "-id")


def _decorate(items, today):
    days_off = calendar.load()
    risks = code_list(RISK_TYPE)
    for clue in items:
        clue.urgency = clues.urgency(clue.due, today, days_off)
        clue.risk_labels = [risks.label(r) for r in clue.risks]
        clue.masked_id = mask(clue.id_number) if clue.id_number else ""
    return items


def _qr_villages(user) -> list[Region]:
    """The villages whose self-report QR sheet a township or village user prints from the list."""
    if user.region is None or user.region.level < Level.TOWNSHIP:
        return []
    return list(access.visible_to(Region.objects.filter(level=Level.VILLAGE), user).order_by("code")[:100])


@access.scoped
def clue_list(request):
    form, items = filtered(request, request.user)
    today = timezone.localdate()
    page = paginate(request, items)
    _decorate(page.object_list, today)
    context = {
        "form": form,
        "page": page,
        "today": today,
        "can_screen": screening.may_run(request.user),
        "can_report": request.user.has_perm(Perm.REPORT_RISK),
        "qr_villages": _qr_villages(request.user),
    }
    return render(request, "monitoring/clue_list.html", context)


EXPORT_HEADER = "回执号 发现渠道 村代码 户编号 姓名 证件号码 风险类型 报告时间 状态 期限 时限 办结日期 结果".split()


def _export_rows(items, today):
    """The clues as rows, read in chunks: an export of every clue of a province stays in bounded memory."""
    days_off, risks = calendar.load(), code_list(RISK_TYPE)
    for clue in items.iterator(chunk_size=2000):
        yield [
            clue.receipt,
            clue.get_channel_display(),
            clue.region_id,
            clue.household.household_no if clue.household else "",
            clue.name,
            mask(clue.id_number) if clue.id_number else "",
            "、".join(risks.label(r) for r in clue.risks),
            timezone.localtime(clue.reported_at).strftime("%Y-%m-%d %H:%M"),
            clue.get_state_display(),
            clue.due.isoformat() if clue.due else "",
            str(clues.URGENCY_LABELS.get(clues.urgency(clue.due, today, days_off), "")),
            clue.decided_on.isoformat() if clue.decided_on else "",
            clue.outcome,
        ]


@access.scoped
def clue_export(request):
    _form, items = filtered(request, request.user)
    record_export(by=request.user, what=_("Risk clues"), filters=dict(request.GET.items()), format="xlsx")
    return xlsx_response("风险线索.xlsx", EXPORT_HEADER, _export_rows(items, timezone.localdate()))


def _clue(request, pk: int) -> Clue:
    return access.get_object_for_user(Clue.objects.select_related("household", "reported_by"), request.user, pk=pk)


@access.scoped
def clue_detail(request, pk: int):
    clue = _clue(request, pk)
    today = timezone.localdate()
    _decorate([clue], today)
    can_change = request.user.has_perm(Perm.CHANGE_HOUSEHOLD) and clue.is_open
    forms = {}
    if can_change:
        initial = {"category": clue.category, "risks": clue.risks}
        forms = {"check": CheckForm(initial=initial), "close": CloseForm(), "link": LinkForm()}
    cases = ProcedureCase.objects.filter(
        subject_type=ContentType.objects.get_for_model(Clue), subject_id=clue.pk
    ).select_related("batch")
    reveal = request.GET.get("reveal") == "1" and request.user.has_perm(Perm.VIEW_FULL_ID)
    if reveal:
        record_event(
            actor=request.user,
            event_type=EventType.SENSITIVE_VIEW,
            target=clue,
            region_code=clue.region_id,
            changes={"shown": ["id_number", "phone"]},
        )
    context = {
        "clue": clue,
        "reveal": reveal,
        "may_reveal": request.user.has_perm(Perm.VIEW_FULL_ID) and bool(clue.id_number or clue.phone),
        "masked_phone": mask_phone(clue.phone),
        "forms": forms,
        "cases": cases,
        "category_label": code_list(CATEGORY).label(clue.category) if clue.category else "",
        "reports": [
            {**r, "channel": Channel(r["channel"]).label, "at": r["at"][:16].replace("T", " ")} for r in clue.reports
        ],
        "may_pass": can_change and clue.state == ClueState.RECEIVED and clues.may_pass(request.user),
    }
    return render(request, "monitoring/clue_detail.html", context)


ACTIONS = {"pass", "check", "close", "link"}


@access.requires(Perm.CHANGE_HOUSEHOLD)
def clue_act(request, pk: int, action: str):
    clue = _clue(request, pk)
    if action not in ACTIONS:
        raise Http404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = {"check": CheckForm, "close": CloseForm, "link": LinkForm}.get(action)
    form = form(request.POST) if form else None
    try:
        if form is not None and not form.is_valid():
            raise ValidationError([f"{form[name].label}：{e}" for name, errors in form.errors.items() for e in errors])
        values = form.cleaned_data if form else {}
        if action == "pass":
            clues.pass_to_village(by=request.user, clue=clue)
            messages.success(request, _("Passed to the village for the home check."))
        elif action == "check":
            clues.record_check(by=request.user, clue=clue, category=values["category"], risks=values["risks"])
            messages.success(request, _("The home check's findings are saved."))
        elif action == "close":
            clues.close_unconfirmed(by=request.user, clue=clue, reason=values["reason"])
            messages.success(request, _("The clue is closed: no monitoring."))
        else:
            household = access.get_object_for_user(
                Household.objects.all(), request.user, household_no=values["household_no"].strip()
            )
            clues.link_household(by=request.user, clue=clue, household=household)
            messages.success(request, _("Linked to household %(no)s.") % {"no": household.household_no})
    except ValidationError as e:
        for message in e.messages:
            messages.error(request, message)
    return redirect(clue)


@access.scoped
def clue_photo(request, pk: int):
    clue = _clue(request, pk)
    return serve_audited(request, clue, clue.photo, clue.region_id, {"clue": clue.pk})


@access.requires(Perm.REPORT_RISK)
def report_risk(request, pk: int):
    """发现风险: a cadre or operator reports a risk of a household they can see, with a photo."""
    household = access.get_object_for_user(Household.objects.all(), request.user, pk=pk)
    form = CadreReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        report = clues.Report(
            channel="cadre",
            region_id=household.region_id,
            name=household.head_name,
            said=values["said"],
            risks=values["risks"],
            household=household,
        )
        try:
            clue, new = clues.report(report, by=request.user, photo=values.get("photo"))
        except ValidationError as e:
            add_errors(form, e)
        else:
            if new:
                messages.success(request, _("Reported: clue %(receipt)s.") % {"receipt": clue.receipt})
            else:
                messages.info(request, _("The household already has an open clue; your report is added to it."))
            return redirect(clue if request.user.has_perm(Perm.CHANGE_HOUSEHOLD) else household)
    return render(request, "monitoring/report_risk.html", {"form": form, "household": household})


@access.scoped
def run_screening(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not screening.may_run(request.user):
        raise PermissionDenied
    job = screening.start(by=request.user)
    messages.success(request, _("Screening started; its progress is on the jobs page."))
    return redirect(job)


@access.scoped
def village_qr(request, code: str):
    """The printed sheet a village posts: its self-report page's address as a QR code (segno, no network)."""
    village = access.get_object_for_user(Region.objects.select_related("parent"), request.user, code=code)
    if village.level != Level.VILLAGE:
        raise PermissionDenied
    url = request.build_absolute_uri(reverse("monitoring:self_report", args=[village.code]))
    qr = segno.make(url, error="m").svg_inline(scale=8, dark="#000")
    status_url = request.build_absolute_uri(reverse("monitoring:status"))
    record_export(by=request.user, target=village, region_code=village.code, what=_("Self-report QR code"))
    return render(
        request, "monitoring/village_qr.html", {"village": village, "qr": qr, "url": url, "status_url": status_url}
    )
