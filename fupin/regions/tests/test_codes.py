from hypothesis import given
from hypothesis import strategies as st

from fupin.regions.models import CODE_LENGTHS, Level, ancestor_codes, level_of_code

digits = st.text(alphabet="0123456789", min_size=1, max_size=14)


@given(st.sampled_from(list(Level)), st.data())
def test_a_code_of_native_length_has_its_level_and_its_prefixes_as_ancestors(level, data):
    code = data.draw(st.text(alphabet="0123456789", min_size=CODE_LENGTHS[level], max_size=CODE_LENGTHS[level]))
    assert level_of_code(code) == level
    ancestors = ancestor_codes(code)
    assert [level_of_code(a) for a in ancestors] == list(range(Level.PROVINCE, level))
    assert all(code.startswith(a) for a in ancestors)


@given(digits)
def test_only_native_lengths_are_codes(code):
    assert (level_of_code(code) is not None) == (len(code) in CODE_LENGTHS.values())


@given(st.text(min_size=1, max_size=12).filter(lambda s: not (s.isascii() and s.isdigit())))
def test_anything_but_ascii_digits_is_malformed(text):
    assert level_of_code(text) is None


def test_padding_would_collide_but_native_codes_do_not():
    # 东莞市 (city 4419) and its county-level row 441900: distinct codes, and the county lies under the city.
    assert level_of_code("4419") == Level.CITY
    assert level_of_code("441900") == Level.COUNTY
    assert ancestor_codes("441900003001") == ["44", "4419", "441900", "441900003"]
