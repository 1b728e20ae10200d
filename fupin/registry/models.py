"""The 建档立卡 record (../shared/domain.md §2.1–2.5): households, their members, and income by year.

Code-list fields hold the code's value (fupin.codes); the labels are data. Every write goes through
registry.actions, which checks, audits and keeps the history (django-simple-history), so that a
household can be shown as it was on any date.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from .income import ITEMS, RECORDED_ONLY, measure_parts

UNSAFE_GRADES = ("C", "D")
# Areas and distances: never negative (a CHECK constraint, and a rule with a Chinese message).
MEASURES = (
    "cultivated_land_mu",
    "irrigated_land_mu",
    "forest_land_mu",
    "returned_farmland_mu",
    "orchard_mu",
    "pasture_mu",
    "water_surface_mu",
    "distance_to_main_road_km",
    "housing_area_m2",
)


class PovertyStatus(models.TextChoices):
    """脱贫状态. Changed by the statutory procedures (fupin.procedures), not by editing.

    A household registered by hand is an applicant until identification approves it (not exited) or
    drops it (not identified); imports bring the status the national system gave."""

    NOT_EXITED = "not_exited", _("not exited")
    EXITED = "exited", _("exited")
    RELAPSED = "relapsed", _("relapsed")
    REMOVED = "removed", _("removed")
    APPLICANT = "applicant", _("applicant")
    NOT_IDENTIFIED = "not_identified", _("not identified")
    # A rural household that is not 建档立卡, registered to be monitored (边缘易致贫户, 突发严重困难户).
    ORDINARY = "ordinary", _("ordinary rural household")


# In the register (建档立卡): identified at some time, whatever has happened since.
REGISTERED = (PovertyStatus.NOT_EXITED, PovertyStatus.EXITED, PovertyStatus.RELAPSED, PovertyStatus.REMOVED)


def _area(label):
    return models.DecimalField(label, max_digits=10, decimal_places=2, null=True, blank=True)


def _yes_no(label):
    return models.BooleanField(label, null=True, blank=True)  # None: not recorded


def _code(label, blank=True, **kwargs):
    return models.CharField(label, max_length=10, blank=blank, **kwargs)


# The households that have a cadre, a plan and measures: the poor, the relapsed, and the exited
# (四个不摘: help continues after exit).
HELPED = (PovertyStatus.NOT_EXITED, PovertyStatus.RELAPSED, PovertyStatus.EXITED)


class Household(models.Model):
    household_no = models.CharField(_("household number"), max_length=30, unique=True)
    # Indexed with the household number below: the lists' order, and on PostgreSQL without the
    # LIKE-pattern twin Django adds to an indexed text key, which the planner chose for region ranges
    # and then read whole, filtering every entry (a city's count: 110 ms instead of 55).
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="households",
        db_index=False,
    )
    group_name = models.CharField(_("village group"), max_length=50, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    # Kept by registry.actions from the members, so lists need no join.
    head_name = models.CharField(_("head of household"), max_length=50, blank=True)
    size = models.PositiveSmallIntegerField(_("household size"), default=0)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    bank_name = models.CharField(_("bank"), max_length=50, blank=True)
    bank_account = models.CharField(_("bank account"), max_length=40, blank=True)

    identification_standard = _code(_("identification standard"), blank=False, default="1")
    household_attribute = _code(_("household attribute"), blank=False)
    main_cause = _code(_("main cause of poverty"), blank=False)
    other_cause_1 = _code(_("other cause 1"))
    other_cause_2 = _code(_("other cause 2"))
    cause_note = models.TextField(_("explanation of the causes"), blank=True)

    poverty_status = models.CharField(
        _("poverty status"), max_length=16, choices=PovertyStatus.choices, default=PovertyStatus.APPLICANT
    )
    first_identified_on = models.DateField(_("first identified on"), null=True, blank=True)
    planned_exit_year = models.PositiveSmallIntegerField(_("planned exit year"), null=True, blank=True)
    exit_year = models.PositiveSmallIntegerField(_("exit year"), null=True, blank=True)
    relapsed_on = models.DateField(_("relapsed on"), null=True, blank=True)
    removed_on = models.DateField(_("removed on"), null=True, blank=True)
    removal_reason = models.CharField(_("reason for removal"), max_length=200, blank=True)

    is_relocated = models.BooleanField(_("relocated (易地扶贫搬迁)"), default=False)
    relocation_mode = _code(_("relocation mode"))
    resettlement_type = _code(_("resettlement type"))
    resettlement_site = models.CharField(_("resettlement site"), max_length=200, blank=True)
    lives_in_resettlement_site = _yes_no(_("lives in a resettlement site"))
    # The day the household moved into its resettlement housing (搬迁入住): from then its housing is secure,
    # whatever the grade of the house it left.
    relocation_moved_in_on = models.DateField(_("moved into the new housing on"), null=True, blank=True)

    cultivated_land_mu = _area(_("cultivated land (mu)"))
    irrigated_land_mu = _area(_("irrigated land (mu)"))
    forest_land_mu = _area(_("forest land (mu)"))
    returned_farmland_mu = _area(_("farmland returned to forest (mu)"))
    orchard_mu = _area(_("orchards (mu)"))
    pasture_mu = _area(_("pasture (mu)"))
    water_surface_mu = _area(_("water surface (mu)"))
    in_cooperative = _yes_no(_("member of a farmers' cooperative"))
    led_by_enterprise = _yes_no(_("led by a leading enterprise"))
    led_by_entrepreneur = _yes_no(_("led by a local entrepreneur"))

    has_production_power = _yes_no(_("electricity for production"))
    has_household_power = _yes_no(_("electricity for the home"))
    has_broadcast_tv = _yes_no(_("radio and television"))
    has_drinking_water_difficulty = _yes_no(_("difficulty getting drinking water"))
    has_safe_drinking_water = _yes_no(_("safe drinking water"))
    distance_to_main_road_km = models.DecimalField(
        _("distance to the village's main road (km)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    access_road_type = _code(_("access road"))
    housing_area_m2 = models.DecimalField(_("housing area (m²)"), max_digits=8, decimal_places=2, null=True, blank=True)
    is_unsafe_housing = _yes_no(_("unsafe housing"))
    # The day the renovation of its unsafe house was completed and accepted (危房改造竣工验收): from then
    # its housing is secure, while the grade keeps what the house was.
    housing_renovated_on = models.DateField(_("renovation accepted on"), null=True, blank=True)
    housing_grade = models.CharField(_("housing safety grade"), max_length=1, blank=True)
    has_sanitary_toilet = _yes_no(_("sanitary toilet"))
    main_fuel = _code(_("main fuel"))

    # The latest year's income, kept by registry.actions from IncomeRecord, for lists and sorting.
    income_year = models.PositiveSmallIntegerField(_("income year"), null=True, blank=True)
    net_income_per_capita = models.DecimalField(
        _("per-capita net income"), max_digits=12, decimal_places=2, null=True, blank=True
    )

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # History is read by record and date; indexes for searching by number or village stay on the live
    # table (each one costs every import a write per version).
    history = HistoricalRecords(
        user_model=settings.AUTH_USER_MODEL,
        excluded_fields=["updated_at"],
        no_db_index=["household_no", "region"],
    )
    region_scope = "region__code"

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["region_id", "household_no"]
        constraints = [
            *[
                models.CheckConstraint(condition=Q(**{f"{name}__gte": 0}), name=f"household_{name}_not_negative")
                for name in MEASURES
            ],
            models.CheckConstraint(
                condition=Q(housing_grade__in=["", "A", "B", "C", "D"]), name="household_housing_grade_valid"
            ),
        ]
        # Indexes are declared here rather than with db_index: on PostgreSQL an indexed text field also
        # gets a LIKE-pattern twin, which these columns (sorted and compared, never searched by prefix)
        # would pay for on every write.
        indexes = [
            models.Index(fields=["region", "household_no"], name="household_region_no"),
            models.Index(fields=["head_name"], name="household_head_name"),
            models.Index(fields=["main_cause"], name="household_main_cause"),
            models.Index(fields=["phone"], name="household_phone"),  # the duplicate-phone check
            models.Index(fields=["region", "poverty_status"], name="household_region_status"),
            # City-wide lists: counting by status and main cause reads only this index; sorting by
            # income or by last change walks an index and stops at the page instead of sorting 10^6 rows.
            models.Index(fields=["poverty_status", "main_cause", "region"], name="household_status_cause"),
            models.Index(fields=["net_income_per_capita"], name="household_income"),
            models.Index(fields=["updated_at"], name="household_updated"),
        ]

    def __str__(self) -> str:
        return f"{self.household_no} {self.head_name}"

    def get_absolute_url(self) -> str:
        return reverse("registry:household", args=[self.pk])

    @property
    def region_code(self) -> str:
        return self.region_id

    @property
    def unsafe_housing(self) -> bool | None:
        if self.housing_grade in UNSAFE_GRADES or self.is_unsafe_housing:
            return True
        if self.housing_grade or self.is_unsafe_housing is False:
            return False
        return None

    @property
    def other_causes(self) -> list[str]:
        return [c for c in (self.other_cause_1, self.other_cause_2) if c]


class Member(models.Model):
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="members"
    )
    # Unique by a constraint below rather than unique=True, which on PostgreSQL adds a LIKE-pattern
    # twin that no query reads (member numbers are only ever looked up whole) and every import writes.
    member_no = models.CharField(_("member number"), max_length=30, null=True, blank=True)
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    document_type = _code(_("document type"), blank=False, default="1")
    # Found by member_current_id_unique (every lookup is of current members) and, for part of a number,
    # by a trigram index on PostgreSQL (migration 0003); an index of its own would be a third copy of
    # 3·10^6 random keys for every import to write into.
    id_number = models.CharField(_("ID number"), max_length=20)
    # Read from the ID number by registry.actions; stored so that lists can filter by age and sex.
    sex = models.CharField(_("sex"), max_length=1, choices=[("1", _("male")), ("2", _("female"))])
    birth_date = models.DateField(_("date of birth"))
    relation_to_head = _code(_("relation to head"), blank=False)
    ethnicity = _code(_("ethnic group"), blank=False, default="01")
    political_status = _code(_("political status"))
    education = _code(_("education"))
    school_status = _code(_("school status"))
    health_status = models.JSONField(_("health status"), default=list, blank=True)  # several codes
    labour_skill = _code(_("labour skill"))
    work_status = _code(_("work status"))
    work_place = models.CharField(_("place of work"), max_length=100, blank=True)
    work_months = models.PositiveSmallIntegerField(_("months worked"), null=True, blank=True)
    has_medical_insurance = _yes_no(_("basic medical insurance"))
    has_serious_illness_insurance = _yes_no(_("serious illness insurance"))
    has_pension_insurance = _yes_no(_("residents' pension insurance"))
    has_commercial_insurance = _yes_no(_("commercial top-up medical insurance"))
    has_accident_insurance_subsidy = _yes_no(_("accident insurance subsidy"))
    receives_dibao = models.BooleanField(_("receives dibao"), default=False)
    receives_tekun = models.BooleanField(_("receives tekun support"), default=False)
    receives_medical_assistance = _yes_no(_("receives medical assistance"))
    is_serving_soldier = models.BooleanField(_("serving soldier"), default=False)
    speaks_mandarin = _yes_no(_("speaks Mandarin"))
    dropout_reason = models.CharField(_("reason for dropping out of school"), max_length=100, blank=True)
    public_welfare_post = models.CharField(_("public-welfare post"), max_length=50, blank=True)
    public_welfare_post_months = models.PositiveSmallIntegerField(_("months in the post"), null=True, blank=True)
    is_relocated_person = models.BooleanField(_("relocated person"), default=False)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    leave_reason = _code(_("reason for leaving"))

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(
        user_model=settings.AUTH_USER_MODEL,
        excluded_fields=["updated_at"],
        no_db_index=["member_no"],
    )
    region_scope = "household__region__code"

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["household", "relation_to_head", "birth_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["member_no"], name="member_no_unique"),
            # One person belongs to at most one household at a time.
            models.UniqueConstraint(
                fields=["id_number"], condition=Q(left_on__isnull=True), name="member_current_id_unique"
            ),
            models.CheckConstraint(condition=Q(work_months__lte=12), name="member_work_months_max"),
            models.CheckConstraint(condition=Q(public_welfare_post_months__lte=12), name="member_post_months_max"),
        ]
        # Searching by name is by prefix: one index whose operator class also serves LIKE on PostgreSQL
        # under any collation (instead of db_index's plain index plus its LIKE twin).
        indexes = [models.Index(fields=["name"], opclasses=["varchar_pattern_ops"], name="member_name_prefix")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_current(self) -> bool:
        return self.left_on is None


def _money(label):
    return models.DecimalField(label, max_digits=12, decimal_places=2, default=0)


class IncomeRecord(models.Model):
    """One household's income for one year. The computed columns are written by registry.actions."""

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="incomes"
    )
    year = models.PositiveSmallIntegerField(_("year"))

    wage_income = _money(_("wage income"))
    business_income = _money(_("production and business income"))
    dividend_income = _money(_("asset-income dividends"))
    other_property_income = _money(_("other property income"))
    family_planning_subsidy = _money(_("family planning subsidy"))
    dibao_benefit = _money(_("dibao benefit"))
    tekun_benefit = _money(_("tekun support benefit"))
    pension_benefit = _money(_("pension benefit"))
    eco_compensation = _money(_("ecological compensation"))
    other_transfer_income = _money(_("other transfer income"))
    business_expense = _money(_("production and business costs"))
    compliant_out_of_pocket = _money(_("compliant out-of-pocket spending"))
    # The part of each item above that delivered assistance measures paid (item → yuan as a string),
    # kept by registry.actions.set_income_from_measures; the items themselves are the totals.
    from_measures = models.JSONField(_("paid by assistance measures"), default=dict, blank=True)

    property_income = _money(_("property income"))
    transfer_income = _money(_("transfer income"))
    net_income = _money(_("net income"))
    household_size = models.PositiveSmallIntegerField(_("household size used"), default=0)
    net_income_per_capita = models.DecimalField(
        _("per-capita net income"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    # Why a per-capita income far above the year's line is right (policy: per_capita_confirm_multiple)
    unusual_reason = models.CharField(_("why the income is this high"), max_length=200, blank=True)

    history = HistoricalRecords(user_model=settings.AUTH_USER_MODEL)
    region_scope = "household__region__code"

    class Meta:
        verbose_name = _("income record")
        verbose_name_plural = _("income records")
        ordering = ["household", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["household", "year"], name="income_one_per_year"),
            *[
                models.CheckConstraint(condition=Q(**{f"{item}__gte": 0}), name=f"income_{item}_not_negative")
                for item in (*ITEMS, *RECORDED_ONLY)
            ],
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.year}"

    def paid_by_measures(self) -> list[tuple[str, Decimal]]:
        """(item's name, yuan) for each item that delivered assistance measures paid into."""
        parts = measure_parts(self.from_measures)
        return [(self._meta.get_field(item).verbose_name, amount) for item, amount in parts.items()]


class NationalRecord(models.Model):
    """What the national system's list said about a household on the day its data describes, kept as
    reported: its per-capita net income and its monitoring columns (the monitoring capability gives
    monitored households their own record). The register's own income is computed from its items and
    never from this figure; an exit assessment reads it, saying so, only for a year with no income
    record of its own."""

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="national_records"
    )
    data_date = models.DateField(_("date of the data"))
    year = models.PositiveSmallIntegerField(_("year"))  # of the data date: the year the income figure is for
    reported_income_per_capita = models.DecimalField(
        _("reported per-capita net income"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    household_type = models.CharField(_("household type (as listed)"), max_length=50, blank=True)
    monitoring_category = models.CharField(_("monitored household category (as listed)"), max_length=50, blank=True)
    risk_eliminated = models.BooleanField(_("risk eliminated"), null=True, blank=True)
    risk_identified_on = models.DateField(_("risk identified on"), null=True, blank=True)
    risk_eliminated_on = models.DateField(_("risk eliminated on"), null=True, blank=True)
    source_file = models.CharField(_("source file"), max_length=255, blank=True)
    source_batch = models.PositiveIntegerField(_("import batch"), null=True, blank=True)

    history = HistoricalRecords(user_model=settings.AUTH_USER_MODEL)
    region_scope = "household__region__code"

    class Meta:
        verbose_name = _("national system record")
        verbose_name_plural = _("national system records")
        ordering = ["household", "-data_date"]
        constraints = [models.UniqueConstraint(fields=["household", "data_date"], name="national_record_one_per_day")]

    def __str__(self) -> str:
        return f"{self.household_id} {self.data_date}"
