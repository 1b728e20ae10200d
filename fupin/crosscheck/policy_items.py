"""The thresholds the default comparison rules read, as policy data (national defaults a province or
county changes): none of them is a national standard, so each is marked unverified."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from fupin.policy import items
from fupin.policy.items import ABOVE_TOWNSHIP, Default, Item, Unit

PROPERTY_AREA = "crosscheck_property_area"
BUSINESS_CAPITAL = "crosscheck_business_capital"
MEDICAL_SELF_PAID = "crosscheck_medical_self_paid"
VERIFY_DAYS = "crosscheck_verify_days"
LIST_RETENTION_DAYS = "crosscheck_list_retention_days"
LOCAL = "各地“六不评”和预警口径自定，非全国统一规定（未核实），见 domain.md §1.3、§5.2"


def _item(name: str, label, unit: Unit, value: str, help="") -> Item:
    default = Default(2014, Decimal(value), LOCAL, verified=False)
    return Item(name, label, unit, per_year=False, levels=ABOVE_TOWNSHIP, defaults=(default,), help=help)


def register() -> None:
    items.register(
        _item(
            PROPERTY_AREA,
            _("comparison: commercial or town housing above this area (m²)"),
            Unit.AREA,
            "0",
            _(
                "A registered household owning residential or commercial property in a town above this area "
                "is a suspect."
            ),
        ),
        _item(
            BUSINESS_CAPITAL,
            _("comparison: registered capital above (10,000 yuan)"),
            Unit.TEN_THOUSAND_YUAN,
            "10",
        ),
        _item(
            MEDICAL_SELF_PAID,
            _("comparison: out-of-pocket medical costs in 12 months above"),
            Unit.AMOUNT,
            "20000",
        ),
        _item(
            VERIFY_DAYS,
            _("comparison: working days to verify a finding"),
            Unit.DAYS,
            "10",
            _("From the comparison that found it; an unverified finding then reaches the county's list."),
        ),
        _item(
            LIST_RETENTION_DAYS,
            _("department lists: days a replaced list's rows are kept"),
            Unit.DAYS,
            "365",
            _("From the day it was loaded; its record and the findings it gave are kept."),
        ),
    )
