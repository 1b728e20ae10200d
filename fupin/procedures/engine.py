"""The one procedure engine: every change to a batch, its cases, notices, objections and evidence.

Each function is a guarded transition. It checks, in order: the batch is the one the actor saw
(its version; two reviewers clicking at once cannot both succeed), the batch is open, the step is
the current one, the actor's role acts at this step and their region covers the batch, and the
step's own preconditions (evidence, a notice run to its end, every objection answered). Any failure
raises a ValidationError in Chinese and changes nothing; success writes one Event (and an audit row).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin import access
from fupin.accounts.roles import Role
from fupin.audit.actions import record_event
from fupin.audit.models import EventType
from fupin.lib import uploads
from fupin.policy.items import Name
from fupin.policy.values import resolve
from fupin.regions.models import Level, Region

from . import notices
from .kinds import KINDS, ProcedureKind
from .models import (
    Action,
    AnnualAdjustment,
    Batch,
    BatchState,
    Case,
    CaseState,
    Event,
    Evidence,
    Notice,
    Objection,
    Procedure,
    Step,
)


class StaleBatch(ValidationError):
    def __init__(self):
        super().__init__(_("Someone else has acted on this batch since you opened it. Reload the page and try again."))


# ---------------------------------------------------------------------------------------------
# Reading definitions and rights


def procedure_for(kind: str, region_code: str) -> Procedure:
    """The province's own definition of `kind` if it has one, else the national one."""
    candidates = {p.region_code: p for p in Procedure.objects.filter(kind=kind, region_code__in=["", region_code[:2]])}
    procedure = candidates.get(region_code[:2]) or candidates.get("")
    if procedure is None:
        raise ValidationError(_("No procedure is defined for this kind."))
    return procedure


def can_act(user, batch: Batch, step: Step | None = None) -> bool:
    step = step or batch.step
    return (
        step is not None
        and getattr(user, "is_authenticated", False)
        and user.role in step.actor_roles
        and access.covers(user, batch.region_id)
    )


def kind_of(batch: Batch) -> ProcedureKind:
    return KINDS[batch.procedure.kind]


def steps_of(batch: Batch) -> list[Step]:
    return list(batch.procedure.steps.all())


# ---------------------------------------------------------------------------------------------
# Guards


def _locked(batch: Batch, version: int) -> Batch:
    """The batch as of now, after claiming the version the actor saw; raises if it has moved on."""
    if not Batch.objects.filter(pk=batch.pk, version=version).update(version=F("version") + 1):
        raise StaleBatch
    fresh = Batch.objects.select_related("procedure", "step", "region").get(pk=batch.pk)
    if not fresh.is_open:
        raise ValidationError(_("This batch is closed; nothing more can be done on it."))
    return fresh


def _check_actor(by, batch: Batch, step: Step) -> None:
    access.require(by, None, batch.region_id)
    if not can_act(by, batch, step):
        roles = actors_of(step)
        raise ValidationError(
            _("“%(step)s” is done by: %(roles)s. Your role cannot do it.") % {"step": step.name, "roles": roles}
        )


def actors_of(step: Step) -> str:
    """The roles that do a step, as a person reads them ("乡镇审核人、…")."""
    return "、".join(str(_role_label(r)) for r in step.actor_roles)


def _role_label(role: str):
    return Role(role).label if role in Role.values else role


# The actions that move the batch along; their dates never go backwards. Evidence, cases and
# objections are dated when they are recorded, or within the notice.
SEQUENCED = (Action.STARTED, Action.COMPLETED, Action.SENT_BACK, Action.NOTICE_POSTED)


def _last_date(batch: Batch) -> dt.date | None:
    return batch.events.filter(action__in=SEQUENCED).aggregate(last=Max("done_on"))["last"]


def _check_date(batch: Batch, done_on: dt.date) -> None:
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": _("The date is in the future.")})
    last = _last_date(batch)
    if last and done_on < last:
        raise ValidationError(
            {"done_on": _("The date is before the batch's last recorded step (%(last)s).") % {"last": last}}
        )


