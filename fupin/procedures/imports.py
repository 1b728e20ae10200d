"""The rural population sheet (乡村户籍人口): the denominators of poverty incidence, by region and year."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fupin import access
from fupin.permissions import Perm
from fupin.regions.imports import parse_code
from fupin.regions.models import Region
from fupin.transfer.spec import Column, Row, RowErrors, SheetSpec, Source, parse_int, parse_year, register

from .regional import LEVELS, set_population


def validate(rows: list[Row], by) -> list[RowErrors]:
    regions = access.visible_to(Region.objects.filter(code__in={row["code"] for row in rows}), by).in_bulk()
    first_row_of: dict[tuple, int] = {}
    results: list[RowErrors] = []
    for i, row in enumerate(rows):
        errors: RowErrors = {}
        region = regions.get(row["code"])
        key = (row["code"], row["year"])
        if region is None:
            errors["code"] = str(access.NOT_VISIBLE)
        elif region.level not in LEVELS:
            errors["code"] = _("The population is entered for a village or a county.")
        elif row["name"] and row["name"] != region.name:
            errors["name"] = _("The name does not match the code: %(code)s is %(name)s.") % {
                "code": region.code,
                "name": region.name,
            }
        if key in first_row_of:
            errors["year"] = _("Same region and year as row %(row)s.") % {"row": first_row_of[key] + 2}
        first_row_of.setdefault(key, i)
        if row["rural_population"] is not None and row["rural_population"] <= 0:
            errors["rural_population"] = _("Enter a number of people above zero.")
        results.append(errors)
    return results


def apply(rows: list[Row], by, source: Source) -> dict[str, int]:
    regions = Region.objects.in_bulk([row["code"] for row in rows])
    changed = sum(
        set_population(
            by=by,
            region=regions[row["code"]],
            year=row["year"],
            rural_population=row["rural_population"],
            source=row["source"] or source.reason,
        )
        for row in rows
    )
    return {"changed": changed, "unchanged": len(rows) - changed}


POPULATION_SHEET = register(
    SheetSpec(
        kind="rural_population",
        title=gettext_lazy("Rural registered population"),
        version=1,
        permission=Perm.IMPORT_DESIGNATION,
        columns=[
            Column("code", "区划代码", parse=parse_code, example="411723101201"),
            Column("name", "名称", required=False, example="可不填；填写时须与代码一致"),
            Column("year", "年度", parse=parse_year, example="2019"),
            Column("rural_population", "乡村户籍人口", parse=parse_int, example="1860"),
            Column("source", "来源", required=False, example="公安户籍数据"),
        ],
        validate=validate,
        apply=apply,
    )
)
