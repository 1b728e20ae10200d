"""Procedure pages: batches, their steps, notices, objections, evidence and cases. Every change goes
through procedures.engine; the pages only read, show and hand over what the user entered."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from fupin import access
from fupin.audit.actions import record_export
from fupin.audit.files import serve_audited
from fupin.lib.forms import add_errors, errors_to_messages
from fupin.lib.pagination import paginate
from fupin.policy.items import ITEMS

from . import engine
from .forms import (
    AddCasesForm,
    AnswerForm,
    BatchForm,
    CompleteForm,
    DropForm,
    EvidenceForm,
    NoticeForm,
    ObjectionForm,
    SendBackForm,
)
from .kinds import KINDS
from .models import Batch, BatchState, Case, CaseState, Event, Evidence, Objection
from .printing import notice_pdf

BATCHES = Batch.objects.select_related("procedure", "region", "step", "created_by", "adjustment")


@access.scoped
def batch_list(request):
    batches = (
        access.visible_to(BATCHES, request.user)
        .annotate(active=Count("cases", filter=Q(cases__state=CaseState.ACTIVE)), total=Count("cases"))
        .order_by("-created_at", "-id")
    )
    state, kind = request.GET.get("state", ""), request.GET.get("kind", "")
    if state in BatchState.values:
        batches = batches.filter(state=state)
    if kind in KINDS:
        batches = batches.filter(procedure__kind=kind)
    context = {
        "page": paginate(request, batches),
        "states": BatchState.choices,
        "kinds": [(k.name, k.label) for k in KINDS.values()],
        "state": state,
        "kind": kind,
    }
    return render(request, "procedures/batch_list.html", context)


@access.scoped
def batch_create(request):
    initial = {name: request.GET[name] for name in ("kind", "region", "year") if request.GET.get(name)}
    form = BatchForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            batch = engine.start_batch(by=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_errors(form, e)
        else:
            nouns = KINDS[batch.procedure.kind].nouns
            messages.success(request, _("Batch started. Add its %(subjects)s.") % {"subjects": nouns})
            return redirect(batch)
    return render(request, "procedures/batch_form.html", {"form": form})


def _batch(request, pk: int) -> Batch:
    return access.get_object_for_user(BATCHES, request.user, pk=pk)


def _forms(batch: Batch, request, steps: list, bound: dict | None = None) -> dict:
    """The forms the current step offers to this user, with the batch's version filled in."""
    bound = bound or {}
    step, version = batch.step, {"version": batch.version}
    active = [c for c in batch.cases.all() if c.state == CaseState.ACTIVE]
    forms = {}
    if batch.is_open and engine.can_act(request.user, batch):
        done = [s for s in steps if s.position <= step.position]
        forms["complete"] = bound.get("complete") or CompleteForm(initial={**version, "step": step.code})
        forms["evidence"] = bound.get("evidence") or EvidenceForm(initial={**version, "step": step.code}, steps=done)
        forms["drop"] = DropForm(initial=version)
        if step.can_send_back:
            forms["send_back"] = bound.get("send_back") or SendBackForm(initial={**version, "step": step.code})
        if step.is_notice:
            forms["notice"] = bound.get("notice") or NoticeForm(initial=version)
            forms["objection"] = bound.get("objection") or ObjectionForm(initial=version, cases=active)
            forms["answer"] = AnswerForm(initial=version)
        if step == steps[0]:
            kind = KINDS[batch.procedure.kind]
            candidates = kind.candidates(batch).exclude(pk__in=[c.subject_id for c in active])
            forms["add"] = bound.get("add") or AddCasesForm(initial=version, kind=kind, candidates=candidates[:500])
    return forms


