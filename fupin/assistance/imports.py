"""The cadre sheet (帮扶责任人名单): units and their cadres in one go; a unit not yet known is created."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fupin import access
from fupin.codes.catalogue import code_list
from fupin.codes.models import Kind
from fupin.permissions import Perm
from fupin.regions.imports import parse_code
from fupin.regions.models import Region
from fupin.transfer.spec import Column, Row, RowErrors, SheetSpec, Source, register

from .actions import phone_error, save_cadre, save_unit
from .models import AssistingUnit, Cadre, UnitLevel

LEVEL_BY_LABEL = {"中央": "central", "省级": "provincial", "市级": "city", "县级": "county", "乡镇": "township"}
LEVEL_BY_LABEL |= {"村级": "village", "企业": "enterprise", "其他": "other"}
LEVEL_BY_LABEL |= {str(label): value for value, label in UnitLevel.choices}


def parse_level(text: str) -> str:
    if text in LEVEL_BY_LABEL:
        return LEVEL_BY_LABEL[text]
    raise ValidationError(_("Enter one of: %(levels)s.") % {"levels": "、".join(list(LEVEL_BY_LABEL)[:8])})


def parse_political_status(text: str) -> str:
    return code_list(Kind.POLITICAL_STATUS).parse(text) if text else ""


def validate(rows: list[Row], by) -> list[RowErrors]:
    visible = set(
        access.visible_to(Region.objects.filter(code__in={r["region"] for r in rows}), by).values_list(
            "code", flat=True
        )
    )
    seen: dict[tuple, int] = {}
    results = []
    for i, row in enumerate(rows):
        errors: RowErrors = {}
        if row["region"] not in visible:
            errors["region"] = str(access.NOT_VISIBLE)
        if message := phone_error(row["phone"], required=True):
            errors["phone"] = message
        key = (row["region"], row["unit"], row["name"], row["phone"])
        if key in seen:
            errors["name"] = _("Same cadre as row %(row)s.") % {"row": seen[key] + 2}
        seen.setdefault(key, i)
        results.append(errors)
    return results


def apply(rows: list[Row], by, source: Source) -> dict[str, int]:
    created = changed = unchanged = 0
    units: dict[tuple, AssistingUnit] = {}
    for row in rows:
        key = (row["region"], row["unit"])
        if key not in units:
            unit = AssistingUnit.objects.filter(region_id=row["region"], name=row["unit"]).first()
            units[key] = unit or save_unit(
                by=by,
                unit=None,
                values={"name": row["unit"], "level": row["level"], "region_id": row["region"], "phone": ""},
            )
        unit = units[key]
        cadre = Cadre.objects.filter(unit=unit, name=row["name"], phone=row["phone"]).first()
        values = {"unit_id": unit.pk, "name": row["name"], "phone": row["phone"], "post": row["post"]}
        values["political_status"] = row["political_status"]
        if cadre is None:
            save_cadre(by=by, cadre=None, values=values)
            created += 1
        elif (cadre.post, cadre.political_status) != (row["post"], row["political_status"]):
            save_cadre(by=by, cadre=cadre, values=values)
            changed += 1
        else:
            unchanged += 1
    return {"created": created, "changed": changed, "unchanged": unchanged}


CADRE_SHEET = register(
    SheetSpec(
        kind="cadres",
        title=gettext_lazy("Assisting units and cadres"),
        version=1,
        permission=Perm.MANAGE_ASSISTANCE,
        columns=[
            Column("unit", "帮扶单位", example="平舆县财政局"),
            Column("level", "单位级别", parse=parse_level, example="县级"),
            Column("region", "服务区划代码", parse=parse_code, example="411723"),
            Column("name", "姓名", example="张明"),
            Column("post", "职务", required=False, example="副局长"),
            Column("phone", "联系电话", example="13839600001"),
            Column("political_status", "政治面貌", required=False, parse=parse_political_status, example="中共党员"),
        ],
        validate=validate,
        apply=apply,
    )
)
