"""Work teams, first secretaries, attendance, spot checks and leaders' links."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from fupin.accounts.roles import Role
from fupin.assistance import actions, teams
from fupin.assistance.models import Attendance, LeaderLink, TeamMember, TeamRole
from fupin.audit.models import AuditEvent
from fupin.policy.models import PolicyValue
from fupin.test import COUNTY, TOWNSHIP_A, TOWNSHIP_B, VILLAGE_A, VILLAGE_B, BaseTestCase, make_household, make_user

START = dt.date(2024, 1, 1)
TODAY = timezone.localdate()
THIS_MONTH = TODAY.replace(day=1)


class TeamTestCase(BaseTestCase):
    """A county bureau's team in village A since 2024 with its first secretary and a member."""

    def setUp(self):
        self.unit = actions.save_unit(
            by=self.county_operator, unit=None, values={"name": "县农业农村局", "level": "county", "region_id": COUNTY}
        )
        self.wang = self.cadre("王强", "13839600011")
        self.zhao = self.cadre("赵敏", "13839600012")
        self.team = self.station(VILLAGE_A, START)
        self.secretary = teams.add_member(
            by=self.alice, team=self.team, cadre=self.wang, role=TeamRole.FIRST_SECRETARY, start_on=START
        )
        self.member = teams.add_member(
            by=self.alice, team=self.team, cadre=self.zhao, role=TeamRole.MEMBER, start_on=dt.date(2024, 3, 1)
        )

    def cadre(self, name: str, phone: str, unit=None):
        values = {"unit_id": (unit or self.unit).pk, "name": name, "phone": phone}
        return actions.save_cadre(by=self.county_operator, cadre=None, values=values)

    def station(self, village: str, start: dt.date, end: dt.date | None = None, by=None):
        values = {"village_id": village, "unit_id": self.unit.pk, "start_on": start, "end_on": end}
        return teams.save_team(by=by or self.county_operator, team=None, values=values)


class WorkTeamTestCase(TeamTestCase):
    def test_a_village_has_one_team_at_a_time(self):
        with self.assertRaisesMessage(ValidationError, "重叠"):
            self.station(VILLAGE_A, dt.date(2025, 6, 1))
        teams.save_team(by=self.alice, team=self.team, values={"end_on": dt.date(2025, 5, 31)})
        successor = self.station(VILLAGE_A, dt.date(2025, 6, 1))
        self.assertEqual(list(teams.serving_on(self.team.village.work_teams.all(), TODAY)), [successor])

    def test_a_tenure_cannot_shrink_past_its_members(self):
        with self.assertRaisesMessage(ValidationError, "赵敏"):
            teams.save_team(by=self.alice, team=self.team, values={"end_on": dt.date(2024, 2, 1)})

    def test_bad_team_input_is_explained(self):
        cases = (
            ({"start_on": TODAY + dt.timedelta(days=1)}, "晚于今天"),
            ({"start_on": START, "end_on": START - dt.timedelta(days=1)}, "早于"),
        )
        for values, message in cases:
            with self.subTest(values=values), self.assertRaisesMessage(ValidationError, message):
                teams.save_team(
                    by=self.county_operator,
                    team=None,
                    values={"village_id": VILLAGE_B, "unit_id": self.unit.pk, **values},
                )
        township_unit = actions.save_unit(
            by=self.county_operator,
            unit=None,
            values={"name": "二镇政府", "level": "township", "region_id": TOWNSHIP_B},
        )
        with self.assertRaisesMessage(ValidationError, "范围之外"):
            teams.save_team(
                by=self.county_operator,
                team=None,
                values={"village_id": VILLAGE_A, "unit_id": township_unit.pk, "start_on": dt.date(2030, 1, 1)},
            )
        with self.assertRaises(PermissionDenied):
            self.station(VILLAGE_B, START, by=self.alice)

    def test_one_first_secretary_and_one_team_per_cadre_at_a_time(self):
        li = self.cadre("李红", "13839600013")
        with self.assertRaisesMessage(ValidationError, "王强"):
            teams.add_member(by=self.alice, team=self.team, cadre=li, role=TeamRole.FIRST_SECRETARY, start_on=START)
        teams.end_member(by=self.alice, member=self.secretary, end_on=dt.date(2024, 12, 31), reason="任期届满")
        teams.add_member(
            by=self.alice, team=self.team, cadre=li, role=TeamRole.FIRST_SECRETARY, start_on=dt.date(2025, 1, 1)
        )
        other_team = self.station(VILLAGE_B, START)
        with self.assertRaisesMessage(ValidationError, "同一时间只能在一支工作队"):
            teams.add_member(
                by=self.county_operator, team=other_team, cadre=self.zhao, role=TeamRole.MEMBER, start_on=START
            )
        # 王强 left village A at the end of 2024, so he may join village B's team afterwards.
        teams.add_member(
            by=self.county_operator,
            team=other_team,
            cadre=self.wang,
            role=TeamRole.LEADER,
            start_on=dt.date(2025, 1, 1),
        )

    def test_a_member_joins_within_the_tenure_and_leaves_with_a_reason(self):
        li = self.cadre("李红", "13839600013")
        with self.assertRaisesMessage(ValidationError, "不在其内"):
            teams.add_member(
                by=self.alice, team=self.team, cadre=li, role=TeamRole.MEMBER, start_on=dt.date(2023, 12, 1)
            )
        with self.assertRaisesMessage(ValidationError, "离队原因"):
            teams.end_member(by=self.alice, member=self.member, end_on=TODAY, reason=" ")
        with self.assertRaisesMessage(ValidationError, "早于"):
            teams.end_member(by=self.alice, member=self.member, end_on=dt.date(2024, 2, 1), reason="调回")


