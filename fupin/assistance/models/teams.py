"""Who is stationed in the village (驻村工作队 / 第一书记) and who links it from the county (包联).

A unit stations a work team in a village for a tenure; its members are cadres of that unit, one of
them the first secretary. Whether they actually stay is recorded as days in the village per month
(attendance) and as spot checks by inspectors. Tenures are closed, never deleted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .pairings import AssistingUnit, Cadre


def _ends_after_start(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(end_on__isnull=True) | Q(end_on__gte=F("start_on")), name=name)


class WorkTeam(models.Model):
    village = models.ForeignKey(
        "regions.Region", verbose_name=_("village"), on_delete=models.PROTECT, related_name="work_teams"
    )
    unit = models.ForeignKey(
        AssistingUnit, verbose_name=_("dispatching unit"), on_delete=models.PROTECT, related_name="work_teams"
    )
    start_on = models.DateField(_("stationed from"))
    end_on = models.DateField(_("until"), null=True, blank=True)  # the planned or actual end of the tenure
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    region_scope = "village_id"

    class Meta:
        verbose_name = _("village work team")
        verbose_name_plural = _("village work teams")
        ordering = ["village", "-start_on"]
        constraints = [_ends_after_start("work_team_ends_after_start")]

    def __str__(self) -> str:
        return _("%(unit)s team in %(village)s") % {"unit": self.unit.name, "village": self.village.name}

    def get_absolute_url(self) -> str:
        return reverse("assistance:team", args=[self.pk])


class TeamRole(models.TextChoices):
    FIRST_SECRETARY = "first_secretary", _("first secretary")
    LEADER = "leader", _("team leader")
    MEMBER = "member", _("team member")


class TeamMember(models.Model):
    team = models.ForeignKey(WorkTeam, on_delete=models.PROTECT, related_name="members")
    cadre = models.ForeignKey(Cadre, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="team_posts")
    role = models.CharField(_("role"), max_length=16, choices=TeamRole.choices)
    start_on = models.DateField(_("from"))
    end_on = models.DateField(_("until"), null=True, blank=True)
    end_reason = models.CharField(_("why it ended"), max_length=200, blank=True)

    region_scope = "team__village_id"

    class Meta:
        verbose_name = _("work team member")
        verbose_name_plural = _("work team members")
        ordering = ["team", "role", "start_on", "id"]
        constraints = [_ends_after_start("team_member_ends_after_start")]

    def __str__(self) -> str:
        return f"{self.cadre.name}（{self.get_role_display()}）"


class Attendance(models.Model):
    """Days a team member spent in the village in one month (驻村考勤)."""

    member = models.ForeignKey(TeamMember, on_delete=models.PROTECT, related_name="attendance")
    month = models.DateField(_("month"))  # its first day
    days = models.PositiveSmallIntegerField(_("days in the village"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    region_scope = "member__team__village_id"

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["-month", "member"]
        constraints = [
            models.UniqueConstraint(fields=["member", "month"], name="attendance_one_per_member_month"),
            models.CheckConstraint(condition=Q(days__lte=31), name="attendance_days_in_a_month"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.month:%Y-%m} {self.days}"


class SpotCheck(models.Model):
    """抽查: an inspector found a team member in the village, or not."""

    member = models.ForeignKey(TeamMember, on_delete=models.PROTECT, related_name="spot_checks")
    checked_on = models.DateField(_("checked on"))
    present = models.BooleanField(_("present"))
    checked_by = models.CharField(_("checked by"), max_length=100)  # the inspector's name and unit
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    region_scope = "member__team__village_id"

    class Meta:
        verbose_name = _("spot check")
        verbose_name_plural = _("spot checks")
        ordering = ["-checked_on", "-id"]

    def __str__(self) -> str:
        return f"{self.member_id} {self.checked_on} {self.present}"


class LeaderLink(models.Model):
    """包联: a county leader answers for a township or a village for a period."""

    leader_name = models.CharField(_("leader"), max_length=50)
    leader_post = models.CharField(_("post"), max_length=50)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("township or village"), on_delete=models.PROTECT, related_name="leader_links"
    )
    start_on = models.DateField(_("from"))
    end_on = models.DateField(_("until"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    region_scope = "region_id"

    class Meta:
        verbose_name = _("leader's link")
        verbose_name_plural = _("leaders' links")
        ordering = ["region", "-start_on"]
        constraints = [_ends_after_start("leader_link_ends_after_start")]

    def __str__(self) -> str:
        return f"{self.leader_name} → {self.region_id}"
