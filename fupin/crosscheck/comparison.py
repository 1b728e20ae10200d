"""The comparison (比对): every rule in use over the rows of the lists in use, matched with the register
by ID number, each hit kept as a finding. It runs in the database, one statement per rule and list
(a hash join of the list's rows with the members, the rule's condition as SQL), as a background job
after each load and on demand.

Idempotent: a finding is one per rule and person. Running again on the same data writes nothing; a
row whose values changed updates its finding, and reopens it when it had been verified.
"""

# ruff: noqa: S608 — statements are built from the models' tables and the slots v1…v8; values are parameters.

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from fupin import access
from fupin.audit.actions import record_event
from fupin.audit.models import EventType
from fupin.jobs import progress, runner
from fupin.jobs.models import Job
from fupin.policy.calendar import add_working_days
from fupin.policy.values import resolve
from fupin.registry.models import Household, Member, PovertyStatus

from . import policy_items, rules
from .models import DatasetKind, DatasetLoad, DepartmentRow, Finding, Rule

JOB = "crosscheck_comparison"
SEPARATOR = "\x1f"  # between a row's values in Finding.row_values


def _separator() -> str:
    return "chr(31)" if connection.vendor == "postgresql" else "char(31)"


def row_values_sql(kind: DatasetKind, alias: str = "r") -> str:
    """The row's values in slot order as one text (what a finding keeps and the next run compares)."""
    slots = [slot for key, slot in kind.slots.items() if key not in ("id_number", "name")]
    return f" || {_separator()} || ".join(f"{alias}.{slot}" for slot in slots) or "''"


def split_values(kind: DatasetKind, row_values: str, name: str, id_number: str = "") -> dict[str, str]:
    """A finding's kept values by the kind's column keys."""
    extra = [key for key in kind.slots if key not in ("id_number", "name")]
    values = row_values.split(SEPARATOR) if extra else []
    return dict(zip(extra, values, strict=False)) | {"name": name, "id_number": id_number}


def _region_range(column: str, prefix: str) -> tuple[str, list]:
    if not prefix:
        return "1 = 1", []
    upper = str(int(prefix) + 1).zfill(len(prefix))
    return f"{column} >= %s AND {column} < %s", [prefix, upper]


def _member_match(kind: DatasetKind, today: dt.date) -> tuple[str, list]:
    """Current members; for deaths and payroll also those who left within the kind's days, unless the
    same person is a current member elsewhere (then that membership is the one matched)."""
    if not kind.match_left_days:
        return "m.id_number = r.id_number AND m.left_on IS NULL", []
    member = Member._meta.db_table
    return (
        "m.id_number = r.id_number AND (m.left_on IS NULL OR (m.left_on >= %s AND NOT EXISTS "
        f"(SELECT 1 FROM {member} c WHERE c.id_number = r.id_number AND c.left_on IS NULL)))",
        [today - dt.timedelta(days=kind.match_left_days)],
    )


def verify_by(region_code: str, today: dt.date) -> dt.date:
    days = resolve(policy_items.VERIFY_DAYS, today.year, region_code).value
    return add_working_days(today, int(days))


