"""The comparison (比对): every rule in use over the rows of the lists in use, matched with the register
by ID number, each hit kept as a finding. It runs in the database, one statement per rule and list
(a hash join of the list's rows with the members, the rule's condition as SQL), as a background job
after each load and on demand.

Idempotent: a finding is one per rule and person. Running again on the same data writes nothing; a
row whose values changed updates its finding, and reopens it when it had been verified.
"""

# ruff: noqa: S608 — statements are built from the models' tables and a list's columns (crosscheck.loading);
# values are parameters.

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
from fupin.lib import bulk
from fupin.policy.calendar import add_working_days
from fupin.policy.values import resolve
from fupin.registry.models import Household, Member, PovertyStatus

from . import loading, policy_items, rules
from .models import DatasetKind, DatasetLoad, Finding, Rule

JOB = "crosscheck_comparison"
SEPARATOR = "\x1f"  # between a row's values in Finding.row_values
HITS = "crosscheck_hits"


def _separator() -> str:
    return "chr(31)" if connection.vendor == "postgresql" else "char(31)"


def row_values_sql(load: DatasetLoad) -> str:
    """The row's values (the kind's `value_keys`) as one text: what a finding keeps and the next run
    compares."""
    cells = [loading.cell(load, key) for key in load.kind.value_keys]
    return f" || {_separator()} || ".join(cells) or "''"


def split_values(kind: DatasetKind, row_values: str, name: str, id_number: str = "") -> dict[str, str]:
    """A finding's kept values by the kind's column keys."""
    keys = kind.value_keys
    values = row_values.split(SEPARATOR) if keys else []
    return dict(zip(keys, values, strict=False)) | {"name": name, "id_number": id_number}


def _region_range(column: str, prefix: str) -> tuple[str, list]:
    """SQL for `access.under`: the region codes under the list's region."""
    if not prefix:
        return "1 = 1", []
    low, high = access.code_range(prefix)
    if high is None:
        return f"{column} >= %s", [low]
    return f"{column} >= %s AND {column} < %s", [low, high]


def _member_match(load: DatasetLoad, today: dt.date) -> tuple[str, list]:
    """Current members; for deaths and payroll also those who left within the kind's days, unless the
    same person is a current member elsewhere (then that membership is the one matched)."""
    key, days = loading.key_sql(load), load.kind.match_left_days
    if not days:
        return f"m.id_number = {key} AND m.left_on IS NULL", []
    member = Member._meta.db_table
    return (
        f"m.id_number = {key} AND (m.left_on IS NULL OR (m.left_on >= %s AND NOT EXISTS "
        f"(SELECT 1 FROM {member} c WHERE c.id_number = m.id_number AND c.left_on IS NULL)))",
        [today - dt.timedelta(days=days)],
    )


def verify_by(region_code: str, today: dt.date) -> dt.date:
    days = resolve(policy_items.VERIFY_DAYS, today.year, region_code).value
    return add_working_days(today, int(days))