class AttendanceTestCase(TeamTestCase):
    def test_days_are_checked_against_the_month_and_the_tenure_all_or_nothing(self):
        february = dt.date(2024, 2, 1)
        with self.assertRaises(ValidationError) as raised:
            teams.record_attendance(
                by=self.alice, team=self.team, month=february, days={self.secretary.pk: 30, self.member.pk: 20}
            )
        errors = raised.exception.message_dict
        self.assertIn("0 至 29", errors[f"days_{self.secretary.pk}"][0])
        self.assertIn("不在该工作队", errors[f"days_{self.member.pk}"][0])  # 赵敏 joined in March
        self.assertFalse(Attendance.objects.exists())
        with self.assertRaisesMessage(ValidationError, "尚未开始"):
            next_month = (THIS_MONTH + dt.timedelta(days=32)).replace(day=1)
            teams.record_attendance(by=self.alice, team=self.team, month=next_month, days={self.secretary.pk: 1})

    def test_recording_again_changes_only_what_differs_and_is_audited(self):
        march = dt.date(2024, 3, 1)
        days = {self.secretary.pk: 22, self.member.pk: 18}
        self.assertEqual(teams.record_attendance(by=self.alice, team=self.team, month=march, days=days), 2)
        self.assertEqual(teams.record_attendance(by=self.alice, team=self.team, month=march, days=days), 0)
        changed = teams.record_attendance(by=self.alice, team=self.team, month=march, days={self.member.pk: None})
        self.assertEqual((changed, Attendance.objects.count()), (1, 1))
        event = AuditEvent.objects.filter(target_type="assistance.workteam").latest("id")
        self.assertEqual(event.changes["赵敏"], [18, None])

    def test_a_month_short_of_the_policy_days_is_listed_at_its_edge(self):
        march = dt.date(2024, 3, 1)
        teams.record_attendance(
            by=self.alice, team=self.team, month=march, days={self.secretary.pk: 20, self.member.pk: 19}
        )
        rows = {m.cadre.name: m for m in teams.attendance_rows(TeamMember.objects.all(), march)}
        self.assertEqual((rows["王强"].min_days, rows["王强"].short, rows["赵敏"].short), (20, False, True))
        april = {m.cadre.name: m for m in teams.attendance_rows(TeamMember.objects.all(), dt.date(2024, 4, 1))}
        self.assertEqual((april["王强"].days, april["王强"].short), (None, True))
        summary = teams.attendance_summary(teams.attendance_rows(TeamMember.objects.all(), march))
        self.assertEqual(summary, {"members": 2, "missing": 0, "short": 1})

    def test_a_county_may_set_its_own_minimum(self):
        PolicyValue.objects.create(name="work_team_min_days", region_code=COUNTY, year=2014, value=15, source="县文件")
        march = dt.date(2024, 3, 1)
        teams.record_attendance(by=self.alice, team=self.team, month=march, days={self.member.pk: 16})
        rows = {m.cadre.name: m for m in teams.attendance_rows(TeamMember.objects.all(), march)}
        self.assertEqual((rows["赵敏"].min_days, rows["赵敏"].short), (15, False))

    def test_members_who_left_or_whose_team_ended_are_not_listed(self):
        teams.end_member(by=self.alice, member=self.member, end_on=dt.date(2024, 5, 31), reason="调回")
        june = [m.cadre.name for m in teams.attendance_rows(TeamMember.objects.all(), dt.date(2024, 6, 1))]
        self.assertEqual(june, ["王强"])
        teams.end_member(by=self.alice, member=self.secretary, end_on=dt.date(2024, 6, 30), reason="任期届满")
        teams.save_team(by=self.alice, team=self.team, values={"end_on": dt.date(2024, 6, 30)})
        self.assertFalse(teams.attendance_rows(TeamMember.objects.all(), dt.date(2024, 7, 1)).exists())


class SpotCheckTestCase(TeamTestCase):
    def test_an_absence_needs_what_was_found_and_the_date_must_be_in_the_tenure(self):
        with self.assertRaisesMessage(ValidationError, "去向"):
            teams.record_spot_check(
                by=self.alice, member=self.member, checked_on=TODAY, present=False, checked_by="县纪委 刘某"
            )
        with self.assertRaisesMessage(ValidationError, "不在该工作队"):
            teams.record_spot_check(
                by=self.alice,
                member=self.member,
                checked_on=dt.date(2024, 2, 1),
                present=True,
                checked_by="县纪委 刘某",
            )
        with self.assertRaisesMessage(ValidationError, "抽查人"):
            teams.record_spot_check(by=self.alice, member=self.member, checked_on=TODAY, present=True, checked_by="")
        check = teams.record_spot_check(
            by=self.alice,
            member=self.member,
            checked_on=TODAY,
            present=False,
            checked_by="县纪委 刘某",
            note="未请假外出",
        )
        self.assertEqual((check.present, check.recorded_by), (False, self.alice))


