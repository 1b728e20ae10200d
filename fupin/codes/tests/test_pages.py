from django.urls import reverse

from fupin.audit.models import AuditEvent, EventType
from fupin.codes.catalogue import code_list
from fupin.codes.models import Code, Kind
from fupin.test import BaseTestCase


class CodePagesTestCase(BaseTestCase):
    def setUp(self):
        self.client.force_login(self.national)

    def test_a_national_administrator_adds_a_code_that_the_records_then_accept(self):
        url = reverse("codes:create", args=[Kind.POVERTY_CAUSE])
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                url, {"value": "88", "label": "因灾（测试）", "position": 88, "is_active": "on"}
            )
        self.assertRedirects(response, reverse("codes:list", args=[Kind.POVERTY_CAUSE]))
        self.assertEqual(code_list(Kind.POVERTY_CAUSE).parse("因灾（测试）"), "88")
        event = AuditEvent.objects.get(event_type=EventType.CREATE, target_type__endswith="code")
        self.assertEqual(event.changes["label"], "因灾（测试）")

    def test_retiring_a_code_keeps_it_readable_but_no_longer_offered(self):
        code = Code.objects.get(kind=Kind.POVERTY_CAUSE, value="1")
        url = reverse("codes:edit", args=[Kind.POVERTY_CAUSE, code.pk])
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(url, {"value": "changed", "label": code.label, "position": code.position})
        code.refresh_from_db()
        self.assertEqual((code.value, code.is_active), ("1", False))  # the value cannot be renumbered
        self.assertEqual(code_list(Kind.POVERTY_CAUSE).label("1"), code.label)
        self.assertNotIn("1", dict(code_list(Kind.POVERTY_CAUSE).choices()))
        self.assertEqual(AuditEvent.objects.get(event_type=EventType.UPDATE).changes, {"is_active": [True, False]})

    def test_a_duplicate_label_or_a_bad_code_is_refused_in_chinese(self):
        url = reverse("codes:create", args=[Kind.POVERTY_CAUSE])
        label = Code.objects.filter(kind=Kind.POVERTY_CAUSE).first().label
        response = self.client.post(url, {"value": "98", "label": label, "position": 1})
        self.assertContains(response, "该代码表已有名称")
        response = self.client.post(url, {"value": "9 8", "label": "新原因", "position": 1})
        self.assertContains(response, "代码只能由字母和数字组成")
        self.assertFalse(Code.objects.filter(kind=Kind.POVERTY_CAUSE, value__in=["98", "9 8"]).exists())

    def test_an_administrator_bound_to_a_township_may_read_but_not_change(self):
        self.client.force_login(self.admin_a)
        self.assertNotContains(self.client.get(reverse("codes:list", args=[Kind.POVERTY_CAUSE])), "新建代码")
        response = self.client.post(reverse("codes:create", args=[Kind.POVERTY_CAUSE]), {"value": "97", "label": "x"})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.client.get(reverse("codes:list", args=["no_such_list"])).status_code, 404)