def _check_current(batch: Batch, step_code: str) -> Step:
    step = batch.step
    if step.code != step_code:
        raise ValidationError(
            _("The batch is at “%(current)s”; “%(asked)s” cannot be done now.")
            % {"current": step.name, "asked": _step_name(batch, step_code)}
        )
    return step


def _step_name(batch: Batch, code: str) -> str:
    return batch.procedure.steps.filter(code=code).values_list("name", flat=True).first() or code


def current_notice(batch: Batch) -> Notice | None:
    if batch.step is None or not batch.step.is_notice:
        return None
    return batch.notices.filter(step=batch.step, round=batch.round).prefetch_related("objections").last()


def missing_evidence(batch: Batch, step: Step) -> list[str]:
    present = set(batch.evidence.filter(step=step).values_list("document", flat=True))
    return [document for document in step.evidence_required if document not in present]


def blockers(batch: Batch, today: dt.date | None = None) -> list[str]:
    """Why the current step cannot be completed yet (empty when it can)."""
    if not batch.is_open:
        return [_("This batch is closed.")]
    step, today = batch.step, today or timezone.localdate()
    reasons = []
    if not batch.cases.filter(state=CaseState.ACTIVE).exists():
        reasons.append(_("No case is left in the batch."))
    if missing := missing_evidence(batch, step):
        reasons.append(_("Evidence still to attach: %(documents)s.") % {"documents": "、".join(missing)})
    if step.is_notice:
        notice = current_notice(batch)
        if notice is None:
            reasons.append(_("The notice has not been posted yet."))
        else:
            if today <= notice.ends_on:
                reasons.append(_("The notice runs until %(day)s.") % {"day": notice.ends_on})
            if open_objections := sum(1 for o in notice.objections.all() if not o.is_answered):
                reasons.append(_("%(n)s objection(s) have not been verified and answered.") % {"n": open_objections})
    return reasons


# ---------------------------------------------------------------------------------------------
# Transitions


def back_entry(batch: Batch, done_on: dt.date, late_reason: str | None) -> dict:
    """A step entered more than the policy's days after the date it claims is back-entered (补录): its
    event says so with the days and the reason. The pages collect a reason and refuse the step without
    one; a caller that collects none (a command, a migration) passes None and the step is marked only."""
    late = (timezone.localdate() - done_on).days
    allowed = int(resolve(Name.BACK_ENTRY_DAYS, done_on.year, batch.region_id).value)
    if late <= allowed:
        return {}
    reason = (late_reason or "").strip()
    if late_reason is not None and not reason:
        raise ValidationError(
            {
                "late_reason": _("The step is dated %(day)s, %(days)s days ago: say why it is entered only now (补录).")
                % {"day": done_on, "days": late}
            }
        )
    return {"back_entered": {"days": late, "allowed": allowed, "reason": reason}}


def _event(batch: Batch, by, action: str, done_on: dt.date, *, step=None, case=None, note="", data=None) -> Event:
    event = Event(
        batch=batch,
        case=case,
        step=step or batch.step,
        action=action,
        actor=by,
        actor_name=f"{by.full_name}（{by.get_username()}）" if by.full_name else by.get_username(),
        done_on=done_on,
        note=note,
        data=data or {},
    )
    event.save()
    record_event(
        actor=by,
        event_type=EventType.CREATE if action == Action.STARTED else EventType.UPDATE,
        target=case or batch,
        region_code=case.region_code if case else batch.region_id,
        changes={"action": action, "step": event.step.code, **({"note": note} if note else {})},
    )
    return event


@transaction.atomic
def start_batch(*, by, kind: str, region: Region, year: int, done_on: dt.date | None = None) -> Batch:
    spec = KINDS[kind]
    if region.level != spec.region_level:
        raise ValidationError(
            {
                "region": _("A batch of %(kind)s covers a %(level)s.")
                % {"kind": spec.label, "level": Level(spec.region_level).label}
            }
        )
    procedure = procedure_for(kind, region.code)
    first = procedure.steps.first()
    probe = Batch(procedure=procedure, region=region, year=year, step=first)
    access.require(by, None, region.code)
    _check_actor(by, probe, first)
    today = timezone.localdate()
    if not 2014 <= year <= today.year + 1:
        raise ValidationError({"year": _("Enter a year from 2014 to next year.")})
    adjustment = None
    if spec.register_change is not None:  # it joins the county's open round, if there is one
        adjustment = AnnualAdjustment.objects.filter(
            region_id=region.code[:6], year=year, closed_on__isnull=True
        ).first()
    batch = Batch.objects.create(
        procedure=procedure, region=region, year=year, step=first, created_by=by, adjustment=adjustment
    )
    _event(batch, by, Action.STARTED, done_on or today)
    return batch


