"""The project library (项目库): entering and correcting a project, and moving it through its stages.

- A project sits in the ledger of a level (city, county, township, village) and at a location at or
  below that level, inside the actor's jurisdiction.
- Amounts are yuan, not negative, and at most ten billion for one project (more is a typing error).
- A project enters the library only with performance targets (国开办 2018 guidance: no 绩效目标, no
  entry), and, unless it is a city project, only through the intake procedure (projects.intake).
- Stages move only forward, each with its date: not in the future, not before the stage before it.
  Only tendering may be skipped (subsidies and purchases have none). From approval on, a stage needs
  its document (批复, 开工报告, 完工报告, 验收报告, 报账凭证) as evidence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin import access
from fupin.audit.actions import record_event, save_changes, snapshot
from fupin.audit.models import EventType
from fupin.lib import uploads
from fupin.permissions import Perm
from fupin.procedures.models import Case, CaseState
from fupin.regions.models import CODE_LENGTHS, Level, Region

from .models import STAGES, Category, Project, ProjectLevel, Stage, StageRecord, WorkType

MAX_AMOUNT = Decimal("10000000000")
PROJECT_FIELDS = (
    "name",
    "year",
    "category",
    "work_type",
    "level",
    "region_id",
    "responsible_unit",
    "responsible_person",
    "phone",
    "content",
    "performance_targets",
    "expected_households",
    "expected_people",
    "total_investment",
    "planned_start_on",
    "planned_completion_on",
)
LEVEL_DEPTH = {
    ProjectLevel.CITY: Level.CITY,
    ProjectLevel.COUNTY: Level.COUNTY,
    ProjectLevel.TOWNSHIP: Level.TOWNSHIP,
    ProjectLevel.VILLAGE: Level.VILLAGE,
}
SKIPPABLE = {Stage.PROCUREMENT}
NEEDS_DOCUMENT = {Stage.APPROVED, Stage.STARTED, Stage.COMPLETED, Stage.ACCEPTED, Stage.SETTLED}


def amount_error(amount: Decimal | None, required: bool = True) -> str | None:
    if amount is None:
        return _("Enter the amount.") if required else None
    if amount < 0:
        return _("An amount cannot be negative.")
    if amount > MAX_AMOUNT:
        return _("More than %(max)s yuan; check the amount.") % {"max": f"{MAX_AMOUNT:,}"}
    return None


def project_errors(values: Mapping[str, Any], by) -> dict[str, str]:
    errors: dict[str, str] = {}
    for name, message in (
        ("name", _("Enter the project's name.")),
        ("responsible_unit", _("Enter the responsible unit.")),
        ("responsible_person", _("Enter the responsible person.")),
        ("content", _("Describe what is built or bought.")),
    ):
        if not (values.get(name) or "").strip():
            errors[name] = message
    year = values.get("year")
    if year is None or not 2014 <= year <= timezone.localdate().year + 1:
        errors["year"] = _("Enter a year from 2014 to next year.")
    for name, choices, message in (
        ("category", Category, _("Choose the category.")),
        ("work_type", WorkType, _("Choose the type of work.")),
        ("level", ProjectLevel, _("Choose the ledger level.")),
    ):
        if values.get(name) not in choices.values:
            errors[name] = message
    code = values.get("region_id") or ""
    region = Region.objects.filter(code=code).first()
    if region is None or not access.covers(by, code):
        errors["region_id"] = _("Choose a location inside your jurisdiction.")
    elif values.get("level") in ProjectLevel.values and len(code) < CODE_LENGTHS[LEVEL_DEPTH[values["level"]]]:
        errors["region_id"] = _("A %(level)s project is located in a %(level)s or below it.") % {
            "level": ProjectLevel(values["level"]).label
        }
    if message := amount_error(values.get("total_investment")):
        errors["total_investment"] = message
    start, end = values.get("planned_start_on"), values.get("planned_completion_on")
    if start and end and end < start:
        errors["planned_completion_on"] = _("The planned completion is before the planned start.")
    return errors


@transaction.atomic
def save_project(*, by, project: Project | None, values: Mapping[str, Any]) -> Project:
    if project is not None:
        project = Project.objects.select_for_update().get(pk=project.pk)
        access.require(by, Perm.MANAGE_PROJECTS, project.region_id)
    empty = {"phone": "", "performance_targets": "", "expected_households": 0, "expected_people": 0}
    merged = {**(snapshot(project, PROJECT_FIELDS) if project else empty), **values}
    merged = {name: merged.get(name) for name in PROJECT_FIELDS}
    access.require(by, Perm.MANAGE_PROJECTS, merged.get("region_id") or "")
    if errors := project_errors(merged, by):
        raise ValidationError(errors)
    if project is not None and project.stage != Stage.PLANNING and not (merged["performance_targets"] or "").strip():
        raise ValidationError({"performance_targets": _("A project in the library keeps its performance targets.")})
    if project is not None and in_intake(project):
        _check_kept_in_intake(project, merged)
    before = snapshot(project, PROJECT_FIELDS) if project else {}
    project = project or Project(created_by=by)
    for name, value in merged.items():
        setattr(project, name, value.strip() if isinstance(value, str) else value)
    start, end = project.planned_start_on, project.planned_completion_on
    project.planned_midpoint_on = start + (end - start) / 2 if start and end else None
    save_changes(by=by, instance=project, before=before, fields=PROJECT_FIELDS, region_code=project.region_id)
    return project


def needs_intake(project: Project) -> bool:
    """A village, township or county project enters the library through the intake procedure
    (projects.intake); a city project is filed with the city and enters directly."""
    return project.level != ProjectLevel.CITY


def in_intake(project: Project) -> bool:
    return Case.objects.of(project).filter(state=CaseState.ACTIVE).exists()


def _check_kept_in_intake(project: Project, values: Mapping[str, Any]) -> None:
    """A project in an intake batch keeps its ledger, place and targets until the batch decides."""
    errors = {}
    if values["level"] != project.level or values["region_id"] != project.region_id:
        errors["region_id"] = _(
            "The project is in an intake batch; its ledger level and location stay until it is decided."
        )
    if not (values["performance_targets"] or "").strip():
        errors["performance_targets"] = _("The project is in an intake batch; it keeps its performance targets.")
    if errors:
        raise ValidationError(errors)


def next_stages(project: Project) -> list[Stage]:
    """The stages the project may move to now: the next one, or past a stage that may be skipped.
    Entering the library is not among them where the intake procedure decides it."""
    found = []
    for stage in STAGES[STAGES.index(Stage(project.stage)) + 1 :]:
        found.append(stage)
        if stage not in SKIPPABLE:
            break
    return [s for s in found if not (s == Stage.LIBRARY and needs_intake(project))]


@transaction.atomic
def advance(
    *, by, project: Project, stage: str, on: dt.date, note: str = "", document: UploadedFile | None = None
) -> StageRecord:
    project = Project.objects.select_for_update().get(pk=project.pk)
    access.require(by, Perm.MANAGE_PROJECTS, project.region_id)
    if stage == Stage.LIBRARY and needs_intake(project):
        raise ValidationError(
            {
                "stage": _("A project of the %(level)s ledger enters the library through the intake procedure.")
                % {"level": project.get_level_display()}
            }
        )
    if stage not in next_stages(project):
        raise ValidationError(
            {
                "stage": _("From “%(current)s” the project moves to “%(next)s”.")
                % {
                    "current": project.get_stage_display(),
                    "next": "、".join(str(s.label) for s in next_stages(project)),
                }
                if next_stages(project)
                else _("The project has passed its last stage.")
            }
        )
    if document is not None:
        uploads.check(document)
    elif stage in NEEDS_DOCUMENT:
        raise ValidationError({"document": _("Attach the document for this stage (a scan or a photo).")})
    return _reach(by=by, project=project, stage=stage, on=on, note=note, document=document)


@transaction.atomic
def enter_library(*, by, project: Project, on: dt.date, note: str) -> StageRecord:
    """What approving the project's intake does (the engine has checked who approves, and where)."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.stage != Stage.PLANNING:
        raise ValidationError(
            _("%(project)s is already past planning (%(stage)s).")
            % {"project": project.name, "stage": project.get_stage_display()}
        )
    return _reach(by=by, project=project, stage=Stage.LIBRARY, on=on, note=note, document=None)


def _reach(*, by, project: Project, stage: str, on: dt.date, note: str, document: UploadedFile | None) -> StageRecord:
    last = project.stage_records.order_by("-reached_on", "-id").first()
    if on > timezone.localdate():
        raise ValidationError({"on": _("The date is in the future.")})
    if last is not None and on < last.reached_on:
        raise ValidationError({"on": _("The date is before the previous stage (%(day)s).") % {"day": last.reached_on}})
    if stage == Stage.LIBRARY and not project.performance_targets.strip():
        raise ValidationError({"stage": _("A project enters the library only with its performance targets.")})
    record = StageRecord(project=project, stage=stage, reached_on=on, note=note.strip()[:200], recorded_by=by)
    if document is not None:
        record.document = document
        record.original_name = document.name[:200]
    record.save()
    previous, project.stage = project.stage, stage
    if stage == Stage.STARTED:
        project.started_on = on
    elif stage == Stage.COMPLETED:
        project.completed_on = on
    project.save(update_fields=["stage", "started_on", "completed_on", "updated_at"])
    record_event(
        actor=by,
        event_type=EventType.UPDATE,
        target=project,
        region_code=project.region_id,
        changes={"stage": [previous, stage], "on": on.isoformat()},
    )
    return record
