import datetime as dt

import time_machine
from django.urls import reverse
from django.utils import timezone

from fupin.accounts.roles import Role
from fupin.audit.models import AuditEvent, EventType
from fupin.test import COUNTY, PASSWORD, TOWNSHIP_A, BaseTestCase, make_user

LOGIN = reverse("accounts:login")


class LoginTestCase(BaseTestCase):
    def login(self, username="alice", password=PASSWORD, **extra):
        return self.client.post(LOGIN, {"username": username, "password": password}, **extra)

    def test_it_hashes_passwords_with_argon2(self):
        self.assertTrue(self.alice.password.startswith("argon2"))

    def test_it_logs_in_and_records_who_and_from_where(self):
        response = self.login(REMOTE_ADDR="10.1.2.3")
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)
        event = AuditEvent.objects.filter(event_type=EventType.LOGIN_SUCCEEDED).get()
        self.assertEqual((event.actor, event.ip, event.region_code), (self.alice, "10.1.2.3", TOWNSHIP_A))

    def test_a_wrong_password_is_refused_in_chinese_and_recorded(self):
        response = self.login(password="not-the-password")
        self.assertContains(response, "用户名或密码错误。")
        event = AuditEvent.objects.filter(event_type=EventType.LOGIN_FAILED).get()
        self.assertEqual((event.target_repr, event.actor), ("alice", None))

    def test_an_unknown_username_is_recorded_too(self):
        self.login(username="mallory")
        self.assertTrue(AuditEvent.objects.filter(event_type=EventType.LOGIN_FAILED, target_repr="mallory").exists())

    def test_it_locks_after_repeated_failures_even_for_the_right_password(self):
        for _ in range(5):
            self.login(password="wrong-password")
        response = self.login()
        self.assertContains(response, "登录失败次数过多，账号已锁定 15 分钟")
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_the_lock_ends_after_the_window(self):
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            for _ in range(5):
                self.login(password="wrong-password")
        with time_machine.travel(start + dt.timedelta(minutes=16), tick=False):
            self.assertRedirects(self.login(), reverse("home"), fetch_redirect_response=False)

    def test_the_security_administrator_unlocks_and_the_system_administrator_cannot(self):
        for _ in range(5):
            self.login(password="wrong-password")
        admin = self.client_class()
        admin.force_login(self.county_admin)
        page = admin.get(reverse("accounts:user_detail", args=[self.alice.pk]))
        self.assertContains(page, "由安全管理员解锁")
        self.assertEqual(admin.post(reverse("accounts:user_unlock", args=[self.alice.pk])).status_code, 403)
        admin.force_login(make_user("security", Role.SECURITY_ADMIN, COUNTY))
        page = admin.get(reverse("accounts:user_detail", args=[self.alice.pk]))
        self.assertContains(page, "该账号因多次登录失败已被锁定。")
        self.assertNotContains(page, 'name="full_name"')  # unlocking is all a security administrator does
        admin.post(reverse("accounts:user_unlock", args=[self.alice.pk]))
        self.assertRedirects(self.login(), reverse("home"), fetch_redirect_response=False)

    def test_a_successful_login_resets_the_count(self):
        for _ in range(4):
            self.login(password="wrong-password")
        self.login()
        self.client.post(reverse("accounts:logout"))
        for _ in range(4):
            self.login(password="wrong-password")
        self.assertRedirects(self.login(), reverse("home"), fetch_redirect_response=False)

    def test_a_deactivated_user_cannot_log_in(self):
        self.alice.is_active = False
        self.alice.save(update_fields=["is_active"])
        self.assertContains(self.login(), "用户名或密码错误。")

    def test_logout_is_recorded_and_ends_the_session(self):
        self.login()
        response = self.client.post(reverse("accounts:logout"), follow=True)
        self.assertContains(response, "您已安全退出。")
        self.assertTrue(AuditEvent.objects.filter(event_type=EventType.LOGOUT, actor=self.alice).exists())
        self.assertEqual(self.client.get(reverse("home")).status_code, 302)

    def test_the_session_expires_after_inactivity_with_a_message(self):
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            self.login()
        with time_machine.travel(start + dt.timedelta(minutes=20), tick=False):
            self.assertEqual(self.client.get(reverse("home")).status_code, 200)  # activity renews the session
        with time_machine.travel(start + dt.timedelta(minutes=51), tick=False):
            response = self.client.get(reverse("home"), follow=True)
        self.assertEqual(response.request["PATH_INFO"], LOGIN)
        self.assertContains(response, "长时间未操作，登录已超时，请重新登录。")

    def test_an_active_session_still_ends_at_its_longest_lifetime(self):
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            self.login()
        moment = start
        for _step in range(25):  # a request every 29 minutes: never idle long enough to time out
            moment += dt.timedelta(minutes=29)
            with time_machine.travel(moment, tick=False):
                response = self.client.get(reverse("home"), follow=True)
            if response.request["PATH_INFO"] == LOGIN:
                break
        self.assertEqual(response.request["PATH_INFO"], LOGIN)
        self.assertGreater(moment - start, dt.timedelta(hours=12))
        self.assertLess(moment - start, dt.timedelta(hours=12, minutes=30))
        self.assertContains(response, "您登录已超过 12 小时，请重新登录。")


