"""The national administrative hierarchy, keyed by the statistical division code (统计用区划代码).

Each region keeps its code at its native length (2/4/6/9/12 digits), so "is under" is exactly
"starts with": 4117 (驻马店市) ⊃ 411723 (平舆县) ⊃ 411723101 (杨埠镇) ⊃ 411723101201. Padding to 12
digits would make 东莞 (4419) and its county row (441900) collide. Ancestors are the code's own
prefixes, so no tree library is needed.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    PROVINCE = 1, _("province")
    CITY = 2, _("city")
    COUNTY = 3, _("county")
    TOWNSHIP = 4, _("township")
    VILLAGE = 5, _("village")


CODE_LENGTHS: dict[int, int] = {
    Level.PROVINCE: 2,
    Level.CITY: 4,
    Level.COUNTY: 6,
    Level.TOWNSHIP: 9,
    Level.VILLAGE: 12,
}
LEVEL_BY_LENGTH: dict[int, int] = {length: level for level, length in CODE_LENGTHS.items()}


def level_of_code(code: str) -> int | None:
    """The level a code's length stands for, or None for a malformed code."""
    if not code.isascii() or not code.isdigit():
        return None
    return LEVEL_BY_LENGTH.get(len(code))


def ancestor_codes(code: str) -> list[str]:
    """The codes of every region above `code`, from the province down."""
    return [code[:length] for length in CODE_LENGTHS.values() if length < len(code)]


def full_name_of(code: str) -> str:
    """ "河南省驻马店市平舆县" for 411723, in one query ("市辖区" placeholders left out)."""
    names = (
        Region.objects.filter(code__in=[*ancestor_codes(code), code]).order_by("code").values_list("name", flat=True)
    )
    return "".join(name for name in names if name != "市辖区")


class RegionQuerySet(models.QuerySet):
    def under(self, code: str) -> RegionQuerySet:
        """The region `code` and everything below it (an index range scan)."""
        return self.filter(code__startswith=code)

    def level_counts(self) -> dict[int, int]:
        return {level: n for level, (n, _poor) in self.level_summary().items()}

    def level_summary(self) -> dict[int, tuple[int, int]]:
        """{level: (regions, of which designated poor)} in one GROUP BY."""
        poor = models.Q(is_poor_county=True) | models.Q(is_poor_village=True)
        rows = self.values("level").annotate(n=models.Count("code"), poor=models.Count("code", filter=poor))
        return {row["level"]: (row["n"], row["poor"]) for row in rows.order_by()}


class Region(models.Model):
    code = models.CharField(_("region code"), max_length=12, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_poor_county = models.BooleanField(_("poor county"), default=False)
    is_poor_village = models.BooleanField(_("poor village"), default=False)
    designated_year = models.PositiveSmallIntegerField(_("year designated poor"), null=True, blank=True)
    exit_year = models.PositiveSmallIntegerField(_("year of exit"), null=True, blank=True)

    objects = RegionQuerySet.as_manager()
    region_scope = "code"

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        indexes = [
            # "everything under 4117" is code LIKE '4117%': a range scan on PostgreSQL only with
            # the pattern opclass (the database collation is not C). Ignored on SQLite.
            models.Index(fields=["code"], opclasses=["varchar_pattern_ops"], name="region_code_prefix"),
            models.Index(fields=["parent", "code"], name="region_children"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_poor_county=False) | Q(level=Level.COUNTY), name="poor_county_is_county"
            ),
            models.CheckConstraint(
                condition=Q(is_poor_village=False) | Q(level=Level.VILLAGE), name="poor_village_is_village"
            ),
            models.CheckConstraint(
                condition=Q(exit_year__isnull=True)
                | (Q(designated_year__isnull=False) & Q(exit_year__gte=models.F("designated_year"))),
                name="exit_after_designation",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_poor(self) -> bool:
        return self.is_poor_county or self.is_poor_village

    @property
    def can_be_designated_poor(self) -> bool:
        return self.level in (Level.COUNTY, Level.VILLAGE)

    def ancestors(self) -> list[Region]:
        return list(Region.objects.filter(code__in=ancestor_codes(self.code)).order_by("code"))

    def full_name(self) -> str:
        return full_name_of(self.code)


class RegionSource(models.Model):
    """Which data package the hierarchy was last loaded from, so a re-run can skip unchanged data."""

    fingerprint = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(auto_now=True)
    counts = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("region data source")

    def __str__(self) -> str:
        return self.fingerprint[:12]
