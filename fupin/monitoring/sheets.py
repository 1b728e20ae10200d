"""The monitored-household sheet (监测对象信息表) through the one import pipeline, and its export in the
same columns: household number, category, risk types 1–5, identified date, whether the risk is
eliminated, the route and the date, the guaranteed-support flag. A row names a household of the
user's region; it opens the household's case of that identified date, or corrects it. Importing the
same sheet again changes nothing; an export imports back unchanged."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fupin import access
from fupin.audit.actions import save_changes, snapshot
from fupin.codes.catalogue import code_list
from fupin.permissions import Perm
from fupin.registry.models import Household
from fupin.transfer.spec import (
    Column,
    Row,
    RowErrors,
    SheetSpec,
    Source,
    choice,
    optional,
    parse_date,
    parse_yes_no,
    register,
)

from .kinds import CATEGORY, MAX_RISKS, RISK_TYPE
from .models import CaseStatus, Channel, EliminationRoute, MonitoringCase

ROUTES = {"帮扶消除": EliminationRoute.ASSISTED, "自然消除": EliminationRoute.NATURAL}
RISK_KEYS = [f"risk_{n}" for n in range(1, MAX_RISKS + 1)]
FIELDS = ("category", "risks", "status", "eliminated_on", "elimination_route", "no_labour_support")


def _code(kind: str):
    return optional(lambda text: code_list(kind).parse(text), "")


def columns() -> list[Column]:
    return [
        Column("household_no", "户编号", example="4117231012000001"),
        Column("head_name", "户主姓名", required=False, example="可不填；填写时须与户编号一致"),
        Column("category", "监测对象类别", parse=_code(CATEGORY), example="边缘易致贫户"),
        *[
            Column(key, f"风险类型{n}", required=n == 1, parse=_code(RISK_TYPE), example="因病" if n == 1 else "")
            for n, key in enumerate(RISK_KEYS, start=1)
        ],
        Column("identified_on", "风险识别时间", parse=parse_date, example="2025-03-01"),
        Column("eliminated", "风险是否消除", required=False, parse=optional(parse_yes_no, False), example="否"),
        Column("route", "风险消除方式", required=False, parse=optional(choice(ROUTES), ""), example="帮扶消除"),
        Column("eliminated_on", "风险消除时间", required=False, parse=optional(parse_date), example=""),
        Column(
            "no_labour_support",
            "整户无劳动能力兜底保障",
            required=False,
            parse=optional(parse_yes_no, False),
            example="否",
        ),
    ]


def _households(rows: list[Row], by) -> dict[str, Household]:
    numbers = {row["household_no"] for row in rows}
    return {h.household_no: h for h in access.visible_to(Household.objects.filter(household_no__in=numbers), by)}


def validate(rows: list[Row], by) -> list[RowErrors]:
    households = _households(rows, by)
    open_cases = dict(
        MonitoringCase.objects.filter(
            household__in=list(households.values()), status=CaseStatus.MONITORING
        ).values_list("household__household_no", "identified_on")
    )
    seen: dict[tuple, int] = {}
    open_in_file: dict[str, int] = {}
    results: list[RowErrors] = []
    for i, row in enumerate(rows):
        errors: RowErrors = {}
        household = households.get(row["household_no"])
        if household is None:
            errors["household_no"] = str(access.NOT_VISIBLE)
        elif row["head_name"] and row["head_name"] != household.head_name:
            errors["head_name"] = _("The head's name does not match the household: %(name)s.") % {
                "name": household.head_name
            }
        risks = [row[k] for k in RISK_KEYS if row[k]]
        if len(set(risks)) != len(risks):
            errors["risk_2"] = _("A risk type is listed twice.")
        if row["eliminated"]:
            if row["eliminated_on"] is None:
                errors["eliminated_on"] = _("Give the date the risk was eliminated.")
            elif row["eliminated_on"] < row["identified_on"]:
                errors["eliminated_on"] = _("The risk is eliminated before it was identified.")
            if not row["route"]:
                errors["route"] = _("Give how the risk went: 帮扶消除 or 自然消除.")
        elif row["eliminated_on"] is not None or row["route"]:
            errors["eliminated"] = _("A date or route of elimination is given, but the risk is not marked eliminated.")
        if not row["eliminated"]:
            already = open_cases.get(row["household_no"])
            if already is not None and already != row["identified_on"]:
                errors["identified_on"] = _("The household is already monitored since %(day)s.") % {"day": already}
            if row["household_no"] in open_in_file:
                errors["eliminated"] = _(
                    "The household is monitored in row %(row)s too; only one case may be open."
                ) % {"row": open_in_file[row["household_no"]] + 2}
            open_in_file.setdefault(row["household_no"], i)
        key = (row["household_no"], row["identified_on"])
        if key in seen:
            errors["identified_on"] = _("Same household and date as row %(row)s.") % {"row": seen[key] + 2}
        seen.setdefault(key, i)
        results.append(errors)
    return results


def _values(row: Row) -> dict:
    return {
        "category": row["category"],
        "risks": [row[k] for k in RISK_KEYS if row[k]],
        "status": CaseStatus.ELIMINATED if row["eliminated"] else CaseStatus.MONITORING,
        "eliminated_on": row["eliminated_on"] if row["eliminated"] else None,
        "elimination_route": row["route"] if row["eliminated"] else "",
        "no_labour_support": bool(row["no_labour_support"]),
    }


@transaction.atomic
def apply(rows: list[Row], by, source: Source) -> dict[str, int]:
    households = _households(rows, by)
    cases = {
        (c.household_id, c.identified_on): c
        for c in MonitoringCase.objects.filter(household__in=list(households.values())).select_for_update()
    }
    counts = {"added": 0, "changed": 0, "unchanged": 0}
    for row in rows:
        household = households[row["household_no"]]
        case = cases.get((household.pk, row["identified_on"]))
        values = _values(row)
        if case is None:
            case = MonitoringCase(
                household=household,
                region_id=household.region_id,
                identified_on=row["identified_on"],
                channel=Channel.NATIONAL_LIST,
                note=source.reason[:200],
                created_by=by,
            )
            before = {}
        else:
            before = snapshot(case, FIELDS)
        for name, value in values.items():
            setattr(case, name, value)
        changed = save_changes(
            by=by,
            instance=case,
            before=before,
            fields=FIELDS,
            region_code=case.region_id,
            target_repr=household.household_no,
        )
        counts["added" if not before else "changed" if changed else "unchanged"] += 1
    return counts


def export_rows(cases: Iterable[MonitoringCase]) -> Iterable[list]:
    categories, risks = code_list(CATEGORY), code_list(RISK_TYPE)
    routes = {value: label for label, value in ROUTES.items()}
    for case in cases:
        named = [risks.label(r) for r in case.risks] + [""] * MAX_RISKS
        yield [
            case.household.household_no,
            case.household.head_name,
            categories.label(case.category),
            *named[:MAX_RISKS],
            case.identified_on.isoformat(),
            "是" if case.status == CaseStatus.ELIMINATED else "否",
            routes.get(case.elimination_route, ""),
            case.eliminated_on.isoformat() if case.eliminated_on else "",
            "是" if case.no_labour_support else "否",
        ]


def register_sheet() -> SheetSpec:
    return register(
        SheetSpec(
            kind="monitored_households",
            title=gettext_lazy("Monitored households"),
            version=1,
            permission=Perm.IMPORT_HOUSEHOLDS,
            columns=columns(),
            validate=validate,
            apply=apply,
        )
    )


def headers() -> list[str]:
    return [c.header for c in columns()]
