"""National poverty lines (../shared/domain.md §4.1): nominal yuan per person per year, national standard."""

YEARBOOK = "《云南调查年鉴2017》表4-2（国家扶贫标准说明）"

NATIONAL_LINES: list[tuple[int, int, bool, str]] = [
    (2010, 2300, True, "2010年不变价基准"),
    (2011, 2536, True, YEARBOOK),
    (2012, 2625, True, YEARBOOK),
    (2013, 2736, True, YEARBOOK),
    (2014, 2800, True, YEARBOOK),
    (2015, 2855, True, YEARBOOK),
    (2016, 2952, True, YEARBOOK),
    (2017, 2952, False, "未核实（常引国家统计局数）"),
    (2018, 2995, False, "未核实（常引国家统计局数）"),
    (2019, 3218, False, "未核实（来源较弱）"),
    (2020, 4000, False, "未核实（约4000元，脱贫验收收入口径）"),
]
