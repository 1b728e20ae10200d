"""Household imports: our template and the national person list, through the one import pipeline.

Every row is checked with registry.rules, the same rules as the pages; whole-household rules (one
head, nobody in two households) run over the rows that share a household number. Committing writes
in bulk (history rows included, attributed to the batch) so that a county's 10^5 households load in
one transaction; a household or member already registered with the same numbers is updated, and
re-importing the same file changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from fupin import access
from fupin.codes.catalogue import code_list
from fupin.codes.models import Kind
from fupin.jobs import progress
from fupin.lib import bulk
from fupin.permissions import Perm
from fupin.regions.models import Level, Region
from fupin.transfer.spec import Row, RowErrors, SheetSpec, Source, register

from . import elsewhere, id_numbers, income, national, quality, rules
from .actions import HOUSEHOLD_FIELDS, MEMBER_FIELDS, below_measures, income_errors
from .fields import STATUS_FIELDS
from .models import Household, IncomeRecord, Member, NationalRecord, PovertyStatus
from .sheets import HOUSEHOLD_KEYS, INCOME_KEYS, NATIONAL_COLUMNS, template_columns


def group_rows(rows: list[Row]) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        groups[row["household_no"]].append(i)
    return groups


def member_keys(rows: list[Row]) -> list[str]:
    """The member fields a file's rows hold (they all have its sheet's keys)."""
    return [k for k in MEMBER_FIELDS if rows and k in rows[0] and k != "phone"]


def member_values(rows: list[Row], indices: Iterable[int], keys: list[str]) -> dict[int, dict[str, Any]]:
    """The member fields (`member_keys`) of these rows, by index: made a household at a time, since a
    dict of every row's fields would be the biggest thing in memory."""
    return {i: _member_values(rows[i], keys) for i in indices}


def _member_values(row: Row, keys: list[str]) -> dict[str, Any]:
    values = {k: row[k] for k in keys}
    values["phone"] = row.get("member_phone", "")
    values["document_type"] = values.get("document_type") or "1"
    values["ethnicity"] = values.get("ethnicity") or "01"
    return values


def _household_values(row: Row, is_national: bool) -> dict[str, Any]:
    values = {k: row[k] for k in HOUSEHOLD_KEYS if k in row}
    values["household_no"] = row["household_no"]
    values["identification_standard"] = values.get("identification_standard") or "1"
    if is_national:  # the list's 户类型 says whether the household has exited (一般脱贫户, 低保脱贫户, …)
        label = code_list(Kind.HOUSEHOLD_ATTRIBUTE).label(row.get("household_attribute"))
        values["poverty_status"] = PovertyStatus.EXITED if label.endswith("脱贫户") else PovertyStatus.NOT_EXITED
    values["poverty_status"] = values.get("poverty_status") or PovertyStatus.NOT_EXITED
    return values


# Region of each row ------------------------------------------------------------------------------


def _regions_by_code(rows: list[Row], by) -> tuple[list[str | None], list[str]]:
    codes = {row["region_id"] for row in rows if row.get("region_id")}
    villages = set(
        access.visible_to(Region.objects.filter(code__in=bulk.among(codes), level=Level.VILLAGE), by).values_list(
            "code", flat=True
        )
    )
    found = [row.get("region_id") if row.get("region_id") in villages else None for row in rows]
    return found, ["region_id"] * len(rows)


def _regions_by_name(rows: list[Row], by) -> tuple[list[str | None], list[str]]:
    """National lists name the county, township and village; find the village in the user's region."""
    names = {row["village"] for row in rows}
    villages = list(
        access.visible_to(Region.objects.filter(level=Level.VILLAGE, name__in=bulk.among(names)), by).values_list(
            "code", "name"
        )
    )
    parent_codes = {c[:9] for c, _n in villages} | {c[:6] for c, _n in villages}
    parents = dict(Region.objects.filter(code__in=bulk.among(parent_codes)).values_list("code", "name"))
    by_path: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for code, name in villages:
        by_path[(parents.get(code[:6], ""), parents.get(code[:9], ""), name)].append(code)
    found: list[str | None] = []
    for row in rows:
        codes = by_path.get((row["county"], row["township"], row["village"]), [])
        found.append(codes[0] if len(codes) == 1 else None)
    return found, ["village"] * len(rows)


