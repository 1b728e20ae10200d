"""The outbound list (推送比对名单): the register's people of the user's region with only the columns a
department needs to compare on its side, ID numbers in full. Scoped, and every list sent is audited
with its department, purpose, columns and size."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone

from fupin import access
from fupin.audit.actions import record_export
from fupin.codes.catalogue import code_list
from fupin.codes.models import Kind as CodeKind
from fupin.permissions import Perm
from fupin.registry.models import Member, PovertyStatus

from .forms import OUTBOUND_FIELDS

HEADERS = {
    "id_number": "身份证号",
    "name": "姓名",
    "household_no": "户编号",
    "village": "所在村",
    "relation": "与户主关系",
    "status": "贫困户状态",
}


def may_send(user) -> bool:
    return user.has_perm(Perm.LOAD_DEPARTMENT_DATA) and user.has_perm(Perm.EXPORT_FULL_ID)


def members(user, include_left: bool, today: dt.date | None = None):
    today = today or timezone.localdate()
    people = access.visible_to(Member.objects.all(), user).exclude(household__poverty_status=PovertyStatus.REMOVED)
    recently = Q(left_on__gte=today - dt.timedelta(days=365)) if include_left else Q(pk__in=[])
    return people.filter(Q(left_on__isnull=True) | recently)


def rows(user, fields: Sequence[str], include_left: bool) -> Iterator[list[str]]:
    relations = code_list(CodeKind.RELATION_TO_HEAD)
    statuses = dict(PovertyStatus.choices)
    people = (
        members(user, include_left)
        .select_related("household__region")
        .order_by("household__region_id", "household__household_no", "id")
    )
    for m in people.iterator(chunk_size=5000):
        values = {
            "id_number": m.id_number,
            "name": m.name,
            "household_no": m.household.household_no,
            "village": m.household.region.name,
            "relation": relations.label(m.relation_to_head),
            "status": str(statuses.get(m.household.poverty_status, "")),
        }
        yield [values[f] for f in fields]


def send(*, by, fields: Sequence[str], department: str, purpose: str, include_left: bool):
    """The headers and the rows of the list (read as they are written out, not held), after its export
    is recorded with the number of people it holds."""
    if not may_send(by):
        raise PermissionDenied
    ordered = [key for key, _label in OUTBOUND_FIELDS if key in fields]
    record_export(
        by=by,
        what="推送比对名单",
        filters={"department": department, "purpose": purpose, "include_left": include_left},
        rows=members(by, include_left).count(),
        columns=ordered,
        full_numbers=True,
    )
    return [HEADERS[key] for key in ordered], rows(by, ordered, include_left)
