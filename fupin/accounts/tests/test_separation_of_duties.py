"""三员分立 (GB/T 22239-2019 第三级): the system, security and audit administrators each hold one duty,
none keeps records or sees full ID numbers, and an administrator's account is changed only from the
level above."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from fupin.accounts import actions
from fupin.accounts.roles import ADMIN_ROLES, ROLE_SPECS, Role
from fupin.permissions import Perm
from fupin.test import COUNTY, PASSWORD, TOWNSHIP_A, BaseTestCase, make_user

RECORD_KEEPING = {
    Perm.CHANGE_HOUSEHOLD,
    Perm.IMPORT_HOUSEHOLDS,
    Perm.VIEW_FULL_ID,
    Perm.EXPORT_FULL_ID,
    Perm.MANAGE_ASSISTANCE,
    Perm.MANAGE_PROJECTS,
    Perm.MANAGE_BENEFIT_LINKS,
    Perm.MANAGE_LOANS,
}
DUTIES = {
    "system": {Perm.MANAGE_USERS},
    "security": {Perm.UNLOCK_ACCOUNTS},
    "audit": {Perm.VIEW_AUDIT, Perm.EXPORT_AUDIT, Perm.EXPORT_AUDIT_HEAD},
}


class RoleTableTestCase(BaseTestCase):
    def test_each_administrator_holds_one_duty_and_keeps_no_records(self):
        for role in ADMIN_ROLES:
            permissions = ROLE_SPECS[role].permissions
            with self.subTest(role):
                self.assertFalse(permissions & RECORD_KEEPING)
                held = [duty for duty, perms in DUTIES.items() if permissions & perms]
                self.assertEqual(len(held), 1, held)

    def test_no_other_role_manages_accounts_or_unlocks_them(self):
        for role, spec in ROLE_SPECS.items():
            if role in ADMIN_ROLES or role.startswith("test_"):
                continue
            with self.subTest(role):
                self.assertFalse(spec.permissions & (DUTIES["system"] | DUTIES["security"] | {Perm.EXPORT_AUDIT_HEAD}))

    def test_banks_and_project_departments_are_separate(self):
        bank, department = ROLE_SPECS[Role.BANK_USER].permissions, ROLE_SPECS[Role.DEPARTMENT_USER].permissions
        self.assertEqual((bank, department), ({Perm.MANAGE_LOANS}, {Perm.MANAGE_PROJECTS}))


class PeerAccountsTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.peer_admin = make_user("peer_admin", Role.COUNTY_ADMIN, COUNTY)
        cls.security = make_user("security", Role.SECURITY_ADMIN, COUNTY)

    def test_a_county_administrator_cannot_set_a_peers_password(self):
        self.client.force_login(self.county_admin)
        url = reverse("accounts:user_reset_password", args=[self.peer_admin.pk])
        self.assertEqual(self.client.post(url, {"password": "Autumn-Leaf-88"}).status_code, 403)
        self.peer_admin.refresh_from_db()
        self.assertTrue(self.peer_admin.check_password(PASSWORD))
        for target in (self.peer_admin, self.security):  # nor change the security administrator at their level
            with self.assertRaises(PermissionDenied):
                actions.update_user(
                    by=self.county_admin,
                    user=target,
                    full_name="x",
                    phone="",
                    role=target.role,
                    region=target.region,
                    is_active=False,
                )

    def test_the_level_above_changes_a_county_administrator(self):
        actions.reset_password(by=self.national, user=self.peer_admin, password="Autumn-Leaf-88")
        self.peer_admin.refresh_from_db()
        self.assertTrue(self.peer_admin.must_change_password)

    def test_a_county_administrator_still_manages_the_staff_of_the_county_and_below(self):
        for user in (self.county_operator, self.alice):
            actions.reset_password(by=self.county_admin, user=user, password="Autumn-Leaf-88")
            user.refresh_from_db()
            self.assertTrue(user.check_password("Autumn-Leaf-88"))

    def test_a_county_administrator_cannot_create_an_administrator(self):
        self.client.force_login(self.county_admin)
        data = {
            "username": "sec2",
            "full_name": "安全员",
            "role": Role.SECURITY_ADMIN,
            "region": COUNTY,
            "password": "Spring-Rain-2026",
        }
        self.assertContains(self.client.post(reverse("accounts:user_create"), data), "选择一个有效的选项")

    def test_the_security_administrator_cannot_manage_accounts(self):
        self.client.force_login(self.security)
        self.assertEqual(self.client.get(reverse("accounts:user_list")).status_code, 200)
        self.assertEqual(self.client.get(reverse("accounts:user_create")).status_code, 403)
        url = reverse("accounts:user_reset_password", args=[self.alice.pk])
        self.assertEqual(self.client.post(url, {"password": "Autumn-Leaf-88"}).status_code, 403)

    def test_administrators_open_no_page_of_records(self):
        auditor = make_user("auditor2", Role.AUDIT_ADMIN, COUNTY)
        for user in (self.county_admin, self.security, auditor, self.national):
            self.client.force_login(user)
            with self.subTest(user.role):
                home = self.client.get(reverse("home"))
                self.assertEqual(home.status_code, 200)
                self.assertNotContains(home, reverse("registry:list"))  # nor in the menu
                for name in ("registry:list", "procedures:list", "projects:dispatch", "transfer:list"):
                    self.assertEqual(self.client.get(reverse(name)).status_code, 403, name)
                self.assertEqual(self.client.get(reverse("accounts:password_change")).status_code, 200)

    def test_administrators_keep_no_records(self):
        auditor = make_user("auditor", Role.AUDIT_ADMIN, COUNTY)
        for user in (self.county_admin, self.security, auditor, self.national):
            self.client.force_login(user)
            with self.subTest(user.role):
                self.assertEqual(self.client.get(reverse("registry:create")).status_code, 403)
                response = self.client.get(
                    reverse("registry:export", kwargs={"fmt": "csv"}), {"full": "1", "region": TOWNSHIP_A}
                )
                self.assertEqual(response.status_code, 403)
