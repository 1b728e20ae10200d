"""Synthetic households for demos and benchmarks (`manage.py generate_households`).

Households are drawn to resemble the registered population: 3.04 persons per household (89.62
million people in 29.48 million households in 2014, ../shared/domain.md §6), main causes led by
illness (the commonly quoted national profile: 因病 about 42%), nearly all exited by 2020, and
per-capita net income around 11,000 yuan with a long right tail. ID numbers have valid check digits and
the county's own prefix; villages are the county's real villages. The same seed gives the same
households, so generating twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from decimal import Decimal

from fupin.regions.models import Level, Region

from . import id_numbers

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华玉萍红娥玲芬建国建华志强春梅海燕文斌德明新民金凤小红秋菊冬梅"
)
SIZES = [(1, 18), (2, 24), (3, 21), (4, 19), (5, 11), (6, 7)]
CAUSES = [
    ("1", 42),
    ("9", 12),
    ("7", 10),
    ("8", 9),
    ("2", 8),
    ("3", 6),
    ("11", 4),
    ("4", 3),
    ("5", 2),
    ("10", 2),
    ("6", 1),
    ("99", 1),
]
ATTRIBUTES_EXITED = [("05", 80), ("02", 15), ("03", 5)]
ATTRIBUTES_POOR = [("01", 75), ("04", 20), ("06", 5)]
EXIT_YEARS = [(2014, 5), (2015, 10), (2016, 18), (2017, 20), (2018, 22), (2019, 17), (2020, 8)]
SCHOOL_BY_AGE = {6: "03", 12: "04", 13: "05", 14: "06", 15: "07", 16: "08", 17: "09"}


def _pick(rng: random.Random, weighted: list[tuple]) -> object:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


class Generator:
    def __init__(self, county: str, seed: int = 2026, today: dt.date | None = None):
        self.rng = random.Random(f"{county}:{seed}")  # noqa: S311 (synthetic data, not secrets)
        self.today = today or dt.date(2026, 1, 1)
        self.villages = list(
            Region.objects.filter(code__startswith=county, level=Level.VILLAGE)
            .order_by("code")
            .values_list("code", flat=True)
        )
        if not self.villages:
            raise ValueError(f"no villages under {county}")
        self.prefix = county[:6]
        self.serials: dict[str, int] = {}
        self.sequences: dict[dt.date, int] = {}

    def _name(self, surname: str | None = None) -> str:
        given = "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2))))
        return (surname or self.rng.choice(SURNAMES)) + given

    def _id(self, born: dt.date, male: bool) -> str:
        sequence = self.sequences.get(born, self.rng.randrange(0, 400) * 2)
        sequence += (sequence % 2 == 0) == male  # odd for men, even for women
        self.sequences[born] = sequence + 1
        return id_numbers.make(self.prefix, born, sequence % 1000)

    def _born(self, earliest: int, latest: int) -> dt.date:
        latest = min(latest, self.today.year - 1)
        day = dt.date(min(earliest, latest), 1, 1) + dt.timedelta(
            days=self.rng.randrange(0, 365 * (latest - min(earliest, latest) + 1))
        )
        return min(day, self.today - dt.timedelta(days=1))

    def _member(self, relation: str, born: dt.date, male: bool, surname: str | None) -> dict:
        age = id_numbers.age_on(born, self.today)
        school = "01"
        if 3 <= age < 6:
            school = "02"
        elif 6 <= age <= 17:
            school = SCHOOL_BY_AGE.get(age, "03")
        elif 18 <= age <= 21 and self.rng.random() < 0.3:
            school = "16"
        ill = self.rng.random()
        health = ["01"] if ill > 0.3 else [self.rng.choice(("02", "03", "04"))]
        if age < 16:
            skill = "05"
        elif age > 70 or health == ["04"] and ill < 0.1:
            skill = self.rng.choice(("04", "05"))
        else:
            skill = "01" if self.rng.random() < 0.8 else self.rng.choice(("02", "03"))
        working = skill in ("01", "02") and school == "01"
        return {
            "name": self._name(surname),
            "id_number": self._id(born, male),
            "relation_to_head": relation,
            "ethnicity": "01" if self.rng.random() < 0.95 else self.rng.choice(("03", "04", "05")),
            "education": "06" if age < 6 else self.rng.choice(("01", "02", "02", "03", "03", "04")),
            "school_status": school,
            "health_status": health,
            "labour_skill": skill,
            "work_status": self.rng.choice(("01", "02", "03", "04")) if working and self.rng.random() < 0.6 else "",
            "work_months": self.rng.randint(3, 12) if working else None,
            "has_medical_insurance": (insured := self.rng.random() > 0.002),
            "has_serious_illness_insurance": insured,  # open only to those with basic medical insurance
            "has_pension_insurance": age >= 16 and self.rng.random() < 0.9,
        }

    def _members(self, size: int) -> list[dict]:
        head_male = self.rng.random() < 0.85
        head_born = self._born(1940, 1990)
        surname = self.rng.choice(SURNAMES)
        members = [self._member("01", head_born, head_male, surname)]
        if size >= 2:
            spouse_born = self._born(head_born.year - 5, head_born.year + 5)
            members.append(self._member("02", spouse_born, not head_male, None))
        while len(members) < size:
            if len(members) >= 4 and self.rng.random() < 0.5:
                relation, born = "07", self._born(head_born.year + 45, head_born.year + 65)
            else:
                relation, born = "", self._born(head_born.year + 20, head_born.year + 40)
            male = self.rng.random() < 0.52
            relation = relation or ("03" if male else "04")
            members.append(self._member(relation, born, male, surname if male else None))
        return members

    def _income(self, members: list[dict], exited: bool) -> dict:
        per_capita = self.rng.lognormvariate(9.3 if exited else 8.1, 0.45)  # medians about 10,900 and 3,300
        net = per_capita * len(members)
        business = net * self.rng.uniform(0.1, 0.3)
        costs = business * 0.3
        transfers = net * self.rng.uniform(0.05, 0.2)
        property_income = net * self.rng.uniform(0, 0.05)
        wages = net - business - transfers - property_income + costs

        def fen(value: float) -> Decimal:
            return Decimal(str(round(max(value, 0), 2)))

        return {
            "income_year": self.today.year - 1,
            "wage_income": fen(wages),
            "business_income": fen(business),
            "business_expense": fen(costs),
            "dividend_income": fen(property_income),
            "dibao_benefit": fen(transfers * 0.4),
            "pension_benefit": fen(transfers * 0.4),
            "eco_compensation": fen(transfers * 0.2),
        }

    def household(self) -> list[dict]:
        """One household as template rows (household fields on the head's row)."""
        village = self.rng.choice(self.villages)
        serial = self.serials[village] = self.serials.get(village, 0) + 1
        size = _pick(self.rng, SIZES)
        members = self._members(size)
        exited = self.rng.random() < 0.97
        grade = (
            _pick(self.rng, [("A", 70), ("B", 28), ("C", 2)]) if not exited else _pick(self.rng, [("A", 75), ("B", 25)])
        )
        head = {
            "household_no": f"{village}{serial:04d}",
            "region_id": village,
            "group_name": f"{self.rng.randint(1, 9)}组",
            "phone": f"1{self.rng.choice('3578')}{self.rng.randrange(10**9):09d}",
            "identification_standard": "1",
            "household_attribute": _pick(self.rng, ATTRIBUTES_EXITED if exited else ATTRIBUTES_POOR),
            "main_cause": _pick(self.rng, CAUSES),
            "poverty_status": "exited" if exited else "not_exited",
            "first_identified_on": dt.date(2014, self.rng.randint(8, 12), self.rng.randint(1, 28)),
            "exit_year": _pick(self.rng, EXIT_YEARS) if exited else None,
            "planned_exit_year": None if exited else self.today.year,
            "cultivated_land_mu": Decimal(self.rng.randint(0, 80)) / 10,
            "in_cooperative": self.rng.random() < 0.6,
            "has_production_power": True,
            "has_household_power": True,
            "has_broadcast_tv": self.rng.random() < 0.97,
            "has_drinking_water_difficulty": False,
            "has_safe_drinking_water": True,
            "distance_to_main_road_km": Decimal(self.rng.randint(0, 40)) / 10,
            "access_road_type": self.rng.choice(("03", "03", "04", "02")),
            "housing_area_m2": Decimal(self.rng.randint(40, 160)),
            "is_unsafe_housing": grade in ("C", "D"),
            "housing_grade": grade,
            "has_sanitary_toilet": self.rng.random() < 0.85,
            "main_fuel": self.rng.choice(("01", "03", "04", "04")),
            **self._income(members, exited),
        }
        rows = [{**head, **members[0]}]
        rows += [{"household_no": head["household_no"], **member} for member in members[1:]]
        return rows

    def rows(self, households: int) -> Iterator[dict]:
        for _ in range(households):
            yield from self.household()
