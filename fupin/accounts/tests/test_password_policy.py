"""Password rules of 等保 第三级: complexity, no runs or repeats, no reuse of the last five (the
temporary one included), administrators' passwords expire."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from fupin.accounts import actions
from fupin.accounts.roles import Role
from fupin.test import COUNTY, PASSWORD, BaseTestCase, make_user


@pytest.mark.parametrize(
    "password",
    ["fupin12345", "11111111a1", "zzzzzzzzzz1", "密码密码密码密码密码", "Abc-1234-xyz", "Qwer-Pass-88", "Xy-7aaaa-Bq"],
)
def test_the_probes_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


@pytest.mark.parametrize("password", ["Fupin-Demo-2026", "Correct-Horse-42", "秋水-Lan-2026"])
def test_mixed_passwords_pass(password):
    validate_password(password)


class PasswordHistoryTestCase(BaseTestCase):
    def change(self, password):
        actions.change_own_password(user=self.alice, password=password)
        self.alice.refresh_from_db()

    def test_the_password_in_use_and_the_last_five_cannot_come_back(self):
        with self.assertRaisesMessage(ValidationError, "最近 5 次"):
            self.change(PASSWORD)  # a temporary password "changed" to itself
        used = [f"Spring-Rain-{n}7x" for n in range(1, 6)]
        for password in used:
            self.change(password)
        with self.assertRaisesMessage(ValidationError, "最近 5 次"):
            self.change(used[0])
        self.change("Summer-Wind-61")
        self.change(used[0])  # six changes ago: allowed again

    def test_an_administrators_password_expires(self):
        admin = make_user("county2", Role.COUNTY_ADMIN, COUNTY)
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            actions.change_own_password(user=admin, password="Winter-Snow-52")
        with time_machine.travel(start + dt.timedelta(days=91), tick=False):
            response = self.client.post(
                reverse("accounts:login"), {"username": "county2", "password": "Winter-Snow-52"}, follow=True
            )
        self.assertEqual(response.request["PATH_INFO"], reverse("accounts:password_change"))
        admin.refresh_from_db()
        self.assertTrue(admin.must_change_password)
        from fupin.audit.models import AuditEvent, EventType

        expired = AuditEvent.objects.filter(event_type=EventType.UPDATE, target_id=str(admin.pk)).last()
        self.assertEqual(expired.changes, {"must_change_password": [False, True]})


class AddressThrottleTestCase(BaseTestCase):
    def test_one_address_trying_many_accounts_is_stopped_without_flooding_the_trail(self):
        from django.test import override_settings

        from fupin.audit.models import AuditEvent, EventType

        login = reverse("accounts:login")
        with override_settings(FUPIN_ADDRESS_ATTEMPTS=5):
            for n in range(5):
                self.client.post(login, {"username": f"guess{n}", "password": "Wrong-Guess-11"}, REMOTE_ADDR="10.9.9.9")
            response = self.client.post(login, {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="10.9.9.9")
            self.assertContains(response, "该地址登录失败次数过多")
            self.assertEqual(AuditEvent.objects.filter(event_type=EventType.LOGIN_FAILED).count(), 5)
            other = self.client.post(login, {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="10.1.1.1")
            self.assertEqual(other.status_code, 302)
