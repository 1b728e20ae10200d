from __future__ import annotations

import datetime as dt
from decimal import Decimal

from fupin.microcredit import loans
from fupin.microcredit.models import Loan
from fupin.test import BaseTestCase, make_household, person_id


class LoanTestCase(BaseTestCase):
    """Township A's operator (alice) lends to a household of village A whose head was born in 1970."""

    def setUp(self):
        self.household = make_household(self.alice, household_no="411723101200010001")
        self.head = self.household.members.get()

    def loan(self, household=None, by=None, **values) -> Loan:
        household = household or self.household
        base = {
            "borrower_id": household.members.first().pk,
            "bank": "平舆县农村信用合作联社",
            "contract_no": f"XD{Loan.objects.count() + 1:04d}",
            "amount": Decimal("50000"),
            "issued_on": dt.date(2023, 3, 15),
            "term_months": 36,
            "rate": Decimal("4.75"),
            "subsidy_rate": Decimal("100"),
            "purpose": "breeding",
            "purpose_note": "养牛",
        }
        return loans.issue(by=by or self.alice, household=household, values={**base, **values})

    def member(self, born: str, sequence: int, household=None):
        from fupin.registry import actions
        from fupin.test import MEMBER_DEFAULTS

        values = {**MEMBER_DEFAULTS, "name": "李四", "relation_to_head": "03", "id_number": person_id(born, sequence)}
        return actions.add_member(by=self.alice, household=household or self.household, values=values)[0]
