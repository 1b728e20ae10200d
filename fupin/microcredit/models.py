"""Poverty microcredit (扶贫小额信贷, domain.md §7.4): loans to households, and each loan's ledger of
repayments and interest-subsidy payments.

A loan keeps, in its own row, what its entries sum to (principal repaid, subsidy paid) and its due
date (moved only by an extension), written by microcredit.loans in the same transaction as the
entries, so balances, due and overdue are conditions on one table. Entries are append-only: a
wrong one is reversed by a negative entry that names it.
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


class Purpose(models.TextChoices):
    """Production only: not weddings, house-building, consumption or pooling into companies."""

    PLANTING = "planting", _("planting")
    BREEDING = "breeding", _("livestock and fish farming")
    PROCESSING = "processing", _("processing")
    TRADE = "trade", _("trade and services")
    TOURISM = "tourism", _("rural tourism")
    OTHER = "other", _("other production")


class Loan(models.Model):
    household = models.ForeignKey(
        "registry.Household", verbose_name=_("household"), on_delete=models.PROTECT, related_name="loans"
    )
    borrower = models.ForeignKey(
        "registry.Member", verbose_name=_("borrower"), on_delete=models.PROTECT, related_name="loans"
    )
    # The household's village when the loan was issued: the loan stays in that ledger.
    region = models.ForeignKey("regions.Region", verbose_name=_("village"), on_delete=models.PROTECT)
    bank = models.CharField(_("lending bank"), max_length=60)
    contract_no = models.CharField(_("contract number"), max_length=50)
    amount = money_field(_("amount (yuan)"))
    issued_on = models.DateField(_("issued on"))
    term_months = models.PositiveSmallIntegerField(_("term (months)"))
    due_on = models.DateField(_("due on"))
    rate = models.DecimalField(_("annual interest rate (%)"), max_digits=5, decimal_places=3)
    subsidy_rate = models.DecimalField(_("interest subsidised (%)"), max_digits=5, decimal_places=2)
    purpose = models.CharField(_("purpose"), max_length=12, choices=Purpose.choices)
    purpose_note = models.CharField(_("what it is for"), max_length=200, blank=True)
    renews = models.OneToOneField(
        "self", verbose_name=_("renews"), null=True, blank=True, on_delete=models.PROTECT, related_name="renewal"
    )
    # Sums of the entries, kept with them by microcredit.loans.
    repaid = money_field(_("principal repaid (yuan)"), default=Decimal(0))
    subsidy_paid = money_field(_("interest subsidy paid (yuan)"), default=Decimal(0))
    # The policy values the loan was checked against when issued (policy.values.Applied.record()).
    policy = models.JSONField(default=list, editable=False)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    region_scope = "region_id"

    class Meta:
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        ordering = ["-issued_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["bank", "contract_no"], name="loan_contract_once_per_bank"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="loan_amount_positive"),
            models.CheckConstraint(condition=Q(repaid__gte=0, repaid__lte=F("amount")), name="loan_repaid_in_range"),
            models.CheckConstraint(condition=Q(due_on__gt=F("issued_on")), name="loan_due_after_issue"),
        ]
        indexes = [
            models.Index(fields=["region", "due_on"], name="loan_region_due"),
            models.Index(fields=["due_on"], name="loan_due"),
        ]

    def __str__(self) -> str:
        return f"{self.bank} {self.contract_no}"

    def get_absolute_url(self) -> str:
        return reverse("microcredit:loan", args=[self.pk])

    @property
    def balance(self) -> Decimal:
        return self.amount - self.repaid


class EntryKind(models.TextChoices):
    REPAYMENT = "repayment", _("repayment of principal")
    RENEWAL = "renewal", _("settled by renewal")  # the balance carried into the loan that renews it
    SUBSIDY = "subsidy", _("interest subsidy paid")


PRINCIPAL_KINDS = (EntryKind.REPAYMENT, EntryKind.RENEWAL)


class LoanEntry(models.Model):
    """One entry of a loan's ledger. Never edited: a correction reverses an entry."""

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(_("kind"), max_length=10, choices=EntryKind.choices)
    amount = money_field(_("amount (yuan)"))  # negative only when reversing
    paid_on = models.DateField(_("date"))
    reverses = models.OneToOneField(
        "self", verbose_name=_("reverses"), null=True, blank=True, on_delete=models.PROTECT, related_name="reversal"
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    region_scope = "loan__region_id"

    class Meta:
        verbose_name = _("loan entry")
        verbose_name_plural = _("loan entries")
        ordering = ["loan", "paid_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reverses__isnull=True, amount__gt=0) | Q(reverses__isnull=False, amount__lt=0),
                name="loan_entry_positive_unless_reversing",
            )
        ]

    def __str__(self) -> str:
        return f"{self.loan_id} {self.kind} {self.amount}"


class Extension(models.Model):
    """展期: the due date moved once, later, with the reason."""

    loan = models.OneToOneField(Loan, on_delete=models.PROTECT, related_name="extension")
    from_due_on = models.DateField(_("due before"))
    to_due_on = models.DateField(_("due after"))
    reason = models.CharField(_("reason"), max_length=200)
    recorded_on = models.DateField(_("date"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    region_scope = "loan__region_id"

    class Meta:
        verbose_name = pgettext_lazy("loan", "extension")
        verbose_name_plural = pgettext_lazy("loan", "extensions")
        constraints = [
            models.CheckConstraint(condition=Q(to_due_on__gt=F("from_due_on")), name="extension_moves_later")
        ]

    def __str__(self) -> str:
        return f"{self.loan_id} {self.from_due_on} → {self.to_due_on}"