# Validation --------------------------------------------------------------------------------------


def _not_in_scope(region_key: str) -> str:
    if region_key == "village":
        return _("No village of that county and township with this name in your jurisdiction.")
    return _("Choose a village inside your jurisdiction.")


def _existing_households(numbers: Iterable[str]) -> dict[str, tuple[int, str]]:
    households = Household.objects.filter(household_no__in=bulk.among(numbers)).order_by()
    return {no: (pk, region) for pk, no, region in households.values_list("pk", "household_no", "region_id")}


def _current_members(id_list: Iterable[str]) -> dict[str, tuple[str, str, str]]:
    """ID number → (household number, village name and code) of the household each person is in now."""
    members = Member.objects.filter(id_number__in=bulk.among(id_list), left_on__isnull=True).order_by()
    return _households_of(members.values_list("id_number", "household_id"))


def _numbered_members(numbers: Iterable[str]) -> dict[str, tuple[str, str, str]]:
    """Member number → (household number, village name and code) of the member who has it, current or not."""
    members = Member.objects.filter(member_no__in=bulk.among(numbers)).order_by()
    return _households_of(members.values_list("member_no", "household_id"))


def _households_of(key_and_household: Iterable[tuple[str, int]]) -> dict[str, tuple[str, str, str]]:
    """Key → (household number, village name, village code), from (key, household id) pairs. Two
    queries: joined in one, the planner expects every member to be found and reads every household of
    the registry, when a new county's file finds next to none."""
    household_of = dict(key_and_household)
    households = Household.objects.filter(pk__in=bulk.among(set(household_of.values()))).order_by()
    where = {
        pk: (no, name, code)
        for pk, no, name, code in households.values_list("pk", "household_no", "region__name", "region_id")
    }
    return {key: where[pk] for key, pk in household_of.items()}


def _registered_elsewhere(rows: list[Row], by, found: dict, key: str, detailed: str, errors: list[RowErrors]) -> int:
    """Mark the rows whose `key` (ID or member number) another household holds: in detail when that
    household is in the user's jurisdiction, else only that it is elsewhere (see registry.elsewhere).
    Returns how many were outside."""
    outside = 0
    for i, row in enumerate(rows):
        other = found.get(row.get(key))
        if not other or other[0] == row["household_no"] or (key == "id_number" and row.get("left_on")):
            continue
        if access.covers(by, other[2]):
            errors[i][key] = detailed % {"no": other[0], "village": other[1]}
        else:
            errors[i][key] = elsewhere.outside_message()
            outside += 1
    return outside


_SAME_AS_ROW = {
    "id_number": gettext_lazy("Same ID number as row %(row)s."),
    "member_no": gettext_lazy("Same member number as row %(row)s."),
}


def _one_message_for_all(errors: list[RowErrors], message: str, count: int) -> None:
    """Too many people of the file are registered outside the jurisdiction to say which: the rows lose
    that mark, and the first row of the file says how many there are."""
    for row_errors in errors:
        for key in ("id_number", "member_no"):
            if row_errors.get(key) == message:
                del row_errors[key]
    errors[0][""] = _(
        "%(n)s people in this file are registered in households outside your jurisdiction; so many are not "
        "listed one by one. Ask the county office to check the file."
    ) % {"n": count}


def _numbers_twice(rows: list[Row]) -> dict[int, RowErrors]:
    """The rows whose ID or member number an earlier row of the file has, with the earlier row's number."""
    first_row: dict[tuple[str, str], int] = {}
    found: dict[int, RowErrors] = defaultdict(dict)
    for i, row in enumerate(rows):
        for key, message in _SAME_AS_ROW.items():
            number = row.get(key)
            if not number:
                continue
            if (key, number) in first_row:
                found[i][key] = message % {"row": first_row[key, number] + 2}
            else:
                first_row[key, number] = i
    return found


