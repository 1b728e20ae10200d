"""The national fund sources (domain.md §7.2–7.3, the issue's list), added when missing."""

from __future__ import annotations

from django.db import transaction

FUND_SOURCES = (
    ("central_special", "中央财政专项扶贫资金", "central"),
    ("provincial_special", "省级财政专项扶贫资金", "provincial"),
    ("city_special", "市级财政专项扶贫资金", "city"),
    ("county_special", "县级财政专项扶贫资金", "county"),
    ("integrated_agricultural", "统筹整合涉农资金", "county"),
    ("financial_credit", "金融扶贫（信贷）资金", "other"),
    ("social_assistance", "社会帮扶资金", "other"),
    ("other", "其他资金", "other"),
)


@transaction.atomic
def install_defaults(**kwargs) -> int:
    from .models import FundSource

    added = 0
    for position, (code, name, level) in enumerate(FUND_SOURCES, start=1):
        _source, created = FundSource.objects.get_or_create(
            code=code, defaults={"name": name, "level": level, "position": position}
        )
        added += created
    return added
