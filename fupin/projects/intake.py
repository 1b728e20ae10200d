"""Project intake (项目入库) on the procedure engine: "村列项目清单、乡建项目台账、县录项目库".

A village's projects are proposed by the village and noticed there, a township's by the township,
the county's by its departments; then the township reviews (for a village's list), the county's line
departments review, the county leading group decides, the county announces, and approval puts each
project in the library (domain.md §7.1: 入库前逐级公示). One kind per ledger level, because each
level has its own first steps; city projects are filed (备案) with the city and enter directly.

A project without performance targets may not enter at all; the rest of the required content is
checked and shown to the reviewers, who decide.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from fupin import access
from fupin.accounts.roles import Role
from fupin.policy.items import Name
from fupin.procedures.defaults import COUNTY, COUNTY_DECISION, NOTICE_PHOTO, TOWNSHIP, TOWNSHIP_REVIEW, VILLAGE
from fupin.procedures.kinds import ProcedureKind, StepDefault, register
from fupin.procedures.models import Batch, BatchState, Case
from fupin.regions.models import CODE_LENGTHS

from . import library
from .models import Project, ProjectLevel, Stage

DEPARTMENTS = [Role.COUNTY_OPERATOR, Role.DEPARTMENT_USER]
# After the proposing level's own steps, every level goes the same way.
COUNTY_STEPS = (
    StepDefault("department_review", "县行业部门审核", DEPARTMENTS, ("部门审核意见",), can_send_back=True),
    StepDefault("county_decision", "县领导小组审定", COUNTY_DECISION, ("审定意见",), can_send_back=True),
    StepDefault("county_announcement", "县公告", COUNTY, ("公告照片",)),
    StepDefault("entry", "入库", COUNTY),
)
NOTICE_COLUMNS = (
    ("name", "项目名称"),
    ("category", "项目类别"),
    ("place", "实施地点"),
    ("content", "建设内容"),
    ("investment", "总投资（元）"),
    ("period", "计划工期"),
    ("beneficiaries", "受益对象"),
    ("targets", "绩效目标"),
    ("unit", "责任单位及责任人"),
)


def subject_label(project: Project) -> str:
    return f"{project.name}（{project.year}）"


def notice_row(project: Project) -> dict:
    start, end = project.planned_start_on, project.planned_completion_on
    return {
        "name": project.name,
        "category": project.get_category_display(),
        "place": project.region.name,
        "content": project.content,
        "investment": f"{project.total_investment:,.2f}",
        "period": f"{start:%Y.%m.%d}—{end:%Y.%m.%d}" if start and end else "",
        "beneficiaries": _("%(households)s households, %(people)s people")
        % {"households": project.expected_households, "people": project.expected_people},
        "targets": project.performance_targets,
        "unit": f"{project.responsible_unit} {project.responsible_person}",
    }


def checks(project: Project) -> list[dict]:
    """The library's required content (domain.md §7.1), each with what the record holds."""
    start, end = project.planned_start_on, project.planned_completion_on
    beneficiaries = project.expected_households or project.expected_people
    return [
        {
            "name": _("performance targets"),
            "value": project.performance_targets,
            "passed": bool(project.performance_targets.strip()),
        },
        {
            "name": _("schedule"),
            "value": f"{start} — {end}" if start and end else "",
            "passed": bool(start and end),
        },
        {
            "name": _("total investment (yuan)"),
            "value": f"{project.total_investment:,.2f}",
            "passed": project.total_investment > 0,
        },
        {
            "name": _("expected beneficiaries"),
            "value": _("%(households)s households, %(people)s people")
            % {"households": project.expected_households, "people": project.expected_people},
            "passed": bool(beneficiaries),
        },
    ]