def make_rules(is_national: bool) -> dict[str, Callable]:
    """The sheet's `validate`, and its `recheck`: the rules that read the registry (scope, household
    numbers, people and member numbers registered elsewhere, measures' income), which committing runs
    again (people and member numbers through the database's constraints)."""

    def file_errors(rows: list[Row]) -> list[RowErrors]:
        errors: list[RowErrors] = [{} for _row in rows]
        today = timezone.localdate()
        largest = national.largest_amount(today) if is_national else None
        twice = _numbers_twice(rows)
        keys = member_keys(rows)
        for indices in group_rows(rows).values():
            members = member_values(rows, indices, keys)
            for i in indices:
                errors[i].update(rules.member_errors(members[i], today)[0])
                errors[i].update(twice.get(i, {}))
            _check_household(rows, members, indices, errors, is_national, today)
            if is_national:
                head = head_row(rows, indices)
                for key, message in national.row_errors(rows[head], today, largest).items():
                    errors[head].setdefault(key, message)
        return errors

    def registry_errors(rows: list[Row], by, *, people: bool = True) -> list[RowErrors]:
        errors: list[RowErrors] = [{} for _row in rows]
        regions, region_keys = (_regions_by_name if is_national else _regions_by_code)(rows, by)
        existing = _existing_households({row["household_no"] for row in rows})
        others = _current_members({row["id_number"] for row in rows}) if people else {}
        numbered = _numbered_members({row["member_no"] for row in rows if row.get("member_no")}) if people else {}
        measure_parts = _measure_parts(existing) if not is_national else {}
        for i, row in enumerate(rows):
            known = existing.get(row["household_no"])
            if known and not access.covers(by, known[1]):
                errors[i]["household_no"] = _("This household number belongs to a household outside your jurisdiction.")
        outside = _registered_elsewhere(
            rows,
            by,
            others,
            "id_number",
            _("This person is already a member of household %(no)s (%(village)s)."),
            errors,
        )
        outside += _registered_elsewhere(
            rows,
            by,
            numbered,
            "member_no",
            _("This member number belongs to a member of household %(no)s (%(village)s)."),
            errors,
        )
        if outside > elsewhere.LOOKUPS_PER_HOUR:  # a file is no way to sound out the register either
            _one_message_for_all(errors, elsewhere.outside_message(), outside)
        for indices in group_rows(rows).values():
            head = head_row(rows, indices)
            if regions[head] is None:
                errors[head][region_keys[head]] = _not_in_scope(region_keys[head])
            if not is_national and existing.get(rows[head]["household_no"]):
                _check_measure_parts(rows[head], measure_parts, errors[head])
        return errors

    def validate(rows: list[Row], by) -> list[RowErrors]:
        progress.step(gettext_noop("Checking people and households"), 80)
        errors = file_errors(rows)
        progress.step(gettext_noop("Checking against the registry"), 100)
        for row_errors, found in zip(errors, registry_errors(rows, by), strict=True):
            for key, message in found.items():
                row_errors.setdefault(key, message)
        return errors

    def recheck(rows: list[Row], by) -> list[RowErrors]:
        # Without looking the people up again (half a second for a county's 3·10^5): an ID or member
        # number registered in another household since the check breaks member_current_id_unique or
        # member_no_unique when written, which the commit reports as a change since the preview.
        return registry_errors(rows, by, people=False)

    return {"validate": validate, "recheck": recheck}


def _measure_parts(numbers: Iterable[str]) -> dict[tuple[str, int], Mapping]:
    """(household number, year) → the part of that income record paid by assistance measures."""
    records = IncomeRecord.objects.filter(household__household_no__in=bulk.among(numbers)).exclude(from_measures={})
    return {
        (no, year): parts for no, year, parts in records.values_list("household__household_no", "year", "from_measures")
    }