class ForcedPasswordChangeTestCase(BaseTestCase):
    def setUp(self):
        self.newcomer = make_user("newcomer", Role.TOWNSHIP_OPERATOR, TOWNSHIP_A, must_change_password=True)
        self.client.post(LOGIN, {"username": "newcomer", "password": PASSWORD})

    def change(self, new, old=PASSWORD):
        return self.client.post(
            reverse("accounts:password_change"), {"old_password": old, "new_password1": new, "new_password2": new}
        )

    def test_every_page_leads_to_the_password_change_until_it_is_done(self):
        for url in (reverse("home"), reverse("regions:detail", args=[TOWNSHIP_A])):
            self.assertRedirects(self.client.get(url), reverse("accounts:password_change"))

    def test_a_part_of_a_page_sends_the_whole_page_there(self):
        # the menu's to-do count loads after the page: swapping the password page into the menu would nest it
        response = self.client.get(reverse("inbox_count"), headers={"HX-Request": "true"})
        self.assertEqual((response.status_code, response["HX-Redirect"]), (200, reverse("accounts:password_change")))
        page = self.client.get(reverse("accounts:password_change")).content.decode()
        self.assertNotIn('id="inbox-count"', page)

    def test_the_policy_rejects_weak_passwords_in_chinese(self):
        self.assertContains(self.change("short1"), "密码太短：至少需要 10 个字符。")
        self.assertContains(self.change("1234567890123"), "密码只包含数字。")
        self.assertContains(self.change("newcomer-2026-xyz"), "密码不能包含用户名。")

    def test_after_the_change_the_user_can_work(self):
        response = self.change("Plum-Blossom-73")
        self.assertRedirects(response, reverse("home"))
        self.newcomer.refresh_from_db()
        self.assertFalse(self.newcomer.must_change_password)
        self.assertTrue(self.newcomer.check_password("Plum-Blossom-73"))
        self.assertTrue(AuditEvent.objects.filter(event_type=EventType.PASSWORD_CHANGED, actor=self.newcomer).exists())


class NoStoreTestCase(BaseTestCase):
    def test_a_signed_in_users_pages_and_downloads_are_not_stored(self):
        from fupin.test import make_household

        make_household(self.alice)
        self.client.force_login(self.county_admin)
        for url in (reverse("home"), reverse("registry:list"), reverse("registry:export", args=["xlsx"])):
            with self.subTest(url):
                self.assertIn("no-store", self.client.get(url)["Cache-Control"])
