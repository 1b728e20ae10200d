"""Projects and funds (项目资金, domain.md §7.1–7.3): the project library with its stages, the fund
sources, what each source allocates to a project, and the disbursement ledger.

Money is Decimal yuan. Disbursements are an append-only ledger: a correction is a reversing entry,
never an edit. A project keeps its totals (allocated, disbursed, linked households) and the dates
of its stages in its own row, written only by projects.funds and projects.stages in the same
transaction as the entries they sum, so the dispatch table reads one table.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fupin.lib.ledger import money_field
from fupin.lib.uploads import Photo


class FundLevel(models.TextChoices):
    CENTRAL = "central", _("central")
    PROVINCIAL = "provincial", _("provincial")
    CITY = "city", _("city")
    COUNTY = "county", _("county")
    OTHER = "other", _("other")


class FundSource(models.Model):
    """Where money comes from, as data (national defaults added after every migrate)."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=60)
    level = models.CharField(_("level"), max_length=12, choices=FundLevel.choices)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("fund source")
        verbose_name_plural = _("fund sources")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name


class FundBudget(models.Model):
    """What a source makes available to a region in a year (the funds to be allocated)."""

    source = models.ForeignKey(FundSource, verbose_name=_("fund source"), on_delete=models.PROTECT)
    region = models.ForeignKey("regions.Region", verbose_name=_("region"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("year"))
    amount = money_field(_("available (yuan)"))
    document = models.CharField(_("allocation document"), max_length=100, blank=True)  # 下达文号

    region_scope = "region_id"

    class Meta:
        verbose_name = _("fund budget")
        verbose_name_plural = _("fund budgets")
        ordering = ["-year", "region", "source"]
        constraints = [
            models.UniqueConstraint(fields=["source", "region", "year"], name="budget_one_per_source_region_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year} {self.source_id}"


class Category(models.TextChoices):
    INDUSTRIAL = "industrial", pgettext_lazy("project category", "industrial")
    INFRASTRUCTURE = "infrastructure", pgettext_lazy("project category", "infrastructure")
    PUBLIC_SERVICE = "public_service", pgettext_lazy("project category", "public service")
    EMPLOYMENT = "employment", pgettext_lazy("project category", "employment")
    EDUCATION = "education", pgettext_lazy("project category", "education")
    HEALTH = "health", pgettext_lazy("project category", "health")
    HOUSING = "housing", pgettext_lazy("project category", "housing")
    OTHER = "other", pgettext_lazy("project category", "other")


class WorkType(models.TextChoices):  # 建设性质
    NEW = "new", _("new construction")
    EXTENSION = "extension", _("extension")
    RENOVATION = "renovation", _("renovation")
    PURCHASE = "purchase", _("purchase or subsidy")
    OTHER = "other", _("other")


class ProjectLevel(models.TextChoices):
    """The ledger a project belongs to: who approves and answers for it."""

    CITY = "city", _("city")
    COUNTY = "county", _("county")
    TOWNSHIP = "township", _("township")
    VILLAGE = "village", _("village")


class Stage(models.TextChoices):
    """A project's stages, in order; it only moves forward."""

    PLANNING = "planning", pgettext_lazy("project stage", "planning")  # 谋划
    LIBRARY = "library", pgettext_lazy("project stage", "in the library")  # 入库
    APPROVED = "approved", pgettext_lazy("project stage", "approved")  # 立项/批复
    PROCUREMENT = "procurement", pgettext_lazy("project stage", "tendering and procurement")  # 招标/采购
    STARTED = "started", pgettext_lazy("project stage", "started")  # 开工
    COMPLETED = "completed", pgettext_lazy("project stage", "completed")  # 完工
    ACCEPTED = "accepted", pgettext_lazy("project stage", "accepted")  # 验收
    SETTLED = "settled", pgettext_lazy("project stage", "settled")  # 报账/结算


STAGES = list(Stage)


class Project(models.Model):
    name = models.CharField(_("name"), max_length=120)
    year = models.PositiveSmallIntegerField(_("plan year"))
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    work_type = models.CharField(_("type of work"), max_length=12, choices=WorkType.choices)
    level = models.CharField(_("ledger level"), max_length=10, choices=ProjectLevel.choices)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("location"), on_delete=models.PROTECT, related_name="projects"
    )
    responsible_unit = models.CharField(_("responsible unit"), max_length=100)
    responsible_person = models.CharField(_("responsible person"), max_length=50)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    content = models.TextField(_("construction content"))
    performance_targets = models.TextField(_("performance targets"), blank=True)
    expected_households = models.PositiveIntegerField(_("expected beneficiary households"), default=0)
    expected_people = models.PositiveIntegerField(_("expected beneficiary people"), default=0)
    total_investment = money_field(_("total investment (yuan)"))

    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, default=Stage.PLANNING)
    planned_start_on = models.DateField(_("planned start"), null=True, blank=True)
    planned_completion_on = models.DateField(_("planned completion"), null=True, blank=True)
    # Halfway through the planned period, kept with the planned dates: the payment alert's first check.
    planned_midpoint_on = models.DateField(null=True, blank=True, editable=False)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    # Sums of the allocation and disbursement entries and of the linked households, kept with them.
    allocated = money_field(_("allocated (yuan)"), default=Decimal(0))
    disbursed = money_field(_("disbursed (yuan)"), default=Decimal(0))
    linked_households = models.PositiveIntegerField(_("linked poor households"), default=0)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    region_scope = "region_id"

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-year", "region", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(total_investment__gte=0), name="project_investment_not_negative"),
            models.CheckConstraint(
                condition=Q(planned_completion_on__isnull=True)
                | Q(planned_start_on__isnull=True)
                | Q(planned_completion_on__gte=F("planned_start_on")),
                name="project_planned_completion_after_start",
            ),
        ]
        indexes = [models.Index(fields=["region", "level"], name="project_region_level")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("projects:project", args=[self.pk])

    @property
    def region_code(self) -> str:  # what the procedure engine reads of every subject
        return self.region_id

    @property
    def is_industrial(self) -> bool:
        return self.category == Category.INDUSTRIAL


class StageRecord(models.Model):
    """The date a project reached a stage, with who recorded it and the evidence."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="stage_records")
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices)
    reached_on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    document = models.FileField(_("evidence"), upload_to="projects/%Y/%m/", blank=True)
    original_name = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    region_scope = "project__region_id"

    class Meta:
        verbose_name = _("stage reached")
        verbose_name_plural = _("stages reached")
        ordering = ["project", "reached_on", "id"]
        constraints = [models.UniqueConstraint(fields=["project", "stage"], name="stage_reached_once")]

    def __str__(self) -> str:
        return f"{self.project_id} {self.stage} {self.reached_on}"

    def get_absolute_url(self) -> str:
        return reverse("projects:stage_document", args=[self.pk])


class Allocation(models.Model):
    """What one source allocates to a project (已安排资金); changed through projects.funds, audited."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="allocations")
    source = models.ForeignKey(FundSource, verbose_name=_("fund source"), on_delete=models.PROTECT)
    amount = money_field(_("allocated (yuan)"))

    region_scope = "project__region_id"

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        ordering = ["project", "source"]
        constraints = [
            models.UniqueConstraint(fields=["project", "source"], name="allocation_one_per_source"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="allocation_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.source_id} {self.amount}"


class Disbursement(models.Model):
    """One entry of the disbursement ledger (拨付). Never edited: a correction reverses an entry."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="disbursements")
    source = models.ForeignKey(FundSource, verbose_name=_("fund source"), on_delete=models.PROTECT)
    amount = money_field(_("amount (yuan)"))  # negative only when reversing
    paid_on = models.DateField(_("date"))
    voucher_no = models.CharField(_("voucher number"), max_length=50)
    reverses = models.OneToOneField(
        "self", verbose_name=_("reverses"), null=True, blank=True, on_delete=models.PROTECT, related_name="reversal"
    )
    over_allocation_reason = models.CharField(_("why more than allocated"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    region_scope = "project__region_id"

    class Meta:
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        ordering = ["project", "paid_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reverses__isnull=True, amount__gt=0) | Q(reverses__isnull=False, amount__lt=0),
                name="disbursement_positive_unless_reversing",
            )
        ]
        indexes = [models.Index(fields=["source", "paid_on"], name="disbursement_source_day")]

    def __str__(self) -> str:
        return f"{self.project_id} {self.voucher_no} {self.amount}"


class LinkKind(models.TextChoices):
    """How a project benefits a household (带贫/利益联结)."""

    DIVIDEND = "dividend", _("dividend")
    EMPLOYMENT = "employment", _("employment")
    ORDER_PURCHASE = "order_purchase", _("order purchase")
    ASSET_INCOME = "asset_income", _("asset income")
    LAND_RENT = "land_rent", _("land rent")
    INFRASTRUCTURE_USE = "infrastructure_use", _("use of infrastructure")
    OTHER = "other", _("other")


class BenefitLink(models.Model):
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="benefit_links")
    household = models.ForeignKey(
        "registry.Household", verbose_name=_("household"), on_delete=models.PROTECT, related_name="project_links"
    )
    kind = models.CharField(_("how it benefits"), max_length=20, choices=LinkKind.choices)
    annual_amount = money_field(_("yuan per year"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    region_scope = "project__region_id"

    class Meta:
        verbose_name = _("benefit link")
        verbose_name_plural = _("benefit links")
        ordering = ["project", "household"]
        constraints = [
            models.UniqueConstraint(fields=["project", "household", "kind"], name="benefit_link_once_per_kind"),
            models.CheckConstraint(
                condition=Q(annual_amount__isnull=True) | Q(annual_amount__gte=0), name="benefit_amount_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.household_id} {self.kind}"


class NoticeKind(models.TextChoices):
    """国开办发〔2018〕11号: a project is noticed at its site before implementation and after completion."""

    BEFORE = "before", _("before implementation")
    AFTER = "after", _("after completion")


class ProjectNotice(models.Model):
    """A project notice as posted: what it said (`content`, the fields as printed), where and when it
    was posted and for how long, with photos of the posting."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="notices")
    kind = models.CharField(_("notice"), max_length=8, choices=NoticeKind.choices)
    posted_on = models.DateField(_("posted on"))
    ended_on = models.DateField(_("taken down on"))
    place = models.CharField(_("where it was posted"), max_length=200)
    hotline = models.CharField(_("complaint hotline"), max_length=60)
    days_required = models.PositiveSmallIntegerField(_("days required"))
    policy = models.JSONField(default=dict, editable=False)  # policy.values.Applied.record()
    content = models.JSONField(default=dict, editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    region_scope = "project__region_id"

    class Meta:
        verbose_name = _("project notice")
        verbose_name_plural = _("project notices")
        ordering = ["project", "posted_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ended_on__gte=F("posted_on")), name="notice_ends_after_posting")
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.kind} {self.posted_on}"

    @property
    def days(self) -> int:
        return (self.ended_on - self.posted_on).days + 1


class NoticePhoto(Photo):
    notice = models.ForeignKey(ProjectNotice, on_delete=models.PROTECT, related_name="photos")
    file = models.FileField(_("photo"), upload_to="project-notices/%Y/%m/")

    region_scope = "notice__project__region_id"

    def get_absolute_url(self) -> str:
        return reverse("projects:notice_photo", args=[self.pk])