def _check_measure_parts(row: Row, measure_parts: dict, errors: RowErrors) -> None:
    """A file's income items are totals: none may fall below what delivered measures paid into it."""
    parts = measure_parts.get((row["household_no"], row.get("income_year")))
    for name, message in below_measures(row, parts).items():
        errors.setdefault(name, message)


def head_row(rows: list[Row], indices: list[int]) -> int:
    """The row household columns are read from: the current head's, else the household's first."""
    heads = [i for i in indices if rows[i]["relation_to_head"] == rules.HEAD and not rows[i].get("left_on")]
    return heads[0] if heads else indices[0]


def _check_household(
    rows: list[Row],
    members: Mapping[int, dict],
    indices: list[int],
    errors: list[RowErrors],
    is_national: bool,
    today: dt.date,
) -> None:
    """Whole-household rules, reported on the head's row."""
    head = head_row(rows, indices)
    for message in rules.composition_errors([members[i] for i in indices]):
        errors[head].setdefault("relation_to_head", message)
    values = _household_values(rows[head], is_national)
    for name, message in rules.household_errors(values, today).items():
        errors[head].setdefault(name, message)
    if not is_national:
        for name in ("household_attribute", "main_cause", "region_id"):
            if not values.get(name):
                errors[head].setdefault(name, _("Fill in on the head's row."))
        for i in indices:
            if i == head:
                continue
            for key in (*HOUSEHOLD_KEYS, *INCOME_KEYS):
                if rows[i].get(key) not in (None, "", False, []) and rows[i][key] != rows[head].get(key):
                    errors[i].setdefault(key, _("Differs from the head's row; household columns are read from there."))
        income_errors = _income_errors(rows[head])
        for name, message in income_errors.items():
            errors[head].setdefault(name, message)


def _income_errors(row: Row) -> dict[str, str]:
    items = {k: row.get(k) for k in INCOME_KEYS[1:]}
    if row.get("income_year") is None:
        if any(v is not None for v in items.values()):
            return {"income_year": _("Give the year of these income items.")}
        return {}
    return income_errors(row["income_year"], items)


# Commit ------------------------------------------------------------------------------------------

SUMMARY_FIELDS = ["head_name", "size", "income_year", "net_income_per_capita"]
HOUSEHOLD_UPDATE_FIELDS = [*HOUSEHOLD_FIELDS, *SUMMARY_FIELDS]
MEMBER_UPDATE_FIELDS = [*MEMBER_FIELDS, "sex", "birth_date"]
INCOME_FIELDS = [*income.ITEMS, *income.RECORDED_ONLY]
INCOME_UPDATE_FIELDS = [*INCOME_FIELDS, *income.STORED]
NATIONAL_UPDATE_FIELDS = [*national.VALUE_FIELDS, "source_file", "source_batch"]
# A new member's or income's household, until the household has its id.
OWNER = "household"


def _set(record: dict[str, Any], values: dict[str, Any]) -> bool:
    """Give `record` these values; whether anything changed."""
    changed = False
    for name, value in values.items():
        if record.get(name) != value:
            record[name] = value
            changed = True
    return changed


