"""Full ID numbers and bank accounts only for the roles allowed to see them, and every showing audited:
every URL is walked as a user of every role over a household with an ID number and a bank account, and
over an import of that household; a full number on a page, export or report fails the walk unless the
role holds the permission and the request wrote a `sensitive_view` event."""

from __future__ import annotations

import csv
import io

from django.urls import reverse
from openpyxl import load_workbook

from fupin.accounts.roles import ROLE_SPECS, Role
from fupin.audit.models import AuditEvent, EventType
from fupin.permissions import Perm
from fupin.regions.models import CODE_LENGTHS
from fupin.registry.models import Household
from fupin.test import VILLAGE_A, make_user, person_id
from fupin.tests.test_access import LIST_URLS, OBJECT_URLS, TownshipARecords, list_kwargs
from fupin.transfer import pipeline
from fupin.transfer.spec import get_spec

FULL_ID = person_id("1970-01-01", 11)  # household_a's head
ACCOUNT = "6217000011112222333"
# Pages that show full numbers on request, beside the URL table's plain requests.
REVEALING = {
    "registry:household": "?reveal=1",
    "transfer:detail": "?reveal=1",
}
EXPORTS = [
    ("registry:export", {"fmt": "xlsx"}, "?full=1"),
    ("registry:export", {"fmt": "csv"}, "?full=1"),
    ("registry:export", {"fmt": "xlsx"}, "?full=1&layout=template"),
    ("registry:export", {"fmt": "csv"}, ""),
]


def text_of(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        workbook = load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(str(c) for ws in workbook for row in ws.iter_rows(values_only=True) for c in row)
    return content.decode("utf-8", errors="replace")


def user_of_every_role() -> list:
    """One user of each role, at the deepest level it may sit at above (or at) village A."""
    users = []
    for role in Role:
        level = max(ROLE_SPECS[role].levels)
        users.append(make_user(f"walk_{role}", role, VILLAGE_A[: CODE_LENGTHS[level]]))
    return users


class FullNumbersWalkTestCase(TownshipARecords):
    def setUp(self):
        super().setUp()
        Household.objects.filter(pk=self.household_a.pk).update(bank_name="信用社", bank_account=ACCOUNT)
        spec = get_spec("households")
        values = {
            "household_no": self.household_a.household_no,
            "name": "甲村户主",
            "id_number": FULL_ID,
            "relation_to_head": "户主",
            "bank_account": ACCOUNT,
            "region_id": "999",  # an error, so that the batch keeps the row's cells for its page
        }
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([c.header for c in spec.columns])
        writer.writerow([values.get(c.key, "") for c in spec.columns])
        self.id_batch = pipeline.stage(
            spec=spec, filename="甲村户.csv", content=buffer.getvalue().encode(), by=self.admin_a
        )

    def requests(self):
        for name, make_kwargs in OBJECT_URLS.items():
            kwargs = make_kwargs(self)
            if name.startswith("transfer:"):
                kwargs = {"pk": self.id_batch.pk}
            yield reverse(name, kwargs=kwargs)
            if name in REVEALING:
                yield reverse(name, kwargs=kwargs) + REVEALING[name]
        for name, (kwargs, query) in LIST_URLS.items():
            if name != "accounts:logout":
                yield reverse(name, kwargs=list_kwargs(self, kwargs)) + query
        for name, kwargs, query in EXPORTS:
            yield reverse(name, kwargs=kwargs) + query

    def test_a_full_number_is_shown_only_with_the_permission_and_always_recorded(self):
        shown: dict[str, list[str]] = {}
        for user in user_of_every_role():
            self.client.force_login(user)
            allowed = user.has_perm(Perm.VIEW_FULL_ID)
            for url in self.requests():
                before = AuditEvent.objects.filter(actor=user, event_type=EventType.SENSITIVE_VIEW).count()
                text = text_of(self.client.get(url))
                if FULL_ID not in text and ACCOUNT not in text:
                    continue
                recorded = AuditEvent.objects.filter(actor=user, event_type=EventType.SENSITIVE_VIEW).count() > before
                with self.subTest(role=user.role, url=url):
                    self.assertTrue(allowed, "a full number shown without the permission")
                    self.assertTrue(recorded, "a full number shown without a sensitive_view event")
                shown.setdefault(user.role, []).append(url)
        # the walk saw the numbers where they belong: it can fail
        operator = shown.get(Role.TOWNSHIP_OPERATOR, [])
        for expected in ("?reveal=1", "/edit/", "/members/", f"/imports/{self.id_batch.pk}/report"):
            self.assertTrue(any(expected in url for url in operator), (expected, operator))
        self.assertTrue(any("full=1" in url for url in shown.get(Role.COUNTY_OPERATOR, [])))
        self.assertNotIn(Role.LEADER, shown)
        self.assertNotIn(Role.INSPECTOR, shown)

    def test_the_import_page_masks_the_numbers_until_revealed(self):
        self.client.force_login(self.alice)
        url = reverse("transfer:detail", args=[self.id_batch.pk])
        page = self.client.get(url).content.decode()
        self.assertNotIn(FULL_ID, page)
        self.assertIn(FULL_ID[:6] + "*" * 8 + FULL_ID[-4:], page)
        self.assertIn('data-testid="reveal"', page)
        self.assertIn(FULL_ID, self.client.get(url + "?reveal=1").content.decode())
        event = AuditEvent.objects.filter(actor=self.alice, event_type=EventType.SENSITIVE_VIEW).get()
        self.assertEqual((event.target_id, event.changes["fields"]), (str(self.id_batch.pk), "import_cells"))