@transaction.atomic
def add_case(*, by, batch: Batch, version: int, subject: Model, reason: str = "", override: bool = False) -> Case:
    batch = _locked(batch, version)
    subject = type(subject).objects.get(pk=subject.pk)  # as it is now: its label and findings are kept
    steps = steps_of(batch)
    first = steps[0]
    if batch.step_id != first.pk:
        raise ValidationError(_("Cases can only be added at the first step, “%(step)s”.") % {"step": first.name})
    spec = kind_of(batch)
    if not override:
        _check_actor(by, batch, first)
    else:
        access.require(by, None, batch.region_id)
    if not subject.region_code.startswith(batch.region_id):
        raise ValidationError(
            _("%(subject)s is not in this batch's region.") % {"subject": spec.subject_label(subject)}
        )
    acts_in_procedure = any(by.role in step.actor_roles for step in steps)
    if override and not spec.override_levels:
        raise ValidationError(_("No one may admit a case that fails this procedure's checks."))
    if override and (not acts_in_procedure or (by.region is not None and by.region.level not in spec.override_levels)):
        raise ValidationError(_("Only the county or above may admit a case that does not meet the standard."))
    if spec.requires_reason and not reason.strip():
        raise ValidationError({"reason": _("Give the reason for proposing this household.")})
    if override and not reason.strip():
        raise ValidationError({"reason": _("Give the reason for admitting a case that does not meet the standard.")})
    findings = spec.admit(subject, batch, by=by, override=override)
    content_type = ContentType.objects.get_for_model(subject)
    active = Case.objects.filter(subject_type=content_type, subject_id=subject.pk, state=CaseState.ACTIVE)
    if other := active.select_related("batch").first():
        raise ValidationError(
            _("%(subject)s is already in an open procedure (batch %(batch)s).")
            % {"subject": spec.subject_label(subject), "batch": other.batch_id}
        )
    try:
        with transaction.atomic():
            case = Case.objects.create(
                batch=batch,
                subject_type=content_type,
                subject_id=subject.pk,
                subject_label=spec.subject_label(subject),
                region_code=subject.region_code,
                reason=reason.strip(),
                findings=findings,
            )
    except IntegrityError as e:  # the same subject added at the same moment elsewhere
        raise StaleBatch from e
    _event(batch, by, Action.ADDED, timezone.localdate(), case=case, note=reason.strip(), data={"override": override})
    return case


@transaction.atomic
def add_cases(*, by, batch: Batch, version: int, subjects, reason: str = "", override: bool = False) -> list[Case]:
    """Every subject ticked on the batch's page, or none: each claims the next version of the batch."""
    cases = []
    for offset, subject in enumerate(subjects):
        cases.append(
            add_case(by=by, batch=batch, version=version + offset, subject=subject, reason=reason, override=override)
        )
    return cases


@transaction.atomic
def complete_step(
    *, by, batch: Batch, version: int, step_code: str, done_on: dt.date, note: str = "", late_reason: str | None = None
) -> Batch:
    batch = _locked(batch, version)
    step = _check_current(batch, step_code)
    _check_actor(by, batch, step)
    _check_date(batch, done_on)
    late = back_entry(batch, done_on, late_reason)
    notice = current_notice(batch)
    if notice and done_on <= notice.ends_on:
        raise ValidationError(
            {"done_on": _("The notice runs until %(day)s; it can be closed after that.") % {"day": notice.ends_on}}
        )
    if reasons := blockers(batch):
        raise ValidationError(reasons)
    spec = kind_of(batch)
    cases = list(batch.cases.filter(state=CaseState.ACTIVE))
    findings = {}
    for case in cases:
        case.findings = spec.findings(case.subject, batch)
        findings[str(case.pk)] = case.findings
    Case.objects.bulk_update(cases, ["findings"])
    _event(batch, by, Action.COMPLETED, done_on, note=note, data={"findings": findings, **late})
    following = batch.procedure.steps.filter(position__gt=step.position).first()
    if following is not None:
        Batch.objects.filter(pk=batch.pk).update(step=following)
    else:
        _close(batch, by, done_on, cases, spec)
    batch.refresh_from_db()
    return batch


