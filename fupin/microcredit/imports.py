"""The loan ledger as a sheet (小额信贷台账): one row per loan, as banks report them, imported through
the staged pipeline; the ledger page exports the same columns (and a few computed ones after them),
so that an exported ledger loads back unchanged.

A loan is matched by its bank and contract number. A new loan is checked and issued by
microcredit.loans; a known one must agree with what is recorded, and a higher "principal repaid"
than recorded becomes a repayment of the difference dated the statement's day. The borrower is
found in the household by full ID number, or by name when the number is masked or left out.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fupin import access
from fupin.permissions import Perm
from fupin.registry.id_numbers import mask
from fupin.registry.models import Household
from fupin.transfer.spec import (
    Column,
    Row,
    RowErrors,
    SheetSpec,
    Source,
    choice,
    label_of,
    optional,
    parse_date,
    parse_decimal,
    parse_int,
    register,
)

from . import loans
from .models import Loan, Purpose
from .stats import STATUS_LABELS, status_of

ZERO = Decimal(0)
PURPOSES = {
    "种植业": Purpose.PLANTING,
    "养殖业": Purpose.BREEDING,
    "加工业": Purpose.PROCESSING,
    "商贸服务": Purpose.TRADE,
    "乡村旅游": Purpose.TOURISM,
    "其他生产经营": Purpose.OTHER,
}
COLUMNS = [
    Column("bank", "贷款银行", example="平舆县农村信用合作联社"),
    Column("contract_no", "合同编号", example="FPXD2024001"),
    Column("household_no", "户编号", example="411723101200010001"),
    Column("borrower_name", "借款人姓名", example="张三"),
    Column("borrower_id", "借款人身份证号", required=False, example="411723197001010115", sensitive=True),
    Column("amount", "贷款金额（元）", parse=parse_decimal, example="50000"),
    Column("issued_on", "放款日期", parse=parse_date, example="2024-03-15"),
    Column("term_months", "期限（月）", parse=parse_int, example="36"),
    Column("rate", "年利率（%）", parse=parse_decimal, example="4.75"),
    Column("subsidy_rate", "贴息比例（%）", required=False, parse=optional(parse_decimal), example="100"),
    Column(
        "purpose",
        "用途",
        parse=choice(PURPOSES, {"种植": Purpose.PLANTING, "养殖": Purpose.BREEDING}),
        example="养殖业",
    ),
    Column("purpose_note", "具体用途", required=False, example="养牛"),
    Column("repaid", "已还本金（元）", required=False, parse=optional(parse_decimal), example="0"),
    Column("as_of", "统计日期", required=False, parse=optional(parse_date), example="2024-12-31"),
]


def _borrower(household: Household, row: Row):
    members = [m for m in household.members.all() if m.left_on is None]
    number = (row.get("borrower_id") or "").strip().upper()
    if number and "*" not in number:
        return next((m for m in members if m.id_number == number), None)
    return next((m for m in members if m.name == row["borrower_name"].strip()), None)


def _values(row: Row, borrower) -> dict:
    return {
        "borrower_id": borrower.pk if borrower else None,
        "bank": row["bank"],
        "contract_no": row["contract_no"],
        "amount": row["amount"],
        "issued_on": row["issued_on"],
        "term_months": row["term_months"],
        "rate": row["rate"],
        "subsidy_rate": Decimal(100) if row.get("subsidy_rate") is None else row["subsidy_rate"],
        "purpose": row["purpose"],
        "purpose_note": row.get("purpose_note") or "",
    }


def _repaid_errors(row: Row, recorded: Loan | None) -> RowErrors:
    repaid, as_of = row.get("repaid") or ZERO, row.get("as_of")
    before = recorded.repaid if recorded else ZERO
    if repaid < 0 or repaid > row["amount"]:
        return {"repaid": _("Between 0 and the amount of the loan.")}
    if repaid < before:
        return {
            "repaid": _("Less than the %(repaid)s yuan recorded; reverse the repayment in the ledger instead.")
            % {"repaid": f"{before:,.2f}"}
        }
    if repaid > before and as_of is None:
        return {"as_of": _("Give the day the repaid principal was counted.")}
    if repaid > before and (as_of > timezone.localdate() or as_of < row["issued_on"]):
        return {"as_of": _("Between the day of issue and today.")}
    return {}


FIELD_COLUMNS = {"borrower": "borrower_name", "household": "household_no"}
MATCHED = ("household_no", "amount", "issued_on", "term_months")


def validate(rows: list[Row], by) -> list[RowErrors]:
    numbers = {row["household_no"] for row in rows}
    found = access.visible_to(Household.objects.filter(household_no__in=numbers), by).prefetch_related("members")
    households = {h.household_no: h for h in found}
    recorded = {
        (loan.bank, loan.contract_no): loan
        for loan in Loan.objects.filter(contract_no__in={r["contract_no"] for r in rows}).select_related("household")
    }
    seen: dict[tuple, int] = {}
    pending: dict[int, Decimal] = {}
    results = []
    for i, row in enumerate(rows):
        errors: RowErrors = {}
        key = (row["bank"], row["contract_no"])
        household = households.get(row["household_no"])
        loan = recorded.get(key)
        if key in seen:
            errors["contract_no"] = _("Same loan as row %(row)s.") % {"row": seen[key] + 2}
        elif household is None:
            errors["household_no"] = _("No household with this number in your area.")
        elif loan is not None:
            known = (loan.household.household_no, loan.amount, loan.issued_on, loan.term_months)
            if known != tuple(row[name] for name in MATCHED):
                errors["contract_no"] = _("This contract is recorded with another household, amount, date or term.")
        elif (borrower := _borrower(household, row)) is None:
            errors["borrower_name"] = _("No current member of the household with this name or ID number.")
        else:
            found_errors, _applied = loans.loan_errors(
                household, _values(row, borrower), None, pending.get(household.pk, ZERO)
            )
            errors |= {FIELD_COLUMNS.get(field, field): message for field, message in found_errors.items()}
            if not errors:  # what this row lends counts against the household's later rows
                pending[household.pk] = pending.get(household.pk, ZERO) + row["amount"]
        if not errors:
            errors = _repaid_errors(row, loan)
        seen.setdefault(key, i)
        results.append(errors)
    return results


def apply(rows: list[Row], by, source: Source) -> dict[str, int]:
    created = changed = 0
    for row in rows:
        loan = Loan.objects.filter(bank=row["bank"], contract_no=row["contract_no"]).first()
        touched = loan is None
        if loan is None:
            household = Household.objects.prefetch_related("members").get(household_no=row["household_no"])
            loan = loans.issue(by=by, household=household, values=_values(row, _borrower(household, row)))
            created += 1
        if (difference := (row.get("repaid") or ZERO) - loan.repaid) > 0:
            loans.repay(by=by, loan=loan, amount=difference, paid_on=row["as_of"], note=source.reason)
            touched = True
        changed += touched
    return {"changed": changed, "unchanged": len(rows) - changed, "created": created}


def export_row(loan: Loan, day: dt.date, village: str) -> list:
    return [
        loan.bank,
        loan.contract_no,
        loan.household.household_no,
        loan.borrower.name,
        mask(loan.borrower.id_number),
        loan.amount,
        loan.issued_on,
        loan.term_months,
        loan.rate,
        loan.subsidy_rate,
        label_of(PURPOSES, loan.purpose),
        loan.purpose_note,
        loan.repaid,
        day,
        loan.due_on,
        loan.balance,
        loan.subsidy_paid,
        str(STATUS_LABELS[status_of(loan, day)]),
        village,
    ]


EXTRA_HEADERS = ["到期日", "贷款余额（元）", "已贴息（元）", "状态", "所在村"]

LOAN_SHEET = register(
    SheetSpec(
        kind="loans",
        title=gettext_lazy("Loan ledger"),
        version=1,
        permission=Perm.MANAGE_LOANS,
        columns=COLUMNS,
        validate=validate,
        apply=apply,
        allow_extra_columns=True,  # the exported ledger's computed columns are read back and ignored
    )
)
