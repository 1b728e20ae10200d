"""Work-team pages: the teams stationed in villages, a team's members, attendance and spot checks, the
month's attendance across the jurisdiction, and leaders' links."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Q, Subquery
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin import access
from fupin.lib.forms import add_errors, post_back, saved
from fupin.lib.pagination import paginate
from fupin.permissions import Perm

from . import teams
from .forms import AttendanceForm, EndPairingForm, LeaderLinkForm, SpotCheckForm, TeamForm, TeamMemberForm
from .models import Attendance, LeaderLink, SpotCheck, TeamMember, TeamRole, WorkTeam

MONTHS_SHOWN = 6


def _month(text: str | None, today: dt.date) -> dt.date:
    """A month from 'YYYY-MM' (this month when missing or malformed), as its first day."""
    try:
        return dt.date.fromisoformat(f"{text}-01")
    except ValueError:
        return today.replace(day=1)


def _months_back(month: dt.date, count: int) -> list[dt.date]:
    months = [month]
    while len(months) < count:
        first = months[-1]
        months.append((first - dt.timedelta(days=1)).replace(day=1))
    return months[::-1]


def _first_secretary_on(day: dt.date) -> Subquery:
    serving = teams.serving_on(TeamMember.objects.filter(team=OuterRef("pk"), role=TeamRole.FIRST_SECRETARY), day)
    return Subquery(serving.order_by("start_on").values("cadre__name")[:1])


@access.scoped
def team_list(request):
    today = timezone.localdate()
    found = access.visible_to(WorkTeam.objects.select_related("village", "unit"), request.user)
    region = access.requested_region(request)
    found = access.narrow(found, "village_id", region)
    show_all = request.GET.get("show") == "all"
    if not show_all:
        found = teams.serving_on(found, today)
    found = found.annotate(
        first_secretary=_first_secretary_on(today),
        member_count=Count(
            "members",
            filter=Q(members__start_on__lte=today) & (Q(members__end_on__isnull=True) | Q(members__end_on__gte=today)),
        ),
    ).order_by("village_id", "-start_on")
    context = {"page": paginate(request, found), "region": region or "", "show_all": show_all, "today": today}
    return render(request, "assistance/team_list.html", context)


def _team_page(request, team: WorkTeam | None):
    initial = {f: getattr(team, f) for f in teams.TEAM_FIELDS} if team else {"village_id": request.GET.get("village")}
    form = TeamForm(request.POST or None, initial=initial, user=request.user)
    save = lambda: teams.save_team(by=request.user, team=team, values=form.values)  # noqa: E731
    if result := saved(request, form, save, _("Work team saved.")):
        return redirect(result)
    return render(request, "assistance/team_form.html", {"form": form, "team": team})


@access.requires(Perm.MANAGE_ASSISTANCE)
def team_create(request):
    return _team_page(request, None)


@access.requires(Perm.MANAGE_ASSISTANCE)
def team_edit(request, pk: int):
    return _team_page(request, access.get_object_for_user(WorkTeam.objects.all(), request.user, pk=pk))


@access.scoped
def team_detail(request, pk: int):
    team = access.get_object_for_user(WorkTeam.objects.select_related("village", "unit"), request.user, pk=pk)
    today = timezone.localdate()
    members = list(team.members.select_related("cadre__unit"))
    months = _months_back(today.replace(day=1), MONTHS_SHOWN)[::-1]  # this month first: a phone shows it
    recorded = {(a.member_id, a.month): a for a in Attendance.objects.filter(member__team=team, month__gte=months[-1])}
    minimum = teams.min_days(team.village_id, today.year)
    grid = [(m, [(month, recorded.get((m.pk, month)), teams.served_in(m, month)) for month in months]) for m in members]
    context = {
        "team": team,
        "members": members,
        "months": months,
        "grid": grid,
        "min_days": minimum,
        "checks": SpotCheck.objects.filter(member__team=team).select_related("member__cadre")[:50],
        "can_change": request.user.has_perm(Perm.MANAGE_ASSISTANCE),
        "member_form": TeamMemberForm(team=team, prefix="member"),
        "check_form": SpotCheckForm(team=team, prefix="check"),
    }
    return render(request, "assistance/team_detail.html", context)


@access.requires(Perm.MANAGE_ASSISTANCE)
def member_add(request, pk: int):
    team = access.get_object_for_user(WorkTeam.objects.all(), request.user, pk=pk)
    form = TeamMemberForm(request.POST, team=team, prefix="member")

    def add(data):
        teams.add_member(by=request.user, team=team, cadre=data["cadre"], role=data["role"], start_on=data["start_on"])

    return post_back(request, form, add, _("Member added."), team)


@access.requires(Perm.MANAGE_ASSISTANCE)
def member_end(request, pk: int):
    member = access.get_object_for_user(TeamMember.objects.all(), request.user, pk=pk)
    form = EndPairingForm(request.POST)

    def end(data):
        teams.end_member(by=request.user, member=member, end_on=data["end_on"], reason=data["reason"])

    return post_back(request, form, end, _("The member's time on the team has ended."), member.team)


@access.requires(Perm.MANAGE_ASSISTANCE)
def spot_check_add(request, pk: int):
    team = access.get_object_for_user(WorkTeam.objects.all(), request.user, pk=pk)
    form = SpotCheckForm(request.POST, team=team, prefix="check")

    def record(data):
        teams.record_spot_check(
            by=request.user,
            member=data["member"],
            checked_on=data["checked_on"],
            present=data["present"],
            checked_by=data["checked_by"],
            note=data["note"],
        )

    return post_back(request, form, record, _("Spot check recorded."), team)


@access.scoped
def attendance_edit(request, pk: int):
    """One month's days in the village for the whole team, on one form."""
    team = access.get_object_for_user(WorkTeam.objects.select_related("village", "unit"), request.user, pk=pk)
    month = _month(request.POST.get("month") or request.GET.get("month"), timezone.localdate())
    members = [m for m in team.members.select_related("cadre", "team") if teams.served_in(m, month)]
    recorded = {a.member_id: a for a in Attendance.objects.filter(member__team=team, month=month)}
    form = AttendanceForm(request.POST or None, members=members, recorded=recorded, initial={"month": f"{month:%Y-%m}"})
    can_change = request.user.has_perm(Perm.MANAGE_ASSISTANCE)
    if request.method == "POST" and not can_change:
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        try:
            teams.record_attendance(by=request.user, team=team, month=month, days=form.days, notes=form.notes)
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, _("Attendance saved."))
            return redirect(team)
    context = {
        "team": team,
        "month": month,
        "form": form,
        "can_change": can_change,
        "min_days": teams.min_days(team.village_id, month.year),
        "month_days": teams.month_days(month),
    }
    return render(request, "assistance/attendance_form.html", context)


