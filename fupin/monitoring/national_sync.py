"""The national system's list names the households it monitors (户类型, 易返贫致贫户(监测对象)类型, 风险是否消除,
风险识别时间, 风险消除时间, domain.md §2.7): an import of the list brings them into the monitoring record,
in the import's transaction. Loading the same list again changes nothing."""

from __future__ import annotations

from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from fupin.codes.catalogue import code_list
from fupin.lib import bulk
from fupin.registry.models import Household, NationalRecord

from .kinds import CATEGORY
from .models import CaseStatus, Channel, MonitoringCase

REASON = "全国系统名单导入"


def _latest_records(household_ids: list[int]) -> dict[int, NationalRecord]:
    records = NationalRecord.objects.filter(household_id__in=bulk.among(household_ids)).exclude(monitoring_category="")
    latest: dict[int, NationalRecord] = {}
    for record in records.order_by("household_id", "data_date"):
        latest[record.household_id] = record
    return latest


def _category(text: str) -> str | None:
    categories = code_list(CATEGORY)
    text = text.strip()
    if text in categories.labels:
        return text
    return categories.by_label.get(text) or next((v for label, v in categories.by_label.items() if label in text), None)


def sync(*, by, household_ids: list[int]) -> None:
    """Open, update or close the monitoring cases of these households as their latest listed record says."""
    latest = _latest_records(household_ids)
    if not latest:
        return
    regions = dict(Household.objects.filter(pk__in=bulk.among(latest)).values_list("pk", "region_id"))
    cases: dict[int, list[MonitoringCase]] = {}
    for case in MonitoringCase.objects.filter(household_id__in=bulk.among(latest)):
        cases.setdefault(case.household_id, []).append(case)
    new, changed = [], []
    for household_id, record in latest.items():
        category = _category(record.monitoring_category)
        if category is None:
            continue
        identified = record.risk_identified_on or record.data_date
        eliminated = bool(record.risk_eliminated)
        own = cases.get(household_id, [])
        same = next((c for c in own if c.identified_on == identified), None)
        if same is None:
            if any(c.status == CaseStatus.MONITORING for c in own):
                continue  # monitored since another date here: people decide, not the list
            new.append(
                MonitoringCase(
                    household_id=household_id,
                    region_id=regions[household_id],
                    category=category,
                    identified_on=identified,
                    channel=Channel.NATIONAL_LIST,
                    status=CaseStatus.ELIMINATED if eliminated else CaseStatus.MONITORING,
                    eliminated_on=(record.risk_eliminated_on or record.data_date) if eliminated else None,
                    note=_("From the national system's list of %(day)s") % {"day": record.data_date.isoformat()},
                    created_by=by,
                )
            )
            continue
        update = same.category != category
        same.category = category
        if eliminated and same.status == CaseStatus.MONITORING:
            same.status, same.eliminated_on = CaseStatus.ELIMINATED, record.risk_eliminated_on or record.data_date
            update = True
        if update:
            changed.append(same)
    bulk_create_with_history(new, MonitoringCase, default_user=by, default_change_reason=REASON)
    bulk_update_with_history(
        changed,
        MonitoringCase,
        ["category", "status", "eliminated_on"],
        default_user=by,
        default_change_reason=REASON,
    )
