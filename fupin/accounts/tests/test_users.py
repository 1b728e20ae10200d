from django.urls import reverse

from fupin.accounts.models import User
from fupin.audit.models import AuditEvent, EventType
from fupin.test import OTHER_COUNTY, TOWNSHIP_A, TOWNSHIP_B, VILLAGE_A, BaseTestCase

CREATE = reverse("accounts:user_create")


def new_user(**overrides):
    data = {
        "username": "zhangsan",
        "full_name": "张三",
        "phone": "13900000000",
        "role": "township_operator",
        "region": TOWNSHIP_A,
        "password": "Spring-Rain-2026",
    }
    return {**data, **overrides}


class UserCreateTestCase(BaseTestCase):
    def setUp(self):
        self.client.force_login(self.county_admin)

    def test_it_creates_a_user_in_the_subtree_who_must_change_the_password(self):
        response = self.client.post(CREATE, new_user())
        user = User.objects.get(username="zhangsan")
        self.assertRedirects(response, reverse("accounts:user_detail", args=[user.pk]))
        self.assertEqual(
            (user.region_id, user.role, user.created_by), (TOWNSHIP_A, "township_operator", self.county_admin)
        )
        self.assertTrue(user.must_change_password)
        event = AuditEvent.objects.get(event_type=EventType.CREATE, target_id=str(user.pk))
        self.assertEqual(event.changes["region_id"], [None, TOWNSHIP_A])
        self.assertNotIn("password", event.changes)

    def test_it_refuses_a_region_outside_the_subtree(self):
        response = self.client.post(CREATE, new_user(region=OTHER_COUNTY, role="county_operator"))
        self.assertContains(response, "该区划不存在或不在您的管辖范围内。")
        self.assertFalse(User.objects.filter(username="zhangsan").exists())

    def test_it_refuses_a_malformed_region_code(self):
        self.assertContains(
            self.client.post(CREATE, new_user(region="41172")), "区划代码应为 2、4、6、9 或 12 位数字。"
        )

    def test_it_refuses_a_role_at_the_wrong_level(self):
        response = self.client.post(CREATE, new_user(region=VILLAGE_A))
        self.assertContains(response, "该角色只能设在以下级别的区划：乡镇。")

    def test_a_county_administrator_cannot_create_administrators(self):
        response = self.client.post(CREATE, new_user(role="county_admin", region="411723"))
        self.assertContains(response, "选择一个有效的选项")
        self.assertFalse(User.objects.filter(username="zhangsan").exists())

    def test_a_duplicate_username_is_refused(self):
        self.assertContains(self.client.post(CREATE, new_user(username="alice")), "该用户名已被使用。")

    def test_a_weak_password_is_refused(self):
        self.assertContains(self.client.post(CREATE, new_user(password="zhangsan123")), "密码不能包含用户名。")
        self.assertFalse(User.objects.filter(username="zhangsan").exists())

    def test_a_national_administrator_can_place_anyone_anywhere(self):
        self.client.force_login(self.national)
        self.client.post(CREATE, new_user(role="county_admin", region=OTHER_COUNTY))
        self.assertEqual(User.objects.get(username="zhangsan").region_id, OTHER_COUNTY)


class UserListTestCase(BaseTestCase):
    def test_it_lists_only_users_of_the_subtree(self):
        self.client.force_login(self.charlie)
        response = self.client.get(reverse("accounts:user_list"))
        self.assertContains(response, "charlie")
        self.assertNotContains(response, "alice")

    def test_it_searches_and_filters(self):
        self.client.force_login(self.county_admin)
        response = self.client.get(reverse("accounts:user_list"), {"q": TOWNSHIP_B, "role": "township_operator"})
        self.assertContains(response, "bob")
        self.assertNotContains(response, "alice")

    def test_its_queries_do_not_grow_with_the_list(self):
        self.client.force_login(self.county_admin)
        # session, user, count, the user's region name, the page of users joined with their regions,
        # and the session renewal (savepoint, update, release)
        with self.assertNumQueries(8):
            self.client.get(reverse("accounts:user_list"))


class UserEditTestCase(BaseTestCase):
    def setUp(self):
        self.client.force_login(self.county_admin)
        self.url = reverse("accounts:user_detail", args=[self.alice.pk])

    def test_it_records_the_change_before_and_after(self):
        self.client.post(
            self.url,
            {"full_name": "爱丽丝", "phone": "1", "role": "township_reviewer", "region": TOWNSHIP_A, "is_active": "on"},
        )
        event = AuditEvent.objects.get(event_type=EventType.UPDATE, target_id=str(self.alice.pk))
        self.assertEqual(event.changes["role"], ["township_operator", "township_reviewer"])
        self.assertEqual(event.changes["full_name"], ["alice", "爱丽丝"])

    def test_it_can_deactivate(self):
        self.client.post(self.url, {"full_name": "alice", "role": "township_operator", "region": TOWNSHIP_A})
        self.alice.refresh_from_db()
        self.assertFalse(self.alice.is_active)

    def test_an_administrator_cannot_change_their_own_account_here(self):
        url = reverse("accounts:user_detail", args=[self.county_admin.pk])
        page = self.client.get(url)
        self.assertContains(page, "该账号只能由上一级管理员修改")
        self.assertNotContains(page, 'name="password"')
        response = self.client.post(
            url, {"full_name": "x", "role": "county_operator", "region": "411723", "is_active": "on"}
        )
        self.assertEqual(response.status_code, 403)
        self.county_admin.refresh_from_db()
        self.assertEqual(self.county_admin.role, "county_admin")

    def test_a_temporary_password_forces_a_change(self):
        self.client.post(reverse("accounts:user_reset_password", args=[self.alice.pk]), {"password": "Autumn-Leaf-88"})
        self.alice.refresh_from_db()
        self.assertTrue(self.alice.check_password("Autumn-Leaf-88"))
        self.assertTrue(self.alice.must_change_password)