class Plan:
    """What committing a file will write, as whole rows (see fupin.lib.bulk), then written in bulk."""

    def __init__(self, now=None):
        self.now = now or timezone.now()  # one moment for every block of a file, in its history rows
        self.households: list[dict] = []  # every household of the block
        self.new_households: list[dict] = []
        self.changed_households: list[dict] = []
        self.new_members: list[dict] = []
        self.changed_members: list[dict] = []
        self.new_incomes: list[dict] = []
        self.changed_incomes: list[dict] = []
        self.new_national: list[dict] = []
        self.changed_national: list[dict] = []
        self.unchanged = 0
        self.reported_only = 0  # households whose national record alone is new or changed
        self.makers: dict[type, Callable[[dict], dict]] = {}

    def new(self, model, values: dict[str, Any], owner: dict | None = None) -> dict:
        if model not in self.makers:
            self.makers[model] = bulk.row_maker(model, self.now)
        row = self.makers[model](values)
        if owner is not None and owner.get("id") is None:
            row[OWNER] = owner
        return row

    def write(self, by, reason: str) -> None:
        history = bulk.History(user_id=by.pk, reason=reason, date=self.now)
        # 256 MiB, not the default 512: an import of the largest file must stay within 1 GB in all
        with bulk.large_cache(256):
            bulk.insert(Household, self.new_households, history=history)
            for row in (*self.new_members, *self.new_incomes, *self.new_national):
                if OWNER in row:
                    row["household_id"] = row.pop(OWNER)["id"]
            bulk.update(Household, self.changed_households, HOUSEHOLD_UPDATE_FIELDS, history=history)
            bulk.insert(Member, self.new_members, history=history)
            bulk.update(Member, self.changed_members, MEMBER_UPDATE_FIELDS, history=history)
            bulk.insert(IncomeRecord, self.new_incomes, history=history)
            bulk.update(IncomeRecord, self.changed_incomes, INCOME_UPDATE_FIELDS, history=history)
            bulk.insert(NationalRecord, self.new_national, history=history)
            bulk.update(NationalRecord, self.changed_national, NATIONAL_UPDATE_FIELDS, history=history)
        if touched := [row["household_id"] for row in (*self.new_national, *self.changed_national)]:
            national.written(by=by, household_ids=touched)

    def summary(self) -> dict[str, int]:
        changed = len(self.new_households) + len(self.changed_households) + self.reported_only
        return {
            "changed": changed,
            "unchanged": self.unchanged,
            "households_created": len(self.new_households),
            "households_updated": len(self.changed_households),
            "members_created": len(self.new_members),
            "members_updated": len(self.changed_members),
            "incomes_written": len(self.new_incomes) + len(self.changed_incomes),
            "national_records_written": len(self.new_national) + len(self.changed_national),
        }


def _load(numbers: Iterable[str]) -> tuple[dict[str, dict], dict[int, list[dict]], dict[tuple, dict]]:
    """The households with these numbers, their members and incomes, as whole rows."""
    found = Household.objects.filter(household_no__in=bulk.among(numbers)).order_by()
    households = {h["household_no"]: h for h in found.values()}
    ids = bulk.among(h["id"] for h in households.values())
    members: dict[int, list[dict]] = defaultdict(list)
    for member in Member.objects.filter(household_id__in=ids).order_by("pk").values():
        members[member["household_id"]].append(member)
    incomes = {
        (r["household_id"], r["year"]): r for r in IncomeRecord.objects.filter(household_id__in=ids).order_by().values()
    }
    return households, members, incomes


def _plan_members(plan: Plan, household: dict, existing: list[dict], members: Mapping[int, dict], indices) -> bool:
    by_no = {m["member_no"]: m for m in existing if m["member_no"]}
    by_id = {m["id_number"]: m for m in existing}
    changed = False
    for i in indices:
        values = members[i]
        values.update(id_numbers.derived(values["id_number"]))
        member = by_no.get(values.get("member_no")) or by_id.get(values["id_number"])
        if member is None:
            member = plan.new(Member, {**values, "household_id": household.get("id")}, owner=household)
            plan.new_members.append(member)
            existing.append(member)
            changed = True
        elif _set(member, values):
            plan.changed_members.append(member)
            changed = True
    return changed


def _plan_income(plan: Plan, household: dict, row: Row, incomes: dict[tuple, dict]) -> bool:
    year = row.get("income_year")
    if not year:
        return False
    items = {k: row.get(k) or 0 for k in INCOME_FIELDS}
    result = income.compute(items, household["size"])
    values = {**items, **result.stored()}
    record = incomes.get((household.get("id"), year))
    changed = False
    if record is None:
        values.update(household_id=household.get("id"), year=year)
        plan.new_incomes.append(plan.new(IncomeRecord, values, owner=household))
        changed = True
    elif _set(record, values):
        plan.changed_incomes.append(record)
        changed = True
    if household["income_year"] is None or year >= household["income_year"]:
        household["income_year"], household["net_income_per_capita"] = year, result.net_income_per_capita
    return changed