def _render_batch(request, batch: Batch, bound: dict | None = None, status: int = 200):
    steps = engine.steps_of(batch)
    events = batch.events.select_related("step", "case").order_by("id")
    evidence = batch.evidence.select_related("step", "case", "uploaded_by")
    completed = {e.step_id: e for e in events if e.action == "completed"}
    context = {
        "batch": batch,
        "kind": engine.kind_of(batch),
        "steps": [
            {
                "step": s,
                "done": completed.get(s.pk),
                "current": s.pk == batch.step_id,
                "evidence": [e for e in evidence if e.step_id == s.pk],
            }
            for s in steps
        ],
        "cases": batch.cases.all(),
        "events": events,
        "notice": engine.current_notice(batch),
        "notices": batch.notices.select_related("step").prefetch_related("objections__case"),
        "blockers": engine.blockers(batch) if batch.is_open else [],
        "can_act": batch.is_open and engine.can_act(request.user, batch),
        "actors": engine.actors_of(batch.step) if batch.step else "",
        "forms": _forms(batch, request, steps, bound),
    }
    return render(request, "procedures/batch_detail.html", context, status=status)


@access.scoped
def batch_detail(request, pk: int):
    return _render_batch(request, _batch(request, pk))


def _post_action(form_name: str, form_class, action: Callable, form_kwargs: Callable | None = None):
    """A view that validates one form of the batch page and hands it to an engine action."""

    @access.scoped
    def view(request, pk: int):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        batch = _batch(request, pk)
        extra = form_kwargs(batch) if form_kwargs else {}
        form = form_class(request.POST, request.FILES, **extra)
        if form.is_valid():
            try:
                message = action(request, batch, form.cleaned_data)
            except ValidationError as e:
                add_errors(form, e)
            except PermissionDenied:
                raise
            else:
                messages.success(request, message)
                return redirect(batch)
        batch.refresh_from_db()
        return _render_batch(request, batch, {form_name: form}, status=400)

    return view


def _complete(request, batch, data):
    batch = engine.complete_step(
        by=request.user,
        batch=batch,
        version=data["version"],
        step_code=data["step"],
        done_on=data["done_on"],
        note=data["note"],
        late_reason=data["late_reason"],
    )
    return _("Step done.") if batch.is_open else _("The batch is closed; its decisions are applied to the register.")


def _send_back(request, batch, data):
    engine.send_back(
        by=request.user,
        batch=batch,
        version=data["version"],
        step_code=data["step"],
        reason=data["reason"],
        done_on=data["done_on"],
    )
    return _("The batch was sent back to the previous step.")


def _notice(request, batch, data):
    notice = engine.post_notice(
        by=request.user,
        batch=batch,
        version=data["version"],
        posted_on=data["posted_on"],
        place=data["place"],
        late_reason=data["late_reason"],
    )
    return _("Notice posted; it runs until %(day)s.") % {"day": notice.ends_on}


def _objection(request, batch, data):
    notice = engine.current_notice(batch)
    if notice is None:
        raise ValidationError(_("The notice has not been posted yet."))
    case = batch.cases.filter(pk=data["case"]).first() if data["case"] else None
    engine.raise_objection(
        by=request.user,
        notice=notice,
        version=data["version"],
        case=case,
        raised_on=data["raised_on"],
        raised_by=data["raised_by"],
        contact=data["contact"],
        content=data["content"],
    )
    return _("Objection recorded. It must be verified and answered before the next step.")


def _evidence(request, batch, data):
    step = batch.procedure.steps.get(code=data["step"])
    engine.attach_evidence(
        by=request.user,
        batch=batch,
        version=data["version"],
        step=step,
        upload=data["file"],
        document=data["document"],
        note=data["note"],
    )
    return _("Evidence attached.")


def _add_cases(request, batch, data):
    spec = KINDS[batch.procedure.kind]
    subjects = spec.candidates(batch).filter(pk__in=data["subjects"])
    engine.add_cases(
        by=request.user,
        batch=batch,
        version=data["version"],
        subjects=subjects,
        reason=data["reason"],
        override=data["override"],
    )
    return _("Added to the batch: %(subjects)s.") % {"subjects": "、".join(spec.subject_label(s) for s in subjects)}


def _case_choices(batch):
    return {"cases": batch.cases.filter(state=CaseState.ACTIVE)}


def _steps(batch):
    return {"steps": [s for s in engine.steps_of(batch) if batch.step and s.position <= batch.step.position]}


def _candidates(batch):
    kind = KINDS[batch.procedure.kind]
    return {"kind": kind, "candidates": kind.candidates(batch)}


