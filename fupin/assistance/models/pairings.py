"""Who helps (谁来扶, domain.md §2.6): assisting units, their cadres, and the pairing of each household
with one cadre at a time. Pairings are closed, never deleted, so the household's helpers over the
years stay on record. All writes go through assistance.actions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fupin.lib.uploads import Photo


class UnitLevel(models.TextChoices):
    CENTRAL = "central", _("central")
    PROVINCIAL = "provincial", _("provincial")
    CITY = "city", _("city")
    COUNTY = "county", _("county")
    TOWNSHIP = "township", _("township")
    VILLAGE = "village", _("village")
    ENTERPRISE = "enterprise", _("enterprise")
    OTHER = "other", _("other")


class AssistingUnit(models.Model):
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=12, choices=UnitLevel.choices)
    # The region the unit serves here: its cadres help households under it (a provincial department
    # posted to a county serves that county).
    region = models.ForeignKey("regions.Region", verbose_name=_("region served"), on_delete=models.PROTECT)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    region_scope = "region_id"

    class Meta:
        verbose_name = _("assisting unit")
        verbose_name_plural = _("assisting units")
        ordering = ["region", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="unit_unique_name_in_region")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("assistance:unit", args=[self.pk])


class Cadre(models.Model):
    unit = models.ForeignKey(AssistingUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="cadres")
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50, db_index=True)
    post = models.CharField(_("post"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20)
    political_status = models.CharField(_("political status"), max_length=10, blank=True)  # code list
    # The cadre's own login (role assisting_cadre), for "my households" and logging visits.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login account"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cadre",
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    region_scope = "unit__region_id"

    class Meta:
        verbose_name = _("assisting cadre")
        verbose_name_plural = _("assisting cadres")
        ordering = ["unit", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name", "phone"], name="cadre_unique_in_unit")]

    def __str__(self) -> str:
        return f"{self.name}（{self.unit.name}）"

    def get_absolute_url(self) -> str:
        return reverse("assistance:cadre", args=[self.pk])


class Pairing(models.Model):
    """结对帮扶: one cadre for one household from `start_on` to `end_on` (open while current)."""

    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="pairings")
    cadre = models.ForeignKey(Cadre, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="pairings")
    start_on = models.DateField(_("from"))
    end_on = models.DateField(_("until"), null=True, blank=True)
    end_reason = models.CharField(_("why it ended"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    region_scope = "household__region_id"

    class Meta:
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        ordering = ["-start_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"], condition=Q(end_on__isnull=True), name="pairing_one_current_per_household"
            ),
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=F("start_on")), name="pairing_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["cadre", "end_on"], name="pairing_cadre_current")]

    def __str__(self) -> str:
        return f"{self.household_id} ← {self.cadre_id}"

    @property
    def is_current(self) -> bool:
        return self.end_on is None


class VisitItem(models.TextChoices):
    """走访 "五个一": the things a visit is expected to do."""

    MEAL = "meal", _("shared a meal with the family")
    CLEANING = "cleaning", _("helped clean the home")
    FILE_CHECK = "file_check", _("re-checked the household's file")
    POLICY = "policy", _("explained the policies")
    PROBLEM = "problem", _("solved a practical problem")


class Visit(models.Model):
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="visits")
    cadre = models.ForeignKey(Cadre, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="visits")
    visited_on = models.DateField(_("visited on"))
    items = models.JSONField(_("what was done"), default=list, blank=True)  # VisitItem values
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    region_scope = "household__region_id"

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["household", "cadre", "visited_on"], name="visit_household_cadre_day")]

    def __str__(self) -> str:
        return f"{self.visited_on} {self.household_id} {self.cadre_id}"

    def item_labels(self) -> list[str]:
        return [str(VisitItem(i).label) for i in self.items if i in VisitItem.values]


class VisitPhoto(Photo):
    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="photos")
    file = models.FileField(_("photo"), upload_to="visits/%Y/%m/")

    region_scope = "visit__household__region_id"

    def get_absolute_url(self) -> str:
        return reverse("assistance:visit_photo", args=[self.pk])
