import datetime as dt

from django.test import SimpleTestCase
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric

from fupin.regions.models import Level, Region
from fupin.registry import id_numbers
from fupin.test import BaseTestCase

TODAY = dt.date(2026, 11, 21)
births = st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY)
sequences = st.integers(min_value=0, max_value=999)


@given(born=births, sequence=sequences)
def test_a_made_number_passes_and_tells_its_birth_date_and_sex(born, sequence):
    number = id_numbers.make("110101", born, sequence)
    result = id_numbers.check(number, today=TODAY, check_birthplace=False)
    assert result.ok, result.errors
    assert id_numbers.birth_date(number) == born
    assert id_numbers.sex(number) == ("1" if sequence % 2 else "2")


@given(born=births, sequence=sequences, position=st.integers(0, 17), digit=st.sampled_from("0123456789X"))
def test_any_single_changed_character_is_caught(born, sequence, position, digit):
    number = id_numbers.make("110101", born, sequence)
    if number[position] == digit or (digit == "X" and position < 17):
        return
    changed = number[:position] + digit + number[position + 1 :]
    assert not id_numbers.check(changed, today=TODAY, check_birthplace=False).ok


def test_impossible_and_future_birth_dates_are_errors():
    base = "11010119990230001"  # 30 February
    number = base + ric.calc_check_digit(base + "0")
    errors = id_numbers.check(number, today=TODAY).errors
    assert len(errors) == 1 and "19990230" in errors[0]
    future = id_numbers.make("110101", dt.date(2027, 1, 1), 1)
    assert id_numbers.check(future, today=TODAY).errors
    old = id_numbers.make("110101", dt.date(1899, 12, 31), 1)
    assert id_numbers.check(old, today=TODAY).errors


def test_length_and_characters():
    assert id_numbers.check("12345", today=TODAY).errors
    assert id_numbers.check("11010119900307123A", today=TODAY).errors


def test_normalize_accepts_full_width_digits_spaces_and_lower_case_x():
    number = id_numbers.make("110101", dt.date(1990, 3, 7), 123)
    typed = " ".join(number[:-1]).translate(str.maketrans("0123456789", "０１２３４５６７８９")) + number[-1].lower()
    assert id_numbers.normalize(typed) == number


def test_mask_keeps_prefix_and_last_four():
    assert id_numbers.mask("410102199003071234") == "410102********1234"
    assert id_numbers.mask("123") == "***"


def test_a_disability_card_number_is_checked_on_its_id_part():
    number = id_numbers.make("110101", dt.date(1990, 3, 7), 123)
    assert id_numbers.check(number + "42", today=TODAY, check_birthplace=False).ok
    assert id_numbers.check(number + "4A", today=TODAY, check_birthplace=False).errors


def test_age_on_counts_whole_years():
    assert id_numbers.age_on(dt.date(2010, 11, 22), TODAY) == 15
    assert id_numbers.age_on(dt.date(2010, 11, 21), TODAY) == 16


class BirthplaceTestCase(BaseTestCase):
    def test_an_abolished_county_code_is_known_and_an_invented_one_only_warns(self):
        # 110103 崇文区 was merged into 东城区 in 2010; people born there keep the code.
        old = id_numbers.make("110103", dt.date(1980, 5, 1), 12)
        self.assertEqual(id_numbers.check(old, today=TODAY).warnings, [])
        # 三原县 610422 existed from 1983 only; an ID of someone born in 1978 is still real.
        self.assertEqual(
            id_numbers.check(id_numbers.make("610422", dt.date(1978, 11, 20), 695), today=TODAY).warnings, []
        )
        invented = id_numbers.make("129999", dt.date(1980, 5, 1), 12)
        result = id_numbers.check(invented, today=TODAY)
        self.assertTrue(result.ok)
        self.assertEqual(len(result.warnings), 1)

    def test_a_county_created_after_2019_is_known_from_the_regions_table(self):
        Region.objects.create(code="419999", name="新设县", level=Level.COUNTY, parent_id="4117")
        self.assertNotIn("419999", id_numbers.historical_county_codes())
        self.assertEqual(id_numbers.check(id_numbers.make("419999", dt.date(2022, 1, 1), 1), today=TODAY).warnings, [])


class EighteenDigitsTestCase(SimpleTestCase):
    def test_a_fifteen_digit_number_gains_the_century_and_its_check_digit(self):
        converted = id_numbers.to_eighteen("411723700101011")
        self.assertEqual(converted[:14], "41172319700101")
        self.assertTrue(id_numbers.check(converted).ok)

    def test_eighteen_digits_are_normalised_and_malformed_numbers_refused(self):
        self.assertEqual(id_numbers.to_eighteen(" 41172319700101001ｘ "), "41172319700101001X")
        for bad in ("", "4117231970010100", "41172319700101001Y", "41172370010101A"):
            self.assertIsNone(id_numbers.to_eighteen(bad), bad)

    @given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(1999, 12, 31)), st.integers(0, 999))
    def test_a_converted_number_is_the_one_issued_later_for_the_same_person(self, born, sequence):
        eighteen = id_numbers.make("411723", born, sequence)
        fifteen = eighteen[:6] + eighteen[8:17]
        self.assertEqual(id_numbers.to_eighteen(fifteen), eighteen)