def _hits_sql(rule: Rule, load: DatasetLoad, match: str, in_region: str, threshold) -> tuple[str, list]:
    """The SELECT of a rule's hits in a list: a row each; or, for a rule that sums a column, a person
    each, the column summed over the person's rows that pass the rule's other clauses."""
    columns = {c["key"]: loading.cell(load, c["key"]) for c in load.kind.columns}
    vendor = connection.vendor
    source = (
        f"FROM {loading.table_of(load)} r JOIN {Member._meta.db_table} m ON {match} "
        f"JOIN {Household._meta.db_table} h ON h.id = m.household_id"
    )
    if not rule.sum_column:
        condition, params = rules.condition_sql(rule.condition, columns, threshold, vendor)
        select = (
            f"SELECT m.id AS member_id, m.household_id, h.region_id, r.n, "
            f"substr({loading.cell(load, 'name')}, 1, 50) AS name, {row_values_sql(load)} AS row_values "
            f"{source} WHERE h.poverty_status <> %s AND {in_region} AND {condition}"
        )
        return select, params
    summed = rule.sum_column
    row_clauses = {"all": [c for c in rule.condition["all"] if c["column"] != summed]}
    sum_clauses = {"all": [c for c in rule.condition["all"] if c["column"] == summed]}
    total = f"CAST(sum({rules.number_sql(columns[summed], vendor)}) AS text)"
    where, where_params = (
        rules.condition_sql(row_clauses, columns, threshold, vendor) if row_clauses["all"] else ("1 = 1", [])
    )
    having, having_params = rules.condition_sql(sum_clauses, columns | {summed: total}, threshold, vendor)
    values = [total if key == summed else f"min({loading.cell(load, key)})" for key in load.kind.value_keys]
    joined = f" || {_separator()} || ".join(values) or "''"
    select = (
        f"SELECT m.id AS member_id, m.household_id, h.region_id, min(r.n) AS n, "
        f"substr(min({loading.cell(load, 'name')}), 1, 50) AS name, {joined} AS row_values "
        f"{source} WHERE h.poverty_status <> %s AND {in_region} AND {where} "
        f"GROUP BY m.id, m.household_id, h.region_id HAVING {having}"
    )
    return select, where_params + having_params


def _compare(rule: Rule, load: DatasetLoad, by, today: dt.date, now: dt.datetime) -> int:
    """Upsert the rule's findings from one list; the number of findings written (new or changed)."""
    region = load.region_id or ""
    match, match_params = _member_match(load, today)
    in_region, region_params = _region_range("h.region_id", region)
    select, condition_params = _hits_sql(rule, load, match, in_region, rules.thresholds(load.period.year, region))
    finding = Finding._meta.db_table
    # The hits first, by a SELECT (which PostgreSQL runs in parallel; an INSERT's SELECT it does not),
    # into a temporary table; then the findings from them, one per person.
    hits = f"CREATE TEMP TABLE {HITS} AS {select}"
    sql = f"""
        INSERT INTO {finding} (rule_id, member_id, household_id, region_id, load_id, row_no, name_in_list,
            row_values, yields, severity, state, found_at, changed_at, reopened, due_on, result, note,
            evidence, actions)
        SELECT %s, member_id, household_id, region_id, %s, n + %s, name, row_values, %s, %s, %s, %s, %s, 0,
            %s, '', '', '', '{{}}'
        FROM (SELECT {HITS}.*, ROW_NUMBER() OVER (PARTITION BY member_id ORDER BY n) AS k FROM {HITS}) hits
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
    # as the ORM writes a time (on SQLite, text in one form), so that the ORM finds it again
    stamp = connection.ops.adapt_datetimefield_value(now)
    params = [
        rule.pk,
        load.pk,
        load.first_row - 1,
        rule.yields,
        rule.severity,
        township,
        stamp,
        stamp,
        verify_by(region, today),
        *[verified] * 5,
        township,
    ]
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {HITS}")
        if postgres:  # the planner cannot tell how few rows hit, and would not gather them in parallel
            cursor.execute("SET LOCAL parallel_tuple_cost = 0")
        cursor.execute(hits, [*match_params, PovertyStatus.REMOVED, *region_params, *condition_params])
        if postgres:
            cursor.execute("SET LOCAL parallel_tuple_cost TO DEFAULT")
        cursor.execute(sql, params)
        written = max(cursor.rowcount, 0)
        cursor.execute(f"DROP TABLE {HITS}")
    _history(rule, by, now)
    return written


def _history(rule: Rule, by, now: dt.datetime) -> None:
    """The history rows of the findings this run wrote: found now ("+"), or changed now ("~")."""
    history = bulk.History(user_id=by.pk, reason=_("comparison of department data"), date=now)
    written = Finding.objects.filter(rule=rule, changed_at=now)
    found = list(written.filter(found_at=now).values_list("pk", flat=True))
    changed = list(written.exclude(found_at=now).values_list("pk", flat=True))
    bulk.write_history(Finding, found, "+", history)
    bulk.write_history(Finding, changed, "~", history)


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
            written += _compare(rule, load, by, today, now)
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
