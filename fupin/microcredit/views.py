"""Microcredit pages: the loan ledger (filtered list and export), a loan with its entries, issuing a
loan from a household, and the figures by region with drill-down."""

from __future__ import annotations

import functools
from urllib.parse import urlencode

from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin import access
from fupin.audit.actions import record_export
from fupin.lib.forms import ReverseForm, filters_of, int_param, post_back, saved
from fupin.lib.pagination import paginate
from fupin.lib.xlsx import xlsx_response
from fupin.permissions import Perm
from fupin.regions import tables
from fupin.regions.models import full_name_of
from fupin.registry.models import Household

from . import imports, loans, stats
from .forms import EntryForm, ExtensionForm, HouseholdForm, LoanFilterForm, LoanForm
from .models import Loan, LoanEntry


def filtered(request, day):
    form = LoanFilterForm(request.GET)
    found = access.visible_to(Loan.objects.select_related("household", "borrower", "region"), request.user)
    if not form.is_valid():
        return form, found
    data = form.cleaned_data
    if q := data["q"].strip():
        found = found.filter(
            Q(contract_no=q) | Q(household__household_no=q) | Q(borrower__id_number=q) | Q(borrower__name__startswith=q)
        )
    found = access.narrow(found, "region_id", access.requested_region(request, data["region"]))
    if bank := data["bank"].strip():
        found = found.filter(bank__contains=bank)
    if data["year"]:
        found = found.filter(issued_on__year=data["year"])
    if data["status"]:
        found = stats.with_status(found, data["status"], day)
    return form, found


