import re
from io import StringIO

from django.core.management import CommandError, call_command
from django.test import TestCase
from django.urls import reverse

from fupin.accounts.demo import DEMO_PASSWORD, demo_users
from fupin.accounts.models import User
from fupin.accounts.roles import Role
from fupin.test import BaseTestCase


class HomeTestCase(BaseTestCase):
    def test_it_counts_what_lies_under_the_users_region(self):
        self.client.force_login(self.county_operator)
        response = self.client.get(reverse("home"))
        self.assertEqual(response.context["level_counts"], [("乡镇", 2), ("村", 6)])
        self.assertEqual(response.context["user_count"], 6)  # county_admin and _operator, alice, bob, admin_a, admin_b
        self.assertContains(response, "河南省驻马店市平舆县")

    def test_it_is_chinese_by_default_and_english_on_request(self):
        self.client.force_login(self.alice)
        self.assertContains(self.client.get(reverse("home")), "精准扶贫信息管理系统")
        response = self.client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
        self.assertContains(response, "Targeted Poverty Alleviation Information System")
        self.assertContains(response, '<html lang="en">')

    def test_an_english_browser_still_gets_chinese_until_the_user_switches(self):
        response = self.client.get(reverse("accounts:login"), headers={"accept-language": "en-US,en;q=0.9"})
        self.assertContains(response, "精准扶贫信息管理系统")

    def test_the_language_can_be_switched_before_login(self):
        response = self.client.post(
            reverse("set_language"), {"language": "en", "next": "/accounts/login/"}, follow=True
        )
        self.assertContains(response, "Log in")

    def test_every_static_file_is_served_locally(self):
        self.client.force_login(self.alice)
        html = self.client.get(reverse("home")).content.decode()
        addresses = re.findall(r'(?:src|href)="([^"]*)"', html)
        self.assertTrue(addresses)
        self.assertEqual([a for a in addresses if not a.startswith(("/", "#", "?"))], [])


class DemoDataTestCase(TestCase):
    def test_it_needs_the_regions(self):
        with self.assertRaisesMessage(CommandError, "load_regions"):
            call_command("seed_demo", stdout=StringIO())

    def test_it_creates_every_role_and_can_run_twice(self):
        from fupin.test import load_fixture_regions

        load_fixture_regions()
        call_command("seed_demo", stdout=StringIO())
        call_command("seed_demo", stdout=StringIO())
        self.assertEqual(set(User.objects.values_list("role", flat=True)), set(Role.values))
        self.assertEqual(User.objects.count(), len(demo_users()))
        user = User.objects.get(username="village11_operator")
        self.assertTrue(user.check_password(DEMO_PASSWORD))
        self.assertTrue(user.must_change_password)