batch_complete = _post_action("complete", CompleteForm, _complete)
batch_send_back = _post_action("send_back", SendBackForm, _send_back)
notice_post = _post_action("notice", NoticeForm, _notice)
objection_create = _post_action("objection", ObjectionForm, _objection, _case_choices)
evidence_create = _post_action("evidence", EvidenceForm, _evidence, _steps)
cases_add = _post_action("add", AddCasesForm, _add_cases, _candidates)


def _submit_elsewhere(request, batch: Batch, form, action: Callable[[dict], str]):
    """A small form posted from a row of the batch page: its outcome is a message on that page."""
    if form.is_valid():
        try:
            messages.success(request, action(form.cleaned_data))
        except ValidationError as e:
            add_errors(form, e)
    errors_to_messages(request, form)
    return redirect(batch)


@access.scoped
def objection_answer(request, pk: int):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    objection = get_object_or_404(Objection.objects.select_related("notice"), pk=pk)
    batch = _batch(request, objection.notice.batch_id)

    def answer(data):
        engine.answer_objection(
            by=request.user,
            objection=objection,
            version=data["version"],
            finding=data["finding"],
            answer=data["answer"],
            upheld=data["is_upheld"],
            answered_on=data["answered_on"],
        )
        return _("Objection answered.")

    return _submit_elsewhere(request, batch, AnswerForm(request.POST), answer)


@access.scoped
def case_drop(request, pk: int):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    case = access.get_object_for_user(Case.objects.select_related("batch"), request.user, pk=pk)

    def drop(data):
        engine.drop_case(
            by=request.user, case=case, version=data["version"], reason=data["reason"], done_on=data["done_on"]
        )
        return _("%(subject)s left the batch.") % {"subject": case.subject_label}

    return _submit_elsewhere(request, case.batch, DropForm(request.POST), drop)


@access.scoped
def case_detail(request, pk: int):
    case = access.get_object_for_user(
        Case.objects.select_related("batch__procedure", "batch__region", "dropped_at"), request.user, pk=pk
    )
    exit = case.findings.get("exit")
    if exit:
        exit = {**exit, "policy": [{**p, "label": ITEMS[p["name"]].label} for p in exit["policy"]]}
    events = Event.objects.filter(Q(case=case) | Q(case__isnull=True), batch=case.batch)
    context = {
        "case": case,
        "batch": case.batch,
        "events": events.select_related("step").order_by("id"),
        # The batch's own documents (minutes, notice photos) prove this household's steps too.
        "evidence": Evidence.objects.filter(Q(case=case) | Q(case__isnull=True), batch=case.batch).select_related(
            "step", "case"
        ),
        "objections": case.objections.select_related("notice"),
        "exclusions": case.findings.get("exclusions", []),
        "exit": exit,
        "income": case.findings.get("income"),
        "checks": case.findings.get("checks", []),
    }
    return render(request, "procedures/case_detail.html", context)


@access.scoped
def evidence_file(request, pk: int):
    """The file itself, for those who may see the batch; each viewing is in the audit trail."""
    item = access.get_object_for_user(Evidence.objects.select_related("batch"), request.user, pk=pk)
    return serve_audited(request, item, item.file, item.batch.region_id, {"batch": item.batch_id, "step": item.step_id})


@access.scoped
def notice_print(request, pk: int):
    batch = _batch(request, pk)
    notice = get_object_or_404(batch.notices.select_related("step"), pk=request.GET.get("notice") or 0)
    record_export(by=request.user, target=batch, region_code=batch.region_id, notice=notice.pk, format="pdf")
    return notice_pdf(batch, notice)


@access.scoped
def back_entries(request):
    """补录: the steps of the user's batches entered later than the policy allows after the date they
    claim, newest first, with the days and the reason given."""
    region = access.requested_region(request)
    events = access.narrow(
        access.visible_to(Event.objects.filter(data__has_key="back_entered"), request.user), "batch__region_id", region
    )
    events = events.select_related("batch__procedure", "batch__region", "step").order_by("-at", "-id")
    return render(request, "procedures/back_entries.html", {"page": paginate(request, events), "region": region or ""})
