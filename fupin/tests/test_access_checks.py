"""access.require / allowed and access.requested_region: the one permission-and-region check and the
one parser of `?region=`."""

from __future__ import annotations

from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from fupin import access
from fupin.accounts.roles import Role
from fupin.permissions import Perm
from fupin.regions.models import Region
from fupin.test import (
    COUNTY,
    EVERY_PERMISSION,
    OTHER_COUNTY,
    TOWNSHIP_A,
    TOWNSHIP_B,
    VILLAGE_A,
    BaseTestCase,
    make_user,
)


class RequireTests(BaseTestCase):
    def test_it_allows_the_permission_inside_the_subtree(self):
        access.require(self.alice, Perm.CHANGE_HOUSEHOLD, VILLAGE_A)
        self.assertTrue(access.allowed(self.county_operator, Perm.CHANGE_HOUSEHOLD, VILLAGE_A))
        self.assertTrue(
            access.allowed(make_user("everywhere", EVERY_PERMISSION, "41"), Perm.CHANGE_HOUSEHOLD, OTHER_COUNTY)
        )
        self.assertFalse(access.allowed(self.national, Perm.CHANGE_HOUSEHOLD, OTHER_COUNTY))  # 三员: no records

    def test_it_refuses_a_region_outside_the_subtree(self):
        with self.assertRaises(PermissionDenied):
            access.require(self.bob, Perm.CHANGE_HOUSEHOLD, VILLAGE_A)
        with self.assertRaises(PermissionDenied):
            access.require(self.alice, Perm.CHANGE_HOUSEHOLD, COUNTY)  # above her township

    def test_it_refuses_a_role_without_the_permission(self):
        leader = make_user("leader", Role.LEADER, COUNTY)
        with self.assertRaises(PermissionDenied):
            access.require(leader, Perm.CHANGE_HOUSEHOLD, VILLAGE_A)
        access.require(leader, None, VILLAGE_A)  # no permission named: the region alone decides

    def test_it_refuses_an_inactive_user(self):
        self.alice.is_active = False
        self.assertFalse(access.allowed(self.alice, None, VILLAGE_A))


class RequestedRegionTests(BaseTestCase):
    def ask(self, user, region=None, method="get"):
        factory = RequestFactory()
        data = {} if region is None else {"region": region}
        request = factory.get("/", data) if method == "get" else factory.post("/", data)
        request.user = user
        request.session = {}
        request._messages = FallbackStorage(request)
        return access.requested_region(request), [str(m) for m in get_messages(request)]

    def test_it_gives_nothing_extra_when_nothing_is_asked(self):
        self.assertEqual(self.ask(self.alice), ("", []))
        self.assertEqual(self.ask(self.alice, "  "), ("", []))

    def test_it_gives_a_region_inside_the_subtree(self):
        self.assertEqual(self.ask(self.alice, VILLAGE_A), (VILLAGE_A, []))
        self.assertEqual(self.ask(self.county_operator, TOWNSHIP_B, method="post"), (TOWNSHIP_B, []))

    def test_it_narrows_a_region_above_the_subtree_to_the_users_own(self):
        self.assertEqual(self.ask(self.alice, COUNTY), (TOWNSHIP_A, []))
        self.assertEqual(self.ask(self.alice, "41"), (TOWNSHIP_A, []))

    def test_it_refuses_a_foreign_or_malformed_region_with_one_message(self):
        for asked in (TOWNSHIP_B, OTHER_COUNTY, "4117x", "４１", "411723101200; drop"):
            with self.subTest(asked=asked):
                self.assertEqual(self.ask(self.alice, asked), (None, [str(access.NOT_VISIBLE)]))

    def test_narrow_gives_nothing_for_a_refused_region(self):
        regions = Region.objects.all()
        self.assertEqual(access.narrow(regions, "code", None).count(), 0)
        self.assertEqual(access.narrow(regions, "code", "").count(), regions.count())
        self.assertEqual(
            set(access.narrow(regions, "code", TOWNSHIP_A).values_list("code", flat=True)),
            set(Region.objects.filter(code__startswith=TOWNSHIP_A).values_list("code", flat=True)),
        )
