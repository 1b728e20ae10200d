"""The poor-county / poor-village designation sheet (贫困县、贫困村认定名单)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fupin import access
from fupin.permissions import Perm
from fupin.transfer.spec import Column, Row, RowErrors, SheetSpec, Source, parse_year, parse_yes_no, register

from .designation import designation_errors, set_designation
from .forms import MALFORMED
from .models import Region, level_of_code


def parse_code(text: str) -> str:
    if level_of_code(text) is None:
        raise ValidationError(MALFORMED)
    return text


def validate(rows: list[Row], by) -> list[RowErrors]:
    codes = {row["code"] for row in rows}
    regions = access.visible_to(Region.objects.filter(code__in=codes), by).in_bulk()
    first_row_of: dict[str, int] = {}
    results: list[RowErrors] = []
    for i, row in enumerate(rows):
        errors: RowErrors = {}
        region = regions.get(row["code"])
        if region is None:
            errors["code"] = str(access.NOT_VISIBLE)
        elif row["code"] in first_row_of:
            errors["code"] = _("Same code as row %(row)s.") % {"row": first_row_of[row["code"]] + 2}
        else:
            first_row_of[row["code"]] = i
            if row["name"] and row["name"] != region.name:
                errors["name"] = _("The name does not match the code: %(code)s is %(name)s.") % {
                    "code": region.code,
                    "name": region.name,
                }
            if row["designated"] is None:  # did not parse: its own error says so
                results.append(errors)
                continue
            # the sheet's column keys are the rule's field names
            errors.update(
                designation_errors(
                    region,
                    designated=row["designated"],
                    designated_year=row["designated_year"],
                    exit_year=row["exit_year"],
                )
            )
        results.append(errors)
    return results


def apply(rows: list[Row], by, source: Source) -> dict[str, int]:
    regions = Region.objects.in_bulk([row["code"] for row in rows])
    changed = 0
    for row in rows:
        changed += bool(
            set_designation(
                by=by,
                region=regions[row["code"]],
                designated=row["designated"],
                designated_year=row["designated_year"],
                exit_year=row["exit_year"],
            )
        )
    return {"changed": changed, "unchanged": len(rows) - changed}


DESIGNATION_SHEET = register(
    SheetSpec(
        kind="poor_designation",
        title=gettext_lazy("Poor counties and villages"),
        version=1,
        permission=Perm.IMPORT_DESIGNATION,
        columns=[
            Column("code", "区划代码", parse=parse_code, example="411723 或 411723101201"),
            Column("name", "名称", required=False, example="平舆县（可不填；填写时须与代码一致）"),
            Column("designated", "是否贫困", parse=parse_yes_no, example="是 / 否"),
            Column("designated_year", "认定年份", required=False, parse=parse_year, example="2014"),
            Column("exit_year", "退出年份", required=False, parse=parse_year, example="2019"),
        ],
        validate=validate,
        apply=apply,
    )
)