@access.scoped
def attendance_report(request):
    """Every member on a team in the month, with the days recorded; short and missing months first."""
    today = timezone.localdate()
    month = _month(request.GET.get("month"), today)
    rows = teams.attendance_rows(access.visible_to(TeamMember.objects.all(), request.user), month)
    region = access.requested_region(request)
    rows = access.narrow(rows, "team__village_id", region)
    summary = teams.attendance_summary(rows)
    only_short = request.GET.get("short") == "1"
    if only_short:
        rows = rows.filter(short=True)
    context = {
        "month": month,
        "page": paginate(request, rows),
        "summary": summary,
        "region": region or "",
        "only_short": only_short,
        "months": _months_back(today.replace(day=1), 12)[::-1],
    }
    return render(request, "assistance/attendance_report.html", context)


@access.scoped
def leader_links(request):
    found = access.visible_to(LeaderLink.objects.select_related("region"), request.user)
    region = access.requested_region(request)
    found = access.narrow(found, "region_id", region)
    if q := request.GET.get("q", "").strip():
        found = found.filter(leader_name__contains=q)
    show_all = request.GET.get("show") == "all"
    if not show_all:
        found = teams.serving_on(found, timezone.localdate())
    form = LeaderLinkForm(request.POST or None)
    if request.method == "POST" and not request.user.has_perm(Perm.MANAGE_ASSISTANCE):
        raise PermissionDenied
    save = lambda: teams.save_leader_link(by=request.user, link=None, values=form.cleaned_data)  # noqa: E731
    if saved(request, form, save, _("Leader's link saved.")):
        return redirect("assistance:leader_links")
    context = {
        "page": paginate(request, found.order_by("region_id", "-start_on")),
        "region": region or "",
        "q": q,
        "show_all": show_all,
        "form": form,
        "can_change": request.user.has_perm(Perm.MANAGE_ASSISTANCE),
    }
    return render(request, "assistance/leader_links.html", context)


@access.requires(Perm.MANAGE_ASSISTANCE)
def leader_link_edit(request, pk: int):
    link = access.get_object_for_user(LeaderLink.objects.select_related("region"), request.user, pk=pk)
    form = LeaderLinkForm(request.POST or None, initial={f: getattr(link, f) for f in teams.LINK_FIELDS})
    save = lambda: teams.save_leader_link(by=request.user, link=link, values=form.cleaned_data)  # noqa: E731
    if saved(request, form, save, _("Leader's link saved.")):
        return redirect("assistance:leader_links")
    return render(request, "assistance/leader_link_form.html", {"form": form, "link": link})