def _close(batch: Batch, by, done_on: dt.date, cases: list[Case], spec: ProcedureKind) -> None:
    for case in cases:
        spec.approve(case.subject, batch, by=by, day=done_on, reason=case.reason)
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(state=CaseState.APPROVED, closed_on=done_on)
    Batch.objects.filter(pk=batch.pk).update(state=BatchState.CLOSED, step=None, closed_on=done_on)
    _event(batch, by, Action.CLOSED, done_on, data={"approved": len(cases)})


@transaction.atomic
def drop_case(*, by, case: Case, version: int, reason: str, done_on: dt.date) -> Case:
    batch = _locked(case.batch, version)
    case = Case.objects.get(pk=case.pk)
    if case.state != CaseState.ACTIVE:
        raise ValidationError(_("This case is no longer in progress."))
    _check_actor(by, batch, batch.step)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for dropping the case.")})
    _check_date(batch, done_on)
    kind_of(batch).drop(case.subject, batch, by=by, day=done_on, reason=reason.strip())
    Case.objects.filter(pk=case.pk).update(
        state=CaseState.DROPPED, dropped_at=batch.step, reason=reason.strip()[:300], closed_on=done_on
    )
    _event(batch, by, Action.DROPPED, done_on, case=case, note=reason.strip())
    case.refresh_from_db()
    return case


@transaction.atomic
def send_back(*, by, batch: Batch, version: int, step_code: str, reason: str, done_on: dt.date) -> Batch:
    batch = _locked(batch, version)
    step = _check_current(batch, step_code)
    _check_actor(by, batch, step)
    if not step.can_send_back:
        raise ValidationError(_("“%(step)s” cannot send a batch back.") % {"step": step.name})
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for sending the batch back.")})
    _check_date(batch, done_on)
    previous = batch.procedure.steps.filter(position__lt=step.position).last()
    _event(batch, by, Action.SENT_BACK, done_on, note=reason.strip(), data={"to": previous.code})
    Batch.objects.filter(pk=batch.pk).update(step=previous, round=F("round") + 1)
    batch.refresh_from_db()
    return batch


@transaction.atomic
def post_notice(
    *, by, batch: Batch, version: int, posted_on: dt.date, place: str, late_reason: str | None = None
) -> Notice:
    batch = _locked(batch, version)
    step = batch.step
    if not step.is_notice:
        raise ValidationError(_("“%(step)s” is not a public notice.") % {"step": step.name})
    _check_actor(by, batch, step)
    if current_notice(batch) is not None:
        raise ValidationError(_("The notice for this step has already been posted."))
    if not place.strip():
        raise ValidationError({"place": _("Say where the notice was posted.")})
    _check_date(batch, posted_on)
    late = back_entry(batch, posted_on, late_reason)
    days, weekends, last_day, applied = notices.period(posted_on, batch.region_id, kind_of(batch).notice_days)
    notice = Notice.objects.create(
        batch=batch,
        step=step,
        round=batch.round,
        posted_on=posted_on,
        ends_on=last_day,
        place=place.strip(),
        days=days,
        counts_weekends=weekends,
        policy=[a.record() for a in applied],
    )
    _event(
        batch,
        by,
        Action.NOTICE_POSTED,
        posted_on,
        note=place.strip(),
        data={"ends_on": last_day.isoformat(), "policy": notice.policy, **late},
    )
    return notice


