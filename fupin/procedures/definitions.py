"""Changing procedure definitions: a province takes a copy of the national steps and edits its own;
national administrators edit the national ones. Who may is the policy rule (`policy.actions.can_set`):
the national definition needs the whole country, a province's needs a region covering it.

A step that batches have used is never deleted (their events name it); its name, roles, notice flag
and evidence can still change, and the change is audited with its before and after.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, ProtectedError
from django.utils.translation import gettext as _

from fupin.accounts.roles import Role
from fupin.audit.actions import record_event, save_changes, snapshot
from fupin.audit.models import EventType
from fupin.policy.actions import can_set
from fupin.regions.models import Level, Region

from .models import Procedure, Step

STEP_FIELDS = ("code", "name", "actor_roles", "is_notice", "evidence_required", "can_send_back")


def can_edit(user, procedure: Procedure) -> bool:
    return can_set(user, procedure.region_code)


def _check(by, procedure: Procedure) -> None:
    if not can_edit(by, procedure):
        raise PermissionDenied


@transaction.atomic
def customise(*, by, kind: str, province: Region) -> Procedure:
    """The province's own copy of the national definition, to edit."""
    if province.level != Level.PROVINCE:
        raise ValidationError(_("A definition of its own is made for a province."))
    if not can_set(by, province.code):
        raise PermissionDenied
    if Procedure.objects.filter(kind=kind, region_code=province.code).exists():
        raise ValidationError(_("%(province)s already has its own definition.") % {"province": province.name})
    national = Procedure.objects.get(kind=kind, region_code="")
    own = Procedure.objects.create(kind=kind, region_code=province.code, name=national.name)
    Step.objects.bulk_create(
        Step(procedure=own, position=s.position, **{f: getattr(s, f) for f in STEP_FIELDS})
        for s in national.steps.all()
    )
    record_event(
        actor=by, event_type=EventType.CREATE, target=own, region_code=province.code, changes={"copied": national.pk}
    )
    return own


def step_errors(values: dict, procedure: Procedure, step: Step | None) -> dict[str, str]:
    errors = {}
    if not values.get("name", "").strip():
        errors["name"] = _("Name the step.")
    roles = values.get("actor_roles") or []
    if not roles or set(roles) - set(Role.values):
        errors["actor_roles"] = _("Choose the roles that do this step.")
    documents = values.get("evidence_required") or []
    if any(not d.strip() or len(d) > 50 for d in documents):
        errors["evidence_required"] = _("One document per line, each at most 50 characters.")
    code = values.get("code", "")
    if not code.isidentifier() or not code.isascii():
        errors["code"] = _("Use lowercase letters, digits and underscores.")
    elif procedure.steps.filter(code=code).exclude(pk=step.pk if step else None).exists():
        errors["code"] = _("Another step of this procedure has this code.")
    first = step.position == 1 if step else False
    if values.get("can_send_back") and first:
        errors["can_send_back"] = _("The first step has nothing to send back to.")
    return errors


@transaction.atomic
def save_step(*, by, step: Step, values: dict) -> bool:
    _check(by, step.procedure)
    values = {**snapshot(step, STEP_FIELDS), **values}
    if errors := step_errors(values, step.procedure, step):
        raise ValidationError(errors)
    before = snapshot(step, STEP_FIELDS)
    for name in STEP_FIELDS:
        setattr(step, name, values[name])
    changes = save_changes(
        by=by,
        instance=step,
        before=before,
        fields=STEP_FIELDS,
        region_code=step.procedure.region_code,
        target_repr=f"{step.procedure} · {step.name}",
    )
    return bool(changes)


@transaction.atomic
def add_step(*, by, procedure: Procedure, after: int, values: dict) -> Step:
    """A new step after position `after` (0: first); the later steps move down one."""
    _check(by, procedure)
    if errors := step_errors(values, procedure, None):
        raise ValidationError(errors)
    later = procedure.steps.filter(position__gt=after)
    # Two passes keep (procedure, position) unique at every moment.
    later.update(position=F("position") + 1000)
    procedure.steps.filter(position__gt=1000).update(position=F("position") - 999)
    step = Step.objects.create(procedure=procedure, position=after + 1, **{f: values[f] for f in STEP_FIELDS})
    record_event(
        actor=by,
        event_type=EventType.CREATE,
        target=step,
        target_repr=f"{procedure} · {step.name}",
        region_code=procedure.region_code,
        changes=snapshot(step, ("position", *STEP_FIELDS)),
    )
    return step


@transaction.atomic
def remove_step(*, by, step: Step) -> None:
    procedure = step.procedure
    _check(by, procedure)
    if procedure.steps.count() == 1:
        raise ValidationError(_("A procedure keeps at least one step."))
    position, name = step.position, step.name
    try:
        with transaction.atomic():
            step.delete()
    except ProtectedError as e:
        raise ValidationError(_("Batches have used this step; it can be renamed or changed but not removed.")) from e
    procedure.steps.filter(position__gt=position).update(position=F("position") + 1000)
    procedure.steps.filter(position__gt=1000).update(position=F("position") - 1001)
    record_event(
        actor=by,
        event_type=EventType.DELETE,
        target=procedure,
        region_code=procedure.region_code,
        changes={"step": [name, None], "position": [position, None]},
    )