class LeaderLinkTestCase(BaseTestCase):
    def link(self, **values):
        base = {"leader_name": "陈县长", "leader_post": "副县长", "region_id": TOWNSHIP_A, "start_on": START}
        return teams.save_leader_link(by=self.county_operator, link=None, values={**base, **values})

    def test_a_leader_links_a_township_or_village_and_the_link_ends(self):
        link = self.link()
        teams.save_leader_link(by=self.county_operator, link=link, values={"end_on": dt.date(2025, 12, 31)})
        self.assertFalse(teams.serving_on(LeaderLink.objects.all(), TODAY).exists())
        self.link(region_id=VILLAGE_A, start_on=dt.date(2026, 1, 1))
        self.assertEqual(LeaderLink.objects.count(), 2)

    def test_bad_links_are_explained(self):
        for values, message in (
            ({"region_id": COUNTY}, "乡镇或行政村"),
            ({"leader_post": ""}, "职务"),
            ({"end_on": START - dt.timedelta(days=1)}, "早于"),
            ({"phone": "12345"}, "手机"),
        ):
            with self.subTest(values=values), self.assertRaisesMessage(ValidationError, message):
                self.link(**values)
        with self.assertRaises(PermissionDenied):
            teams.save_leader_link(
                by=self.alice,
                link=None,
                values={"leader_name": "陈", "leader_post": "副县长", "region_id": TOWNSHIP_B, "start_on": START},
            )


class TeamPagesTestCase(TeamTestCase):
    def test_the_team_list_shows_the_first_secretary_and_members_now(self):
        self.client.force_login(self.alice)
        with self.assertNumQueries(8):
            response = self.client.get(reverse("assistance:teams"))
        self.assertContains(response, "王强")
        self.assertContains(response, "县农业农村局")

    def test_a_month_is_recorded_on_one_form_and_shows_on_the_team_page(self):
        self.client.force_login(self.alice)
        url = reverse("assistance:attendance_edit", args=[self.team.pk])
        month = f"{THIS_MONTH:%Y-%m}"
        response = self.client.post(
            url,
            {
                "month": month,
                f"days_{self.secretary.pk}": "12",
                f"days_{self.member.pk}": "",
                f"note_{self.secretary.pk}": "住院",
            },
        )
        self.assertRedirects(response, self.team.get_absolute_url())
        page = self.client.get(self.team.get_absolute_url())
        self.assertContains(page, 'title="住院">12<')
        report = self.client.get(reverse("assistance:attendance"), {"month": month, "short": "1"})
        self.assertContains(report, "王强")
        self.assertContains(report, "赵敏")  # not recorded counts as short

    def test_the_household_page_names_the_village_team_and_its_first_secretary(self):
        household = make_household(self.alice)
        household.history.update(history_date=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
        self.client.force_login(self.alice)
        page = self.client.get(household.get_absolute_url())
        self.assertContains(page, 'id="work-team"')
        self.assertContains(page, "13839600011")
        earlier = self.client.get(household.get_absolute_url(), {"as_of": "2023-12-31"})
        self.assertNotContains(earlier, 'id="work-team"')

    def test_a_user_without_the_permission_cannot_post_attendance(self):
        self.client.force_login(make_user("reviewer_a", Role.TOWNSHIP_REVIEWER, TOWNSHIP_A))  # reads only
        url = reverse("assistance:attendance_edit", args=[self.team.pk])
        self.assertEqual(self.client.get(url).status_code, 200)
        self.assertEqual(self.client.post(url, {"month": f"{THIS_MONTH:%Y-%m}"}).status_code, 403)

    def test_a_township_operator_of_another_township_sees_nothing(self):
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get(self.team.get_absolute_url()).status_code, 404)
        self.assertNotContains(self.client.get(reverse("assistance:teams")), "王强")
        self.assertNotContains(self.client.get(reverse("assistance:attendance")), "王强")

    def test_pages_post_back_with_messages(self):
        self.client.force_login(self.alice)
        response = self.client.post(
            reverse("assistance:spot_check_add", args=[self.team.pk]),
            {
                "check-member": self.member.pk,
                "check-checked_on": TODAY,
                "check-present": "0",
                "check-checked_by": "刘某",
            },
            follow=True,
        )
        self.assertContains(response, "去向")
        response = self.client.post(
            reverse("assistance:leader_links"),
            {"leader_name": "陈县长", "leader_post": "副县长", "region_id": VILLAGE_A, "start_on": "2025-01-01"},
            follow=True,
        )
        self.assertContains(response, "陈县长")
