"""A monitored household (防止返贫致贫对象): one case from its identification to the elimination of its
risk; a household may be monitored again later (a new case), never twice at once. The base record is
never deleted."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Channel(models.TextChoices):
    """How the risk was found (domain.md §4.2–4.3)."""

    SELF_REPORT = "self_report", _("self-report by the household")
    CADRE = "cadre", _("cadres' screening")
    DEPARTMENT = "department", _("department data warning")
    SYSTEM = "system", _("system screening")
    NATIONAL_LIST = "national_list", _("national system's list")


class CaseStatus(models.TextChoices):
    MONITORING = "monitoring", _("being monitored")
    ELIMINATED = "eliminated", _("risk has been eliminated")


class EliminationRoute(models.TextChoices):
    ASSISTED = "assisted", _("eliminated by assistance (帮扶消除)")
    NATURAL = "natural", _("went away by itself (自然消除)")


class MonitoringCase(models.Model):
    household = models.ForeignKey(
        "registry.Household", verbose_name=_("household"), on_delete=models.PROTECT, related_name="monitoring_cases"
    )
    region_id = models.CharField(_("region"), max_length=12, db_index=True)  # the household's village, for scope
    category = models.CharField(_("category"), max_length=10)  # code list monitoring_category
    risks = models.JSONField(_("risk types"), default=list)  # up to five codes of the list risk_type
    identified_on = models.DateField(_("identified on"))
    channel = models.CharField(_("found through"), max_length=20, choices=Channel.choices)
    contact = models.ForeignKey(
        "assistance.Cadre",
        verbose_name=_("monitoring contact"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="monitored_cases",
    )
    # 整户无劳动能力兜底保障: its risk is not marked eliminated while it lives on guaranteed support
    no_labour_support = models.BooleanField(_("whole household without labour, on guaranteed support"), default=False)
    status = models.CharField(_("status"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.MONITORING)
    eliminated_on = models.DateField(_("risk eliminated on"), null=True, blank=True)
    elimination_route = models.CharField(
        _("how the risk went"), max_length=10, choices=EliminationRoute.choices, blank=True
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    # Measures that go on after the risk is eliminated (microcredit to term, a post, education support).
    continuing = models.JSONField(_("measures that continue"), default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    region_scope = "region_id"

    class Meta:
        verbose_name = _("monitored household")
        verbose_name_plural = _("monitored households")
        ordering = ["region_id", "-identified_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=models.Q(status="monitoring"),
                name="monitoring_one_open_case_per_household",
            ),
            models.CheckConstraint(
                condition=models.Q(status="monitoring", eliminated_on__isnull=True, elimination_route="")
                | models.Q(status="eliminated", eliminated_on__isnull=False),
                name="monitoring_elimination_dated",
            ),
        ]
        indexes = [models.Index(fields=["region_id", "status"], name="monitoring_region_status")]

    def __str__(self) -> str:
        return f"{self.household_id} {self.category} {self.status}"

    def get_absolute_url(self) -> str:
        return reverse("registry:household", args=[self.household_id]) + "#monitoring"

    @property
    def region_code(self) -> str:  # what the procedure engine reads of a subject
        return self.region_id


def with_risk_text(cases: models.QuerySet) -> models.QuerySet:
    """Cases with their risk codes as JSON text, for `has_risk`: the same on SQLite and PostgreSQL."""
    return cases.annotate(risk_text=Cast("risks", models.CharField()))


def has_risk(code: str) -> models.Q:
    """A case of `with_risk_text` lists the risk type `code` ("01" never matches inside "0201")."""
    return models.Q(risk_text__contains=f'"{code}"')


class RigidExpenditure(models.Model):
    """A year's compliant out-of-pocket spending (合规自付支出) of a household: what it actually paid for
    medical care and schooling after reimbursement, and other rigid costs, for the income-and-expenditure
    account (收支核算) that judges 突发严重困难户 on income minus rigid spending."""

    household = models.ForeignKey(
        "registry.Household", verbose_name=_("household"), on_delete=models.PROTECT, related_name="expenditures"
    )
    region_id = models.CharField(_("region"), max_length=12, db_index=True)
    year = models.PositiveSmallIntegerField(_("year"))
    medical = models.DecimalField(_("medical costs paid after reimbursement"), max_digits=12, decimal_places=2)
    schooling = models.DecimalField(_("schooling costs paid"), max_digits=12, decimal_places=2)
    other = models.DecimalField(_("other rigid costs"), max_digits=12, decimal_places=2, default=0)
    note = models.CharField(_("what they were"), max_length=200, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    region_scope = "region_id"

    class Meta:
        verbose_name = _("compliant out-of-pocket spending")
        verbose_name_plural = _("compliant out-of-pocket spending")
        ordering = ["household", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["household", "year"], name="expenditure_one_per_year"),
            models.CheckConstraint(
                condition=models.Q(medical__gte=0, schooling__gte=0, other__gte=0), name="expenditure_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.year}"

    @property
    def total(self):
        return self.medical + self.schooling + self.other


class ClueState(models.TextChoices):
    """Where a clue (线索) stands, from its report to a decision."""

    RECEIVED = "received", _("received, to pass to the village")
    CHECKING = "checking", _("with the village for the home check")
    IN_PROCEDURE = "in_procedure", _("in the identification procedure")
    CONFIRMED = "confirmed", _("confirmed: monitored")
    NOT_CONFIRMED = "not_confirmed", _("not confirmed")


OPEN_CLUE_STATES = (ClueState.RECEIVED, ClueState.CHECKING, ClueState.IN_PROCEDURE)


class Clue(models.Model):
    """A report that a rural household may be at risk (风险线索), from one of four channels, followed to a
    decision within the legal deadlines. A second report about a household whose clue is still open is
    added to that clue (`reports`), not kept as another."""

    receipt = models.CharField(_("receipt number"), max_length=12, unique=True)
    channel = models.CharField(_("found through"), max_length=20, choices=Channel.choices)
    region_id = models.CharField(_("region"), max_length=12, db_index=True)  # the village
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clues",
    )
    # As reported: a self-reporter may not be in the register yet.
    name = models.CharField(_("name"), max_length=50)
    id_number = models.CharField(_("ID number"), max_length=18, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    said = models.TextField(_("the difficulty, as reported"), max_length=1000)
    risks = models.JSONField(_("risk types"), default=list)  # codes of risk_type, as reported or as checked
    category = models.CharField(_("category"), max_length=10, blank=True)  # proposed at the home check
    reported_at = models.DateTimeField(_("reported at"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    photo = models.FileField(_("photo"), upload_to="clues/%Y/%m/", blank=True)
    rule = models.CharField(_("rule"), max_length=100, blank=True)  # a warning's or screening's rule
    values = models.JSONField(_("values that fired it"), default=dict, blank=True)
    reports = models.JSONField(_("further reports"), default=list, blank=True)  # merged duplicates
    state = models.CharField(_("state"), max_length=15, choices=ClueState.choices, default=ClueState.CHECKING)
    # Deadlines, counted in working days from the report when it arrived (policy and calendar of then).
    pass_due = models.DateField(_("pass to the village by"), null=True, blank=True)
    check_due = models.DateField(_("home check by"))
    decide_due = models.DateField(_("decision by"))
    passed_on = models.DateField(_("passed to the village on"), null=True, blank=True)
    checked_on = models.DateField(_("home check started on"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=300, blank=True)  # what the reporter reads by receipt
    monitoring_case = models.OneToOneField(
        MonitoringCase, null=True, blank=True, on_delete=models.PROTECT, related_name="clue"
    )

    history = HistoricalRecords()
    region_scope = "region_id"

    class Meta:
        verbose_name = _("risk clue")
        verbose_name_plural = _("risk clues")
        ordering = ["-reported_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=models.Q(state__in=["received", "checking", "in_procedure"]),
                name="clue_one_open_per_household",
            ),
        ]
        indexes = [
            models.Index(fields=["region_id", "state"], name="clue_region_state"),
            models.Index(fields=["id_number", "state"], name="clue_id_number_state"),
        ]

    def __str__(self) -> str:
        return f"{self.receipt} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("monitoring:clue", args=[self.pk])

    @property
    def region_code(self) -> str:  # what the procedure engine reads of a subject
        return self.region_id

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_CLUE_STATES

    @property
    def due(self):
        """The deadline of the stage the clue is at (None once decided)."""
        return {
            ClueState.RECEIVED: self.pass_due,
            ClueState.CHECKING: self.check_due,
            ClueState.IN_PROCEDURE: self.decide_due,
        }.get(self.state)


class RiskMeasureRule(models.Model):
    """Which measures answer a risk type (帮扶措施与风险类型匹配), as data: a monitored household has, in the
    year's plan, at least one measure of one of these categories for each of its risk types. No
    categories: any measure answers it."""

    risk = models.CharField(_("risk type"), max_length=10, unique=True)  # a code of the list risk_type
    categories = models.JSONField(_("measure categories"), default=list)  # assistance.MeasureCategory values
    explanation = models.CharField(_("explanation"), max_length=200)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("measure matching a risk type")
        verbose_name_plural = _("measures matching risk types")
        ordering = ["risk"]

    def __str__(self) -> str:
        return f"{self.risk} {self.categories}"


class Outcome(models.TextChoices):
    """What the yearly assessment of a former 建档立卡 household decides (2026: 综合评估, 有序退出)."""

    EXIT = "exit", _("orderly exit (有序退出)")
    KEEP_HELPING = "keep_helping", _("continued help")


class ClassificationRound(models.Model):
    """A county's yearly assessment of its former 建档立卡 households (综合评估): the households are assessed
    when it opens; each is decided with a reason; it closes when every one is decided."""

    region_id = models.CharField(_("county"), max_length=12)
    year = models.PositiveSmallIntegerField(_("year"))
    opened_on = models.DateField(_("opened on"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assessed = models.PositiveIntegerField(_("households assessed"), default=0)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    region_scope = "region_id"

    class Meta:
        verbose_name = _("yearly classification")
        verbose_name_plural = _("yearly classifications")
        ordering = ["-year", "region_id"]
        constraints = [models.UniqueConstraint(fields=["region_id", "year"], name="classification_one_per_county_year")]

    def __str__(self) -> str:
        return f"{self.year} {self.region_id}"

    def get_absolute_url(self) -> str:
        return reverse("monitoring:round", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class Classification(models.Model):
    """One household's assessment in a round: the criteria with values and thresholds, what they
    suggest, and the outcome decided with its reason."""

    round = models.ForeignKey(ClassificationRound, on_delete=models.PROTECT, related_name="classifications")
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="classifications")
    region_id = models.CharField(_("region"), max_length=12, db_index=True)
    criteria = models.JSONField(_("criteria"), default=list)
    suggested = models.CharField(_("suggested"), max_length=15, choices=Outcome.choices)
    outcome = models.CharField(_("outcome"), max_length=15, choices=Outcome.choices, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)

    history = HistoricalRecords()
    region_scope = "region_id"

    class Meta:
        verbose_name = _("classification")
        verbose_name_plural = _("classifications")
        ordering = ["region_id", "household_id"]
        constraints = [models.UniqueConstraint(fields=["round", "household"], name="classification_once_per_round")]
        indexes = [models.Index(fields=["round", "region_id", "outcome"], name="classification_round_region")]

    def __str__(self) -> str:
        return f"{self.round_id} {self.household_id} {self.outcome or self.suggested}"
