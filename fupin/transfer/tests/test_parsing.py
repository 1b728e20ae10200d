"""Cells to values, column by column: what each row gets when cells are missing, short or wrong."""

from fupin.transfer.pipeline import check_rows
from fupin.transfer.spec import Column, SheetSpec, optional, parse_int, parse_yes_no

SPEC = SheetSpec(
    kind="parsing_test",
    title="test",
    version=1,
    permission="",
    columns=[
        Column("size", "人数", parse=parse_int),
        Column("note", "备注", required=False, parse=optional(str, "")),
        Column("flag", "是否", required=False, parse=optional(parse_yes_no, False)),
    ],
    validate=lambda rows, by: [{} for _row in rows],
    apply=lambda rows, by, reason: {},
)


def test_each_cell_gets_its_value_or_its_error_whatever_the_row_lengths():
    body = [["3", "甲", "是"], ["", "乙"], ["三"], [], ["4", "", "也许"]]
    parsed = check_rows(SPEC, ["人数", "备注", "是否"], body, by=None)
    values, errors = parsed.values, parsed.errors
    assert values == [
        {"size": 3, "note": "甲", "flag": True},
        {"size": None, "note": "乙", "flag": False},
        {"size": None, "note": "", "flag": False},
        {"size": None, "note": "", "flag": False},
        {"size": 4, "note": "", "flag": None},
    ]
    assert [sorted(e) for e in errors] == [[], ["size"], ["size"], ["size"], ["flag"]]
    assert "“三”" in errors[2]["size"] and "“也许”" in errors[4]["flag"]


def test_a_column_missing_from_the_file_is_empty_in_every_row():
    parsed = check_rows(SPEC, ["人数"], [["1"], ["2"]], by=None)
    values, errors = parsed.values, parsed.errors
    assert values == [{"size": 1, "note": "", "flag": False}, {"size": 2, "note": "", "flag": False}]
    assert errors == [{}, {}]


def test_repeated_texts_get_the_same_value_or_error_beyond_the_texts_kept(monkeypatch):
    monkeypatch.setattr("fupin.transfer.pipeline.REMEMBERED_TEXTS", 2)
    parsed = []

    def counted(text):
        parsed.append(text)
        return parse_int(text)

    spec = SheetSpec(**{**SPEC.__dict__, "columns": [Column("size", "人数", parse=counted)]})
    body = [["1"], ["三"], ["2"], ["1"], ["三"], ["2"], ["2"]]
    result = check_rows(spec, ["人数"], body, by=None)
    values, errors = result.values, result.errors
    assert [v["size"] for v in values] == [1, None, 2, 1, None, 2, 2]
    assert [bool(e) for e in errors] == [False, True, False, False, True, False, False]
    assert errors[1] == errors[4]
    assert parsed == ["1", "三", "2", "2", "2"]  # the first two texts kept, the third parsed each time