def _flagged(written: dict[int, str]) -> int:
    """How many of the file's households (id → village) the data-quality checks flag. Queried by
    village: a list of 10^5 household ids would cost more than the checks. The villages go as a list of
    values, which PostgreSQL estimates village by village and reads through the region index
    (`bulk.among`'s subquery read every household of the registry). A file (at most
    FUPIN_IMPORT_MAX_BYTES) spans at most a few thousand villages, far below the parameters a query may
    carry (65,535 on PostgreSQL)."""
    villages = sorted(set(written.values()))
    flagged = quality.flagged(Household.objects.filter(region_id__in=villages), timezone.localdate())
    return len(flagged & written.keys())


def _status_from_procedures(values: dict[str, Any], is_new: bool) -> dict[str, Any]:
    """An import that is not a migration brings no poverty status: a new household is an applicant until
    identification decides, and a household already registered keeps the status its procedures gave."""
    values = {k: v for k, v in values.items() if k not in STATUS_FIELDS}
    if is_new:
        values["poverty_status"] = PovertyStatus.APPLICANT
    return values


def _national_records(households: Iterable[dict], data_date: dt.date | None) -> dict[int, dict]:
    """The national records of these households for the list's data date, by household id."""
    if data_date is None:
        return {}
    ids = bulk.among(h["id"] for h in households)
    found = NationalRecord.objects.filter(household_id__in=ids, data_date=data_date).order_by()
    return {r["household_id"]: r for r in found.values()}


def _plan_national_record(plan: Plan, household: dict, row: Row, records: dict[int, dict], source: Source) -> bool:
    """Keep what the list says of the household on its data date. Loading the same list again changes
    nothing: only its values are compared, not the file that brought them."""
    if source.data_date is None:
        return False
    household_type = code_list(Kind.HOUSEHOLD_ATTRIBUTE).label(row.get("household_attribute"))
    values = national.record_values(row, source.data_date, household_type)
    record = records.get(household.get("id"))
    provenance = {"source_file": source.file_name[:255], "source_batch": source.batch_id}
    if record is None:
        values.update(household_id=household.get("id"), **provenance)
        plan.new_national.append(plan.new(NationalRecord, values, owner=household))
        return True
    if _set(record, values):
        record.update(provenance)
        plan.changed_national.append(record)
        return True
    return False


def _insured_from_serious_illness(members: Iterable[dict]) -> None:
    """The national list says only whether a person has 大病保险. 城乡居民大病保险 is bought from and open
    only to the members of basic medical insurance (城乡居民基本医疗保险), so "是" says the person has
    basic insurance too. "否" says nothing of it: the record keeps what it knew."""
    for values in members:
        if values.get("has_serious_illness_insurance"):
            values["has_medical_insurance"] = True


BLOCK = 5000  # households planned and written at a time: memory stays flat however long the file


def make_apply(is_national: bool, migration: bool):
    def apply(rows: list[Row], by, source: Source) -> dict[str, int]:
        reason = source.reason
        if migration:
            reason = _("Migration, with the statuses the file gives: %(reason)s") % {"reason": reason}
        progress.step(gettext_noop("Comparing with the registry"), 8)
        regions = (_regions_by_name if is_national else _regions_by_code)(rows, by)[0]
        groups = list(group_rows(rows).items())
        progress.step(gettext_noop("Writing households, members and incomes"), 90)
        now, written = timezone.now(), {}
        totals = Counter(dict.fromkeys(Plan(now).summary(), 0))
        for start in range(0, len(groups), BLOCK):
            progress.advance(start, len(groups))
            plan = Plan(now)
            block = groups[start : start + BLOCK]
            _plan_block(plan, rows, block, regions, source, is_national=is_national, migration=migration)
            plan.write(by, reason)
            totals.update(plan.summary())
            written.update((h["id"], h["region_id"]) for h in plan.households)
        progress.step(gettext_noop("Running the data-quality checks"), 100)
        return {**totals, "flagged": _flagged(written)}

    return apply


