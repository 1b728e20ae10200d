"""Administrators give a TOTP code after the password: enrolment at the first login, a code each time,
each code once, wrong codes locking the account, a lost phone reset from the level above."""

from __future__ import annotations

import datetime as dt

import pyotp
import time_machine
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from fupin.accounts.models import User
from fupin.accounts.roles import Role
from fupin.audit.models import AuditEvent, EventType
from fupin.test import COUNTY, PASSWORD, BaseTestCase, make_user

LOGIN = reverse("accounts:login")
SECOND = reverse("accounts:second_factor")


class SecondFactorTestCase(BaseTestCase):
    def setUp(self):
        self.enterContext(self.settings(FUPIN_ADMIN_SECOND_FACTOR=True))
        self.auditor = make_user("auditor", Role.AUDIT_ADMIN, COUNTY)

    def login(self, username="auditor"):
        return self.client.post(LOGIN, {"username": username, "password": PASSWORD})

    def enrol(self) -> None:
        self.login()
        self.client.get(SECOND)  # the key is made when the page shows it
        self.client.post(SECOND, {"code": self.code(self.auditor)})

    def code(self, user: User, at: dt.datetime | None = None) -> str:
        user.refresh_from_db()
        return pyotp.TOTP(user.totp_secret).at(at or timezone.now())

    def test_an_administrator_enrols_at_the_first_login_and_gives_a_code_every_time(self):
        response = self.login()
        self.assertRedirects(response, f"{SECOND}?next=%2F", fetch_redirect_response=False)
        self.assertEqual(self.client.get(reverse("audit:list")).status_code, 302)  # nothing else before the code
        page = self.client.get(SECOND)
        self.assertContains(page, 'data-testid="second-factor-qr"')
        self.assertNotContains(page, reverse("inbox_count"))  # no menu before the code: nothing to open
        self.assertContains(page, "<svg")
        secret = User.objects.get(username="auditor").totp_secret
        self.assertContains(page, secret)
        self.assertEqual(self.client.get(SECOND).context["secret"], secret)  # a reload keeps the same key
        self.assertContains(self.client.post(SECOND, {"code": "000000"}), "动态口令不正确")
        self.assertRedirects(
            self.client.post(SECOND, {"code": self.code(self.auditor)}), "/", fetch_redirect_response=False
        )
        self.assertEqual(self.client.get(reverse("audit:list")).status_code, 200)
        self.auditor.refresh_from_db()
        self.assertIsNotNone(self.auditor.totp_confirmed_at)
        kinds = list(
            AuditEvent.objects.filter(Q(target_repr="auditor") | Q(actor=self.auditor))
            .order_by("id")
            .values_list("event_type", flat=True)
        )
        self.assertEqual(  # the key issued, a wrong code, the enrolment confirmed, the login
            kinds[-5:],
            [
                EventType.PASSWORD_ACCEPTED,
                EventType.UPDATE,
                EventType.LOGIN_FAILED,
                EventType.UPDATE,
                EventType.LOGIN_SUCCEEDED,
            ],
        )
        # the next login asks for the code, without the QR code
        self.client.post(reverse("accounts:logout"))
        with time_machine.travel(timezone.now() + dt.timedelta(minutes=2)):
            self.login()
            page = self.client.get(SECOND)
            self.assertNotContains(page, "<svg")
            self.assertRedirects(
                self.client.post(SECOND, {"code": self.code(self.auditor)}), "/", fetch_redirect_response=False
            )

    def test_a_new_administrator_gives_the_code_then_replaces_the_temporary_password(self):
        User.objects.filter(pk=self.auditor.pk).update(must_change_password=True)
        self.login()
        self.client.get(SECOND)
        response = self.client.post(SECOND, {"code": self.code(self.auditor)})
        self.assertRedirects(response, "/", fetch_redirect_response=False)
        self.assertRedirects(self.client.get("/"), reverse("accounts:password_change"), fetch_redirect_response=False)
        new = "Qingshan-Lake-2027!"
        response = self.client.post(
            reverse("accounts:password_change"),
            {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
        )
        self.assertEqual(self.client.get(reverse("audit:list")).status_code, 200)

    def test_a_code_is_accepted_once(self):
        self.enrol()
        code = self.code(self.auditor)
        self.client.post(reverse("accounts:logout"))
        self.login()
        self.assertContains(self.client.post(SECOND, {"code": code}), "动态口令不正确")

    def test_wrong_codes_lock_the_account_however_often_the_password_is_given(self):
        for _ in range(2):  # giving the password again does not reset the count of wrong codes
            self.login()
            for _ in range(2):
                self.client.post(SECOND, {"code": "123456"})
        self.login()
        response = self.client.post(SECOND, {"code": "654321"}, follow=True)
        self.assertContains(response, "该账号已被锁定")
        self.assertContains(self.login(), "登录失败次数过多")

    def test_non_administrators_are_not_asked(self):
        response = self.client.post(LOGIN, {"username": "alice", "password": PASSWORD})
        self.assertRedirects(response, "/", fetch_redirect_response=False)
        self.assertEqual(self.client.get(reverse("home")).status_code, 200)

    def test_the_level_above_resets_a_lost_enrolment(self):
        self.enrol()
        self.client.force_login(self.national)
        session = self.client.session  # the national administrator has passed their own second factor
        session["fupin_second_factor"] = True
        session.save()
        page = self.client.get(reverse("accounts:user_detail", args=[self.auditor.pk]))
        self.assertContains(page, 'data-testid="reset-second-factor"')
        self.client.post(reverse("accounts:user_reset_second_factor", args=[self.auditor.pk]))
        self.auditor.refresh_from_db()
        self.assertEqual((self.auditor.totp_secret, self.auditor.totp_confirmed_at), ("", None))
        peer = make_user("peer_auditor", Role.AUDIT_ADMIN, COUNTY)
        self.client.force_login(peer)
        session = self.client.session
        session["fupin_second_factor"] = True
        session.save()
        self.assertEqual(
            self.client.post(reverse("accounts:user_reset_second_factor", args=[self.auditor.pk])).status_code, 403
        )
