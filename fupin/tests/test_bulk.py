"""fupin.lib.bulk: rows written below the ORM read back through it exactly as if saved by it."""

import datetime as dt
import gc
from decimal import Decimal
from unittest import skipUnless
from unittest.mock import patch

from django.db import connection
from django.utils import timezone

from fupin.lib import bulk
from fupin.registry.models import Household, Member
from fupin.test import VILLAGE_A, VILLAGE_B, BaseTestCase


class BulkTestCase(BaseTestCase):
    def household(self, number: str, **values) -> dict:
        return bulk.new_row(Household, {"household_no": number, "region_id": VILLAGE_A, **values})

    def test_inserted_rows_read_back_with_their_history(self):
        rows = [self.household("H1", cultivated_land_mu=Decimal("2.50")), self.household("H2")]
        when = timezone.now()
        bulk.insert(Household, rows, history=bulk.History(user_id=self.alice.pk, reason="batch #1", date=when))
        first = Household.objects.get(household_no="H1")
        self.assertEqual(first.pk, rows[0]["id"])
        self.assertEqual(
            (first.cultivated_land_mu, first.poverty_status), (Decimal("2.50"), "applicant")
        )  # the model's default
        self.assertIsNotNone(first.created_at)
        version = first.history.get()
        self.assertEqual(
            (version.history_type, version.history_user_id, version.history_change_reason, version.history_date),
            ("+", self.alice.pk, "batch #1", when),
        )
        self.assertEqual(version.instance.cultivated_land_mu, Decimal("2.50"))

    def test_json_dates_and_foreign_keys_round_trip(self):
        bulk.insert(Household, [household := self.household("H1")])
        member = bulk.new_row(
            Member,
            {
                "household_id": household["id"],
                "name": "赵大",
                "id_number": "411723197001010011",
                "sex": "1",
                "birth_date": dt.date(1970, 1, 1),
                "relation_to_head": "01",
                "health_status": ["2", "3"],
            },
        )
        bulk.insert(Member, [member])
        saved = Member.objects.get()
        self.assertEqual(
            (saved.household_id, saved.birth_date, saved.health_status),
            (household["id"], dt.date(1970, 1, 1), ["2", "3"]),
        )

    def test_ids_are_never_handed_out_twice(self):
        bulk.insert(Household, [self.household("H1"), self.household("H2")])
        last = Household.objects.order_by("-pk").first()
        deleted = last.pk
        last.delete()
        bulk.insert(Household, [again := self.household("H3")])
        self.assertGreater(again["id"], deleted)
        created = Household.objects.create(household_no="H4", region_id=VILLAGE_A)  # the ORM counts on from there
        self.assertGreater(created.pk, again["id"])

    def test_update_sets_the_fields_stamps_the_time_and_keeps_the_version(self):
        bulk.insert(Household, [row := self.household("H1")])
        before = Household.objects.get().updated_at
        row.update(region_id=VILLAGE_B, head_name="钱二")
        bulk.update(Household, [row], ["region_id", "head_name"], history=bulk.History(user_id=None, reason="fix"))
        saved = Household.objects.get()
        self.assertEqual((saved.region_id, saved.head_name), (VILLAGE_B, "钱二"))
        self.assertGreater(saved.updated_at, before)
        self.assertEqual(list(saved.history.values_list("history_type", "region_id")), [("~", VILLAGE_B)])

    def test_among_matches_like_in(self):
        bulk.insert(Household, [self.household("H1"), self.household("H2"), self.household("H3")])
        ids = list(Household.objects.order_by("pk").values_list("pk", flat=True))
        by_number = Household.objects.filter(household_no__in=bulk.among(["H1", "H3", "H9"]))
        self.assertEqual(sorted(by_number.values_list("household_no", flat=True)), ["H1", "H3"])
        self.assertEqual(Household.objects.filter(pk__in=bulk.among(ids[:2])).count(), 2)
        self.assertEqual(Household.objects.filter(pk__in=bulk.among([])).count(), 0)

    def test_among_passes_any_text_through_unchanged(self):
        texts = ['H"1', "H\\2", "H,3", "{H4}", "NULL", " H5 ", "H'6", "户7", ""]
        with connection.cursor() as cursor:
            chosen = bulk.among([*texts, None])
            cursor.execute(chosen.sql, chosen.params)
            self.assertCountEqual([value for (value,) in cursor.fetchall()], [*texts, None])


@skipUnless(connection.vendor == "postgresql", "PostgreSQL's statistics")
class StatisticsTestCase(BaseTestCase):
    def counted(self) -> float:
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE oid = 'registry_household'::regclass")
            return cursor.fetchone()[0]

    def insert(self, first: int, count: int) -> None:
        bulk.insert(
            Household,
            [bulk.new_row(Household, {"household_no": f"H{first + i}", "region_id": VILLAGE_A}) for i in range(count)],
        )

    def test_a_table_that_at_least_doubles_is_analysed_one_that_grows_less_is_not(self):
        with patch.object(bulk, "ANALYZE_AFTER", 3):
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE registry_household")  # the statistics start from the empty table
            self.insert(0, 4)
            self.assertEqual(self.counted(), 4)
            self.insert(4, 4)  # doubles
            self.assertEqual(self.counted(), 8)
            self.insert(8, 7)  # grows by less than it held
            self.assertEqual(self.counted(), 8)
            self.insert(15, 2)  # fewer rows than ANALYZE_AFTER
            self.assertEqual(self.counted(), 8)
        self.assertEqual(Household.objects.count(), 17)


@skipUnless(connection.vendor == "sqlite", "a SQLite setting")
class LargeCacheTestCase(BaseTestCase):
    def test_the_cache_is_raised_for_the_write_and_restored_after(self):
        def cache_size():
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size")
                return cursor.fetchone()[0]

        before = cache_size()
        with bulk.large_cache(128):
            self.assertEqual(cache_size(), -128 * 1024)
        self.assertEqual(cache_size(), before)


def test_the_cycle_collector_is_paused_inside_and_left_as_it_was_after():
    assert gc.isenabled()
    with bulk.gc_paused():
        assert not gc.isenabled()
        with bulk.gc_paused():  # nested: the outer pause goes on
            pass
        assert not gc.isenabled()
    assert gc.isenabled()

    @bulk.gc_paused()
    def failing():
        assert not gc.isenabled()
        raise RuntimeError

    try:
        failing()
    except RuntimeError:
        pass
    assert gc.isenabled()
    gc.disable()
    try:
        with bulk.gc_paused():
            pass
        assert not gc.isenabled()  # it was off before: not turned on
    finally:
        gc.enable()
