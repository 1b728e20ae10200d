"""Code lists (causes, attributes, relations, education, …) as data with national defaults."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """The register's own lists. A capability above adds its lists with `catalogue.register_kind`;
    adding a value to any list is not a code change."""

    IDENTIFICATION_STANDARD = "identification_standard", _("identification standard")
    HOUSEHOLD_ATTRIBUTE = "household_attribute", _("household attribute")
    POVERTY_CAUSE = "poverty_cause", _("poverty cause")
    RELATION_TO_HEAD = "relation_to_head", _("relation to head")
    ETHNICITY = "ethnicity", _("ethnic group")
    POLITICAL_STATUS = "political_status", _("political status")
    EDUCATION = "education", _("education")
    SCHOOL_STATUS = "school_status", _("school status")
    HEALTH_STATUS = "health_status", _("health status")
    LABOUR_SKILL = "labour_skill", _("labour skill")
    WORK_STATUS = "work_status", _("work status")
    DOCUMENT_TYPE = "document_type", _("document type")
    ACCESS_ROAD_TYPE = "access_road_type", _("access road type")
    HOUSING_GRADE = "housing_grade", _("housing safety grade")
    FUEL_TYPE = "fuel_type", _("main fuel")
    RELOCATION_MODE = "relocation_mode", _("relocation mode")
    RESETTLEMENT_TYPE = "resettlement_type", _("resettlement type")
    LEAVE_REASON = "leave_reason", _("reason for leaving the household")


class Code(models.Model):
    kind = models.CharField(_("list"), max_length=40)  # a registered kind (catalogue.KINDS)
    value = models.CharField(_("code"), max_length=10)
    label = models.CharField(_("label"), max_length=50)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)  # retired codes stay readable on old records

    class Meta:
        verbose_name = _("code")
        verbose_name_plural = _("codes")
        ordering = ["kind", "position", "value"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="code_unique_value"),
            models.UniqueConstraint(fields=["kind", "label"], name="code_unique_label"),
        ]

    def __str__(self) -> str:
        return f"{self.value} {self.label}"
