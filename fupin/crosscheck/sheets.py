"""Each dataset kind in use is a sheet of the one import pipeline: a reference sheet, staged in bulk
(crosscheck.loading), its rows seen only by whoever loaded them, put to use when committed."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.permissions import Perm
from fupin.transfer import spec as sheets
from fupin.transfer.spec import Column, Reference, SheetSpec

from . import comparison, loading
from .models import DatasetKind, DatasetLoad

# Other systems name these two columns in many ways.
ALIASES = {
    "id_number": ("身份证号码", "公民身份号码", "证件号码", "身份证件号码", "社会保障号码"),
    "name": ("人员姓名", "户主姓名", "当事人姓名"),
}


def spec_of(kind: DatasetKind) -> SheetSpec:
    columns = [
        Column(
            c["key"],
            c["header"],
            required=bool(c.get("required")),
            aliases=ALIASES.get(c["key"], ()),
            sensitive=c["key"] == "id_number",
        )
        for c in kind.columns
    ]
    return SheetSpec(
        kind=loading.sheet_kind(kind),
        title=f"{kind.department}：{kind.name}",
        version=1,
        permission=Perm.LOAD_DEPARTMENT_DATA,
        columns=columns,
        allow_extra_columns=True,
        asks_data_date=True,
        reference=Reference(stage=loading.stage, publish=publish),
        max_bytes=settings.FUPIN_DEPARTMENT_LIST_MAX_BYTES,
        private=True,
    )


def department_sheets() -> list[SheetSpec]:
    return [spec_of(kind) for kind in DatasetKind.objects.filter(is_active=True)]


def register() -> None:
    sheets.register_provider(department_sheets)


@transaction.atomic
def publish(batch, by) -> dict[str, int]:
    """Put a staged list to use: it replaces the kind's older period in its region for matching (a list
    of an older period than the one in use is kept, not used), and the comparison runs on it."""
    load = DatasetLoad.objects.select_for_update().get(batch=batch)
    in_use = DatasetLoad.objects.filter(kind=load.kind, region=load.region, state=DatasetLoad.State.CURRENT)
    if in_use.filter(period__gt=load.period).exists():
        load.state = DatasetLoad.State.SUPERSEDED
        load.save(update_fields=["state"])
        return {"loaded": load.row_count, "set_aside": load.set_aside_count, "replaced": 0, "in_use": 0}
    replaced = in_use.update(state=DatasetLoad.State.SUPERSEDED)
    load.state, load.current_since = DatasetLoad.State.CURRENT, timezone.now()
    load.save(update_fields=["state", "current_since"])
    transaction.on_commit(lambda: comparison.start(by=by, kind=load.kind, reason=_("after loading a list")))
    return {"loaded": load.row_count, "set_aside": load.set_aside_count, "replaced": replaced, "in_use": 1}