def _plan_block(plan: Plan, rows: list[Row], block, regions, source: Source, *, is_national: bool, migration: bool):
    """Plan the writes of a block of the file's households (number → row indices)."""
    households, members, incomes = _load(number for number, _indices in block)
    records = _national_records(households.values(), source.data_date) if is_national else {}
    file_members = member_values(rows, (i for _number, indices in block for i in indices), member_keys(rows))
    if is_national:
        _insured_from_serious_illness(file_members.values())
    household_fields = set(HOUSEHOLD_FIELDS)
    for number, indices in block:
        head = head_row(rows, indices)
        values = {k: v for k, v in _household_values(rows[head], is_national).items() if k in household_fields}
        values["region_id"] = regions[head]
        household = households.get(number)
        is_new = household is None
        if not migration:
            values = _status_from_procedures(values, is_new)
        household = household or plan.new(Household, {})
        changed = _set(household, values)
        existing = members[household["id"]] if not is_new else []
        changed |= _plan_members(plan, household, existing, file_members, indices)
        current = [m for m in existing if m["left_on"] is None]
        head_name = next((m["name"] for m in current if m["relation_to_head"] == rules.HEAD), "")
        changed |= _set(household, {"head_name": head_name, "size": len(current)})
        before = (household["income_year"], household["net_income_per_capita"])
        reported = is_national and _plan_national_record(plan, household, rows[head], records, source)
        if not is_national:
            changed |= _plan_income(plan, household, rows[head], incomes)
        changed |= before != (household["income_year"], household["net_income_per_capita"])
        plan.households.append(household)
        if is_new:
            plan.new_households.append(household)
        elif changed:
            plan.changed_households.append(household)
        elif reported:  # only what the list reports changed: the household's own record stays as it is
            plan.reported_only += 1
        else:
            plan.unchanged += 1


def _template_sheet(kind: str, title, permission: str, migration: bool) -> SheetSpec:
    return register(
        SheetSpec(
            kind=kind,
            title=title,
            version=1,
            permission=permission,
            columns=template_columns(),
            **make_rules(is_national=False),
            apply=make_apply(is_national=False, migration=migration),
            report_url="registry:quality",
        )
    )


TEMPLATE_SHEET = _template_sheet(
    "households", gettext_lazy("Households and members (template)"), Perm.IMPORT_HOUSEHOLDS, migration=False
)
# The same columns for an administrator's migration from an earlier system (and the commands).
MIGRATION_SHEET = _template_sheet(
    "households_migration",
    gettext_lazy("Households and members (template), migrated with their statuses"),
    Perm.MIGRATE_HOUSEHOLDS,
    migration=True,
)
NATIONAL_SHEET = register(
    SheetSpec(
        kind="households_national",
        title=gettext_lazy("National system person list"),
        version=1,
        permission=Perm.MIGRATE_HOUSEHOLDS,  # a migration from the national system, statuses included
        columns=NATIONAL_COLUMNS,
        **make_rules(is_national=True),
        apply=make_apply(is_national=True, migration=True),
        allow_extra_columns=True,
        report_url="registry:quality",
        asks_data_date=True,
    )
)


@bulk.gc_paused()
def load(rows: list[Row], by, *, spec: SheetSpec = None, reason: str = "", dry_run: bool = False):
    """Check parsed rows with the sheet's rules and, if none fails and not `dry_run`, write them in one
    transaction. Returns (errors by row, summary). Used by the commands that bypass a file."""
    from django.db import transaction

    spec = spec or MIGRATION_SHEET  # a command is an administrator's migration
    errors = spec.validate(rows, by)
    if any(errors) or dry_run:
        return errors, {}
    with transaction.atomic():
        return errors, spec.apply(rows, by, Source(reason))