@dataclass(frozen=True)
class Intake:
    level: str  # the ledger level (ProjectLevel) whose projects it takes in
    label: Promise
    title: str
    own_steps: tuple[StepDefault, ...]  # the proposing level's steps, before the county's

    @property
    def name(self) -> str:
        return f"project_intake_{self.level}"

    @property
    def region_level(self) -> int:
        return library.LEVEL_DEPTH[self.level]

    def register(self) -> ProcedureKind:
        return register(
            ProcedureKind(
                name=self.name,
                label=self.label,
                title=self.title,
                steps=self.own_steps + COUNTY_STEPS,
                region_level=self.region_level,
                nouns=pgettext_lazy("procedure subjects", "projects"),
                candidates=self.candidates,
                admit=self.admit,
                findings=lambda project, batch: {"checks": checks(project)},
                approve=self.approve,
                drop=lambda project, batch, **kwargs: None,  # it stays in planning; it may be proposed again
                subject_label=subject_label,
                notice_columns=NOTICE_COLUMNS,
                notice_row=notice_row,
                notice_days=Name.PROJECT_NOTICE_DAYS,
                override_levels=frozenset(),  # performance targets are not waived by anyone
            )
        )

    def candidates(self, batch: Batch) -> QuerySet:
        return Project.objects.filter(
            access.under("region_id", batch.region_id), stage=Stage.PLANNING, level=self.level
        ).select_related("region")

    def admit(self, project: Project, batch: Batch, *, by, override: bool = False) -> dict:
        if project.level != self.level:
            raise ValidationError(
                _("%(project)s is in the %(level)s ledger; this procedure takes the %(own)s ledger's projects.")
                % {
                    "project": subject_label(project),
                    "level": project.get_level_display(),
                    "own": ProjectLevel(self.level).label,
                }
            )
        if project.stage != Stage.PLANNING:
            raise ValidationError(
                _("%(project)s is already past planning (%(stage)s).")
                % {"project": subject_label(project), "stage": project.get_stage_display()}
            )
        if not project.performance_targets.strip():
            raise ValidationError(
                _("%(project)s has no performance targets; a project without them may not enter the library.")
                % {"project": subject_label(project)}
            )
        return {"checks": checks(project)}

    def approve(self, project: Project, batch: Batch, *, by, day, reason: str) -> None:
        library.enter_library(by=by, project=project, on=day, note=_("intake batch #%(batch)s") % {"batch": batch.pk})


INTAKES = {
    ProjectLevel.VILLAGE: Intake(
        ProjectLevel.VILLAGE,
        gettext_lazy("village project intake"),
        "村级项目入库",
        (
            StepDefault("proposal", "村级申报", VILLAGE, ("村民代表会议记录",)),
            StepDefault("village_notice", "村公示", VILLAGE, (NOTICE_PHOTO,), is_notice=True),
            StepDefault("township_review", "乡镇审核", TOWNSHIP_REVIEW, ("审核意见",), can_send_back=True),
        ),
    ),
    ProjectLevel.TOWNSHIP: Intake(
        ProjectLevel.TOWNSHIP,
        gettext_lazy("township project intake"),
        "乡镇级项目入库",
        (
            StepDefault("proposal", "乡镇申报", TOWNSHIP, ("乡镇会议纪要",)),
            StepDefault("township_notice", "乡镇公示", TOWNSHIP, (NOTICE_PHOTO,), is_notice=True),
        ),
    ),
    ProjectLevel.COUNTY: Intake(
        ProjectLevel.COUNTY,
        gettext_lazy("county project intake"),
        "县级项目入库",
        (
            StepDefault("proposal", "县级部门申报", DEPARTMENTS, ("项目申报书",)),
            StepDefault("county_notice", "县级公示", COUNTY, (NOTICE_PHOTO,), is_notice=True),
        ),
    ),
}
for _intake in INTAKES.values():
    _intake.register()


def kind_name(project: Project) -> str | None:
    """The intake procedure of the project's ledger level; None for a city project (filed)."""
    intake = INTAKES.get(project.level)
    return intake.name if intake else None


def batch_region(project: Project) -> str | None:
    """The code of the region whose intake batch the project joins."""
    intake = INTAKES.get(project.level)
    return project.region_id[: CODE_LENGTHS[intake.region_level]] if intake else None


def open_batches(project: Project, user) -> list[Batch]:
    """Intake batches the project could join now: of its level and region, open, at their first step."""
    name = kind_name(project)
    if name is None or project.stage != Stage.PLANNING:
        return []
    batches = Batch.objects.filter(procedure__kind=name, region_id=batch_region(project), state=BatchState.OPEN)
    batches = access.visible_to(batches.select_related("region", "step", "procedure"), user).order_by("-year", "id")
    return [b for b in batches if b.step_id == b.procedure.steps.values_list("pk", flat=True).first()]


def cases_of(project: Project) -> QuerySet:
    return Case.objects.of(project).select_related("batch__procedure", "batch__step").order_by("id")
