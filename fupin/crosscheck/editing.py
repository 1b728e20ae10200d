"""Adding and changing dataset kinds and rules without code: the national administrator keeps the
national ones, a province's administrator its province's own (region_code). A kind's columns and a
rule's condition are checked before anything is saved (`rules.check`: a column the kind does not have,
an unknown operator or policy item, an explanation naming a missing column), with Chinese messages;
every change is an event of the audit trail."""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fupin import access
from fupin.audit.actions import diff, record_event, snapshot
from fupin.audit.models import EventType
from fupin.permissions import Perm
from fupin.procedures.models import ExclusionRule

from . import rules
from .models import DatasetKind, Rule, Yield

KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")
MAX_COLUMNS = 20
KIND_FIELDS = ["code", "department", "name", "row_meaning", "columns", "region_code", "match_left_days", "is_active"]
RULE_FIELDS = [
    *("code", "kind_id", "name", "condition", "sum_column", "yields", "exclusion_rule", "risk_type"),
    *("severity", "explanation", "source", "region_code", "is_active"),
]


def own_region(by) -> str:
    """Where the user's kinds and rules apply: "" for the whole country, else the user's province."""
    return (by.region_id or "")[:2]


def may_edit(by, record) -> bool:
    """A national record by a national administrator; a province's by that province's."""
    return (
        by.has_perm(Perm.MANAGE_CROSSCHECK)
        and access.region_prefix(by) is not None
        and (record.region_code == own_region(by))
    )


def _require(by, record) -> None:
    if not may_edit(by, record):
        raise PermissionDenied


def parse_columns(text: str) -> list[dict]:
    """One column a line: "key,表头" and ",必填" for a required one; ID number and name come first."""
    columns, errors, seen = [], [], set()
    for n, line in enumerate((line.strip() for line in text.splitlines()), start=1):
        if not line:
            continue
        parts = [part.strip() for part in re.split(r"[,，]", line)]
        key, header = parts[0], parts[1] if len(parts) > 1 else ""
        if not KEY.fullmatch(key):
            errors.append(
                _("Line %(n)s: a column's key is small letters, digits and _ (“%(key)s”).") % {"n": n, "key": key}
            )
        elif key in seen:
            errors.append(_("Line %(n)s: the key “%(key)s” appears twice.") % {"n": n, "key": key})
        if not header:
            errors.append(_("Line %(n)s: give the column's header as the department's file has it.") % {"n": n})
        seen.add(key)
        columns.append({"key": key, "header": header, "required": len(parts) > 2 and parts[2] == "必填"})
    keys = [c["key"] for c in columns]
    if keys[:2] != ["id_number", "name"]:
        errors.append(_("The first two columns are id_number (ID number) and name."))
    if len(columns) > MAX_COLUMNS:
        errors.append(_("A kind has at most %(n)s columns.") % {"n": MAX_COLUMNS})
    if errors:
        raise ValidationError({"columns": errors})
    columns[0]["required"] = True
    return columns


def columns_text(columns: list[dict]) -> str:
    return "\n".join(f"{c['key']},{c['header']}" + (",必填" if c.get("required") else "") for c in columns)


@transaction.atomic
def save_kind(*, by, kind: DatasetKind) -> DatasetKind:
    if kind.pk is None:
        kind.region_code = own_region(by)
    _require(by, kind)
    if kind.pk is not None:  # a rule that reads a column must keep it
        used = {clause["column"] for rule in kind.rules.all() for clause in rule.condition["all"]}
        if missing := used - set(kind.keys):
            raise ValidationError(
                {
                    "columns": _("Rules read these columns: %(keys)s. Change the rules first.")
                    % {"keys": "、".join(sorted(missing))}
                }
            )
    before = snapshot(DatasetKind.objects.get(pk=kind.pk), KIND_FIELDS) if kind.pk else None
    kind.full_clean()
    kind.save()
    _audit(by, kind, before, KIND_FIELDS)
    return kind


@transaction.atomic
def save_rule(*, by, rule: Rule) -> Rule:
    if rule.pk is None:
        rule.region_code = own_region(by)
    _require(by, rule)
    if rule.kind.region_code not in ("", rule.region_code):
        raise ValidationError({"kind": _("A rule reads a national kind or one of its own province.")})
    rules.check(rule.condition, rule.kind.keys, rule.explanation)
    if rule.sum_column and rule.sum_column not in {c["column"] for c in rule.condition["all"]}:
        raise ValidationError({"sum_column": _("A summed column is one the condition compares.")})
    if rule.yields == Yield.SUSPECT and not ExclusionRule.objects.filter(code=rule.exclusion_rule).exists():
        raise ValidationError({"exclusion_rule": _("A suspect names the exclusion rule it questions.")})
    if rule.yields == Yield.WARNING and not rule.risk_type:
        raise ValidationError({"risk_type": _("A warning names the risk type of the clue it raises.")})
    before = snapshot(Rule.objects.get(pk=rule.pk), RULE_FIELDS) if rule.pk else None
    rule.full_clean()
    rule.save()
    _audit(by, rule, before, RULE_FIELDS)
    return rule


def _audit(by, record, before, fields) -> None:
    after = snapshot(record, fields)
    if before is None:
        record_event(
            actor=by, event_type=EventType.CREATE, target=record, region_code=record.region_code, changes=after
        )
    elif changes := diff(before, after):
        record_event(
            actor=by, event_type=EventType.UPDATE, target=record, region_code=record.region_code, changes=changes
        )
