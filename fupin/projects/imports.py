"""The project ledger as a sheet (项目库台账): one row per project, imported through the staged
pipeline and exported with the same columns, so that an exported ledger can be corrected and loaded
again. A project is matched by its plan year, location and name; a match is updated, otherwise a
project is added, each through projects.library's own rules."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fupin import access
from fupin.audit.actions import snapshot
from fupin.permissions import Perm
from fupin.regions.imports import parse_code
from fupin.regions.models import Region
from fupin.transfer.spec import (
    Column,
    Row,
    RowErrors,
    SheetSpec,
    Source,
    choice,
    label_of,
    optional,
    parse_date,
    parse_decimal,
    parse_int,
    register,
)

from .library import PROJECT_FIELDS, project_errors, save_project
from .models import Category, Project, ProjectLevel, WorkType

CATEGORIES = {
    "产业类": Category.INDUSTRIAL,
    "基础设施类": Category.INFRASTRUCTURE,
    "公共服务类": Category.PUBLIC_SERVICE,
    "就业类": Category.EMPLOYMENT,
    "教育类": Category.EDUCATION,
    "健康类": Category.HEALTH,
    "住房类": Category.HOUSING,
    "其他": Category.OTHER,
}
WORK_TYPES = {
    "新建": WorkType.NEW,
    "扩建": WorkType.EXTENSION,
    "改建": WorkType.RENOVATION,
    "购置或补助": WorkType.PURCHASE,
    "其他": WorkType.OTHER,
}
LEVELS = {"市级": ProjectLevel.CITY, "县级": ProjectLevel.COUNTY, "乡级": ProjectLevel.TOWNSHIP}
LEVELS |= {"村级": ProjectLevel.VILLAGE}


COLUMNS = [
    Column("year", "计划年度", parse=parse_int, example="2024"),
    Column("name", "项目名称", example="河北村光伏扶贫电站"),
    Column("category", "项目类别", parse=choice(CATEGORIES, {"产业": Category.INDUSTRIAL}), example="产业类"),
    Column("work_type", "建设性质", parse=choice(WORK_TYPES), example="新建"),
    Column("level", "台账层级", parse=choice(LEVELS, {"乡镇级": ProjectLevel.TOWNSHIP}), example="村级"),
    Column("region_id", "实施地点代码", parse=parse_code, example="411723101200"),
    Column("responsible_unit", "责任单位", example="杨埠镇人民政府"),
    Column("responsible_person", "责任人", example="李强"),
    Column("phone", "联系电话", required=False, example="0396-5011234"),
    Column("content", "建设内容", example="建设村级光伏电站100千瓦"),
    Column("performance_targets", "绩效目标", required=False, example="带动脱贫户30户，户均年增收1000元"),
    Column("expected_households", "预计受益户数", required=False, parse=optional(parse_int), example="30"),
    Column("expected_people", "预计受益人数", required=False, parse=optional(parse_int), example="90"),
    Column("total_investment", "总投资（元）", parse=parse_decimal, example="1000000"),
    Column("planned_start_on", "计划开工日期", required=False, parse=optional(parse_date), example="2024-03-01"),
    Column("planned_completion_on", "计划完工日期", required=False, parse=optional(parse_date), example="2024-09-30"),
]


def _values(row: Row) -> dict:
    values = {name: row.get(name) for name in PROJECT_FIELDS}
    for name in ("expected_households", "expected_people"):
        values[name] = values[name] or 0
    for name in ("phone", "performance_targets"):
        values[name] = values[name] or ""
    return values


def _key(row: Row) -> tuple:
    return (row["year"], row["region_id"], row["name"].strip())


def validate(rows: list[Row], by) -> list[RowErrors]:
    codes = {row["region_id"] for row in rows}
    visible = set(access.visible_to(Region.objects.filter(code__in=codes), by).values_list("code", flat=True))
    seen: dict[tuple, int] = {}
    results = []
    for i, row in enumerate(rows):
        errors: RowErrors = {}
        if row["region_id"] not in visible:
            errors["region_id"] = str(access.NOT_VISIBLE)
        else:
            errors |= project_errors(_values(row), by)
        if (key := _key(row)) in seen:
            errors["name"] = _("Same project as row %(row)s.") % {"row": seen[key] + 2}
        seen.setdefault(key, i)
        results.append(errors)
    return results


def apply(rows: list[Row], by, source: Source) -> dict[str, int]:
    created = changed = unchanged = 0
    for row in rows:
        year, region, name = _key(row)
        project = Project.objects.filter(year=year, region_id=region, name=name).first()
        values = _values(row)
        if project is not None and snapshot(project, PROJECT_FIELDS) == values:
            unchanged += 1
            continue
        save_project(by=by, project=project, values=values)
        if project is None:
            created += 1
        else:
            changed += 1
    return {"changed": created + changed, "unchanged": unchanged, "created": created}


def export_row(project: Project) -> list:
    """A project as a row of the sheet (what the import reads back)."""
    values = {name: getattr(project, name) for name in PROJECT_FIELDS}
    values["category"] = label_of(CATEGORIES, project.category)
    values["work_type"] = label_of(WORK_TYPES, project.work_type)
    values["level"] = label_of(LEVELS, project.level)
    return [values[column.key] for column in COLUMNS]


PROJECT_SHEET = register(
    SheetSpec(
        kind="projects",
        title=gettext_lazy("Project ledger"),
        version=1,
        permission=Perm.MANAGE_PROJECTS,
        columns=COLUMNS,
        validate=validate,
        apply=apply,
    )
)
