"""How the record is grouped and shown: the same sections on the form, the household page and the
exports, and one way to turn a stored value into what people read (code labels, 是/否, masks)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from fupin.codes.catalogue import code_list
from fupin.codes.models import Kind

from . import id_numbers
from .rules import HOUSEHOLD_CODES, MEMBER_CODES

HOUSEHOLD_SECTIONS: list[tuple[Any, list[str]]] = [
    (
        _("Basic information"),
        ["household_no", "region_id", "group_name", "address", "phone", "bank_name", "bank_account"],
    ),
    (
        _("Identification"),
        [
            "identification_standard",
            "household_attribute",
            "main_cause",
            "other_cause_1",
            "other_cause_2",
            "cause_note",
        ],
    ),
    (
        _("Poverty status"),
        [
            "poverty_status",
            "first_identified_on",
            "planned_exit_year",
            "exit_year",
            "relapsed_on",
            "removed_on",
            "removal_reason",
        ],
    ),
    (
        _("Relocation"),
        [
            "is_relocated",
            "relocation_mode",
            "resettlement_type",
            "resettlement_site",
            "lives_in_resettlement_site",
            "relocation_moved_in_on",
        ],
    ),
    (
        _("Production conditions"),
        [
            "cultivated_land_mu",
            "irrigated_land_mu",
            "forest_land_mu",
            "returned_farmland_mu",
            "orchard_mu",
            "pasture_mu",
            "water_surface_mu",
            "in_cooperative",
            "led_by_enterprise",
            "led_by_entrepreneur",
        ],
    ),
    (
        _("Living conditions"),
        [
            "has_production_power",
            "has_household_power",
            "has_broadcast_tv",
            "has_drinking_water_difficulty",
            "has_safe_drinking_water",
            "distance_to_main_road_km",
            "access_road_type",
            "housing_area_m2",
            "is_unsafe_housing",
            "housing_grade",
            "housing_renovated_on",
            "has_sanitary_toilet",
            "main_fuel",
        ],
    ),
]
# Set by the procedures (identification, exit), shown but never typed in.
STATUS_FIELDS = frozenset(
    {"poverty_status", "first_identified_on", "exit_year", "relapsed_on", "removed_on", "removal_reason"}
)
HOUSEHOLD_FORM_FIELDS = [name for _title, names in HOUSEHOLD_SECTIONS for name in names if name not in STATUS_FIELDS]

MEMBER_SECTIONS: list[tuple[Any, list[str]]] = [
    (
        _("Identity"),
        [
            "name",
            "document_type",
            "id_number",
            "member_no",
            "relation_to_head",
            "ethnicity",
            "political_status",
            "phone",
        ],
    ),
    (_("Education and health"), ["education", "school_status", "dropout_reason", "health_status", "speaks_mandarin"]),
    (
        _("Work"),
        [
            "labour_skill",
            "work_status",
            "work_place",
            "work_months",
            "public_welfare_post",
            "public_welfare_post_months",
        ],
    ),
    (
        _("Insurance and support"),
        [
            "has_medical_insurance",
            "has_serious_illness_insurance",
            "has_pension_insurance",
            "has_commercial_insurance",
            "has_accident_insurance_subsidy",
            "receives_medical_assistance",
            "receives_dibao",
            "receives_tekun",
            "is_serving_soldier",
            "is_relocated_person",
        ],
    ),
    (_("Membership"), ["joined_on", "left_on", "leave_reason"]),
]
MEMBER_FORM_FIELDS = [name for _title, names in MEMBER_SECTIONS for name in names]

CODE_KINDS: dict[str, str] = {**HOUSEHOLD_CODES, **MEMBER_CODES}
MASKED = {"id_number": id_numbers.mask, "bank_account": id_numbers.mask, "phone": id_numbers.mask}


def model_field(model: type[models.Model], name: str) -> models.Field:
    return model._meta.get_field("region" if name == "region_id" else name)


def label_of(model: type[models.Model], name: str) -> str:
    return str(model_field(model, name).verbose_name)


def display(instance: models.Model, name: str, reveal: bool = False) -> str:
    """The value as a person reads it; ID numbers, accounts and phones masked unless `reveal`."""
    value = getattr(instance, name)
    if name == "region_id":
        return instance.region.name if value else ""
    if value is None or value == "" or value == []:
        return ""
    if name in CODE_KINDS:
        return code_list(CODE_KINDS[name]).label(value)
    if name == "health_status":
        return "、".join(code_list(Kind.HEALTH_STATUS).label(v) for v in value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if name in MASKED and not reveal:
        return MASKED[name](value)
    field = model_field(type(instance), name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def sections(instance: models.Model, spec: list[tuple[Any, list[str]]], reveal: bool = False) -> list[dict]:
    model = type(instance)
    return [
        {"title": title, "rows": [(label_of(model, name), display(instance, name, reveal)) for name in names]}
        for title, names in spec
    ]