@access.scoped
def loan_list(request):
    today = timezone.localdate()
    form, found = filtered(request, today)
    found = found.order_by("region_id", "household__household_no", "-issued_on", "id")
    can_export = request.user.has_perm(Perm.MANAGE_LOANS) or request.user.has_perm(Perm.EXPORT_HOUSEHOLDS)
    if request.GET.get("export") == "xlsx" and can_export:
        record_export(
            by=request.user, what=_("Loan ledger"), filters=filters_of(form), format="xlsx", loans=found.count()
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        header = [*imports.LOAN_SHEET.headers, *imports.EXTRA_HEADERS]
        village = functools.cache(full_name_of)  # one query per village, not per loan
        rows = (imports.export_row(loan, today, village(loan.region_id)) for loan in found.iterator(chunk_size=2000))
        return xlsx_response(f"loans-{stamp}.xlsx", header, rows)
    query = request.GET.copy()
    query.pop("page", None)
    page = paginate(request, found)
    for loan in page:
        loan.status = stats.status_of(loan, today)
    context = {"form": form, "page": page, "query": query.urlencode(), "can_export": can_export}
    return render(request, "microcredit/list.html", context)


@access.requires(Perm.MANAGE_LOANS)
def loan_create(request):
    """Step one finds the household by its number; step two issues the loan to one of its members.
    `?renews=<loan>` starts from a loan to renew."""
    renews = None
    if renews_id := int_param(request.GET.get("renews")):
        renews = access.get_object_for_user(Loan.objects.select_related("household"), request.user, pk=renews_id)
    number = renews.household.household_no if renews else (request.POST or request.GET).get("household_no", "")
    household = None
    finder = HouseholdForm({"household_no": number} if number else None)
    if number:
        visible = access.visible_to(Household.objects.select_related("region"), request.user)
        household = visible.filter(household_no=number.strip()).first()
        if household is None:
            finder.add_error("household_no", _("No household with this number in your area."))
    if household is None:
        return render(request, "microcredit/find_household.html", {"form": finder})
    members = household.members.filter(left_on__isnull=True).order_by("relation_to_head", "id")
    initial = {"household_no": household.household_no}
    if renews:
        initial |= {"borrower_id": renews.borrower_id, "bank": renews.bank, "amount": renews.balance}
        initial |= {"rate": renews.rate, "subsidy_rate": renews.subsidy_rate, "purpose": renews.purpose}
    form = LoanForm(request.POST if "issued_on" in request.POST else None, members=members, initial=initial)

    def save():
        return loans.issue(by=request.user, household=household, values=form.cleaned_data, renews=renews)

    if loan := saved(request, form, save, _("Loan recorded.")):
        return redirect(loan)
    context = {"form": form, "household": household, "renews": renews, "region_name": full_name_of(household.region_id)}
    return render(request, "microcredit/form.html", context)


@access.scoped
def loan_detail(request, pk: int):
    loan = access.get_object_for_user(
        Loan.objects.select_related("household", "borrower", "renews", "extension"), request.user, pk=pk
    )
    can_change = request.user.has_perm(Perm.MANAGE_LOANS)
    renewal = Loan.objects.filter(renews=loan).first()
    entries = list(loan.entries.select_related("recorded_by", "reverses").prefetch_related("reversal"))
    for entry in entries:
        entry.can_reverse = can_change and loans.reversible(entry)
    context = {
        "loan": loan,
        "region_name": full_name_of(loan.region_id),
        "entries": entries,
        "renewal": renewal,
        "open_to": loans.open_to(loan, renewal) if can_change else frozenset(),
        "status": stats.status_of(loan, timezone.localdate()),
        "subsidy_ceiling": loans.subsidy_ceiling(loan),
        "can_change": can_change,
        "repay_form": EntryForm(prefix="repay", initial={"amount": loan.balance}),
        "subsidy_form": EntryForm(prefix="subsidy"),
        "extension_form": ExtensionForm(prefix="extend"),
    }
    return render(request, "microcredit/detail.html", context)


def _loan(request, pk: int) -> Loan:
    return access.get_object_for_user(Loan.objects.all(), request.user, pk=pk)


@access.requires(Perm.MANAGE_LOANS)
def repay(request, pk: int):
    loan = _loan(request, pk)
    form = EntryForm(request.POST, prefix="repay")

    def run(data):
        loans.repay(by=request.user, loan=loan, amount=data["amount"], paid_on=data["paid_on"], note=data["note"])

    return post_back(request, form, run, _("Repayment recorded."), loan)


@access.requires(Perm.MANAGE_LOANS)
def pay_subsidy(request, pk: int):
    loan = _loan(request, pk)
    form = EntryForm(request.POST, prefix="subsidy")

    def run(data):
        loans.pay_subsidy(by=request.user, loan=loan, amount=data["amount"], paid_on=data["paid_on"], note=data["note"])

    return post_back(request, form, run, _("Interest subsidy recorded."), loan)


@access.requires(Perm.MANAGE_LOANS)
def extend(request, pk: int):
    loan = _loan(request, pk)
    form = ExtensionForm(request.POST, prefix="extend")

    def run(data):
        loans.extend(by=request.user, loan=loan, to_due_on=data["to_due_on"], reason=data["reason"], on=data["on"])

    return post_back(request, form, run, _("Extension recorded."), loan)


@access.requires(Perm.MANAGE_LOANS)
def reverse_entry(request, pk: int):
    entry = access.get_object_for_user(LoanEntry.objects.select_related("loan"), request.user, pk=pk)
    form = ReverseForm(request.POST)

    def run(data):
        loans.reverse(by=request.user, entry=entry, reason=data["reason"], on=data["on"])

    return post_back(request, form, run, _("The entry has been reversed."), entry.loan)


@access.scoped
def region_figures(request):
    """Per region below the chosen one: balance, borrowers, due this month, overdue and its rate, and
    the share of eligible households that borrowed; each count opens its loans."""
    today = timezone.localdate()
    loans_seen = access.visible_to(Loan.objects.all(), request.user)
    households = access.visible_to(Household.objects.all(), request.user)
    table = tables.table(request, stats.figures(loans_seen, households, today), stats.ZEROS, stats.LoanRow)
    context = {
        "region": table.region,
        "code": table.code,
        "lines": table.lines,
        "total": table.total,
        "today": today,
        "up": table.up,
        "up_query": urlencode({"region": table.up or ""}),
    }
    return render(request, "microcredit/figures.html", context)