@transaction.atomic
def raise_objection(
    *,
    by,
    notice: Notice,
    version: int,
    case: Case | None,
    raised_on: dt.date,
    raised_by: str,
    contact: str,
    content: str,
) -> Objection:
    batch = _locked(notice.batch, version)
    if current_notice(batch) != notice:
        raise ValidationError(_("This notice is over; objections are recorded against the current notice."))
    _check_actor(by, batch, batch.step)
    if not notice.posted_on <= raised_on <= min(notice.ends_on, timezone.localdate()):
        raise ValidationError(
            {
                "raised_on": _("An objection is raised during the notice, from %(start)s to %(end)s.")
                % {"start": notice.posted_on, "end": notice.ends_on}
            }
        )
    if case is not None and case.batch_id != batch.pk:
        raise ValidationError({"case": _("Choose a case of this batch.")})
    if not content.strip():
        raise ValidationError({"content": _("Write down what the objection says.")})
    objection = Objection.objects.create(
        notice=notice,
        case=case,
        raised_on=raised_on,
        raised_by=raised_by.strip(),
        contact=contact.strip(),
        content=content.strip(),
        recorded_by=by,
    )
    _event(batch, by, Action.OBJECTION_RAISED, raised_on, case=case, note=content.strip())
    return objection


@transaction.atomic
def answer_objection(
    *, by, objection: Objection, version: int, finding: str, answer: str, upheld: bool, answered_on: dt.date
) -> Objection:
    batch = _locked(objection.notice.batch, version)
    objection = Objection.objects.select_related("case").get(pk=objection.pk)
    if objection.is_answered:
        raise ValidationError(_("This objection has already been answered."))
    _check_actor(by, batch, batch.step)
    if not finding.strip() or not answer.strip():
        raise ValidationError(_("Record both what the verification found and the answer given."))
    if answered_on < objection.raised_on or answered_on > timezone.localdate():
        raise ValidationError({"answered_on": _("The answer is dated between the objection and today.")})
    Objection.objects.filter(pk=objection.pk).update(
        finding=finding.strip(), answer=answer.strip(), is_upheld=upheld, answered_on=answered_on, answered_by=by
    )
    _event(
        batch,
        by,
        Action.OBJECTION_ANSWERED,
        answered_on,
        case=objection.case,
        note=answer.strip(),
        data={"objection": objection.pk, "upheld": upheld},
    )
    case = objection.case
    if upheld and case is not None and case.state == CaseState.ACTIVE:
        reason = _("Objection upheld: %(finding)s") % {"finding": finding.strip()}
        kind_of(batch).drop(case.subject, batch, by=by, day=answered_on, reason=reason)
        Case.objects.filter(pk=case.pk).update(
            state=CaseState.DROPPED, dropped_at=batch.step, reason=reason[:300], closed_on=answered_on
        )
        _event(batch, by, Action.DROPPED, answered_on, case=case, note=reason)
    objection.refresh_from_db()
    return objection


@transaction.atomic
def attach_evidence(
    *, by, batch: Batch, version: int, step: Step, upload: UploadedFile, document: str = "", case=None, note=""
) -> Evidence:
    batch = _locked(batch, version)
    if step.procedure_id != batch.procedure_id or step.position > batch.step.position:
        raise ValidationError(_("Evidence is attached to the current step or one already done."))
    if not can_act(by, batch, step):
        _check_actor(by, batch, batch.step)
    if document and document not in step.evidence_required:
        raise ValidationError({"document": _("Choose one of the documents this step requires.")})
    if case is not None and case.batch_id != batch.pk:
        raise ValidationError({"case": _("Choose a case of this batch.")})
    kind = uploads.check(upload)
    item = Evidence(
        batch=batch,
        step=step,
        case=case,
        document=document,
        kind=kind,
        original_name=upload.name[:200],
        size=upload.size,
        uploaded_by=by,
        note=note.strip()[:200],
    )
    item.file.save(upload.name, upload, save=False)
    item.save()
    _event(
        batch,
        by,
        Action.EVIDENCE_ADDED,
        timezone.localdate(),
        step=step,
        case=case,
        note=document or upload.name,
        data={"evidence": item.pk, "name": item.original_name},
    )
    return item