def _compare(rule: Rule, load: DatasetLoad, today: dt.date, now: dt.datetime) -> int:
    """Upsert the rule's findings from one list; the number of findings written (new or changed)."""
    kind = load.kind
    region = load.region_id or ""
    columns = {key: f"r.{slot}" for key, slot in kind.slots.items()}
    condition, condition_params = rules.condition_sql(
        rule.condition, columns, rules.thresholds(load.period.year, region), connection.vendor
    )
    match, match_params = _member_match(kind, today)
    in_region, region_params = _region_range("h.region_id", region)
    finding = Finding._meta.db_table
    sql = f"""
        INSERT INTO {finding} (rule_id, member_id, household_id, region_id, load_id, row_no, name_in_list,
            row_values, yields, severity, state, found_at, changed_at, reopened, due_on, result, note,
            evidence, actions)
        SELECT %s, member_id, household_id, region_id, load_id, row_no, name, row_values, %s, %s, %s, %s, %s, 0,
            %s, '', '', '', '{{}}'
        FROM (
            SELECT m.id AS member_id, m.household_id, h.region_id, r.load_id, r.row_no, r.name,
                {row_values_sql(kind)} AS row_values,
                ROW_NUMBER() OVER (PARTITION BY m.id ORDER BY r.row_no) AS k
            FROM {DepartmentRow._meta.db_table} r
            JOIN {Member._meta.db_table} m ON {match}
            JOIN {Household._meta.db_table} h ON h.id = m.household_id
            WHERE r.load_id = %s AND h.poverty_status <> %s AND {in_region} AND {condition}
        ) hits
        WHERE k = 1
        ON CONFLICT (rule_id, member_id) DO UPDATE SET
            load_id = excluded.load_id, row_no = excluded.row_no, name_in_list = excluded.name_in_list,
            row_values = excluded.row_values, changed_at = excluded.changed_at,
            reopened = {finding}.reopened + (CASE WHEN {finding}.state = %s THEN 1 ELSE 0 END),
            result = CASE WHEN {finding}.state = %s THEN '' ELSE {finding}.result END,
            due_on = CASE WHEN {finding}.state = %s THEN excluded.due_on ELSE {finding}.due_on END,
            passed_at = CASE WHEN {finding}.state = %s THEN NULL ELSE {finding}.passed_at END,
            state = CASE WHEN {finding}.state = %s THEN %s ELSE {finding}.state END
        WHERE {finding}.row_values <> excluded.row_values OR {finding}.name_in_list <> excluded.name_in_list
    """
    verified, township = Finding.State.VERIFIED, Finding.State.TOWNSHIP
    params = [
        rule.pk,
        rule.yields,
        rule.severity,
        township,
        now,
        now,
        verify_by(region, today),
        *match_params,
        load.pk,
        PovertyStatus.REMOVED,
        *region_params,
        *condition_params,
        *[verified] * 5,
        township,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(cursor.rowcount, 0)


def rules_for(load: DatasetLoad):
    """The kind's rules in use that apply where the list is from: national ones, and a province's own
    for a list of that province."""
    region = load.region_id or ""
    in_force = Rule.objects.filter(kind=load.kind, is_active=True)
    return [rule for rule in in_force if region.startswith(rule.region_code)]


def compare(*, by, kind: DatasetKind | None = None, today: dt.date | None = None) -> dict[str, int]:
    """Run every rule in use over the lists in use (of one kind, or all) in the user's region."""
    today = today or timezone.localdate()
    now = timezone.now()
    loads = DatasetLoad.objects.filter(state=DatasetLoad.State.CURRENT).select_related("kind")
    if kind is not None:
        loads = loads.filter(kind=kind)
    if by.region_id:
        loads = loads.filter(access.under("region_id", by.region_id))
    pairs = [(load, rule) for load in loads for rule in rules_for(load)]
    before = Finding.objects.count()
    written = 0
    for done, (load, rule) in enumerate(pairs):
        progress.advance(done, len(pairs))
        with transaction.atomic():
            written += _compare(rule, load, today, now)
    new = Finding.objects.count() - before
    summary = {"lists": len({load.pk for load, _rule in pairs}), "rules": len(pairs), "new": new}
    summary["changed"] = written - new
    record_event(
        actor=by,
        event_type=EventType.CREATE,
        target_repr=_("comparison of department data"),
        region_code=by.region_code,
        changes=summary | {"kind": kind.code if kind else ""},
    )
    return summary


def _run(job: Job) -> runner.Outcome | None:
    kind = DatasetKind.objects.filter(pk=job.arguments.get("kind")).first() if job.arguments.get("kind") else None
    progress.step(gettext_noop("Comparing the lists with the register"), 100)
    summary = compare(by=job.owner, kind=kind)
    job.arguments["summary"] = summary
    Job.objects.filter(pk=job.pk).update(arguments=job.arguments)
    return None


def register_job() -> None:
    runner.register(runner.JobKind(JOB, gettext_lazy("comparison of department data"), _run))


def start(*, by, kind: DatasetKind | None = None, reason: str = "") -> Job:
    title = _("Comparison with the register: %(what)s") % {"what": str(kind) if kind else _("every list in use")}
    if reason:
        title += f"（{reason}）"
    arguments = {"kind": kind.pk if kind else None}
    return runner.start(kind=JOB, by=by, title=title, arguments=arguments, url=reverse("crosscheck:findings"))
