from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.urls import reverse

from fupin.policy.models import PolicyValue
from fupin.procedures.tests.base import PDF, png
from fupin.projects import funds, library, notices
from fupin.projects.models import ProjectNotice
from fupin.test import COUNTY

from .base import ProjectTestCase

JAN_3 = dt.date(2024, 1, 3)


class NoticeTests(ProjectTestCase):
    def post(self, project, kind="before", posted_on=JAN_3, ended_on=JAN_3 + dt.timedelta(days=9), **values):
        values = {"place": "河北村村务公开栏", "photos": [png()], **values}
        return notices.record_posting(
            by=self.alice, project=project, kind=kind, posted_on=posted_on, ended_on=ended_on, **values
        )

    def test_a_notice_stays_posted_the_policys_days_counting_both_ends(self):
        project = self.project()
        with self.assertRaises(ValidationError) as caught:
            self.post(project, ended_on=JAN_3 + dt.timedelta(days=8))
        self.assertIn("2024-01-12", " ".join(caught.exception.message_dict["ended_on"]))
        notice = self.post(project)  # 3 to 12 January: ten days
        self.assertEqual((notice.days, notice.days_required), (10, 10))
        self.assertEqual(notice.policy["name"], "project_notice_days")

    def test_a_county_may_ask_for_longer(self):
        PolicyValue.objects.create(name="project_notice_days", region_code=COUNTY, year=2020, value=Decimal(15))
        with self.assertRaises(ValidationError):
            self.post(self.project())

    def test_the_notice_after_completion_waits_for_the_completion(self):
        project = self.project()
        with self.assertRaises(ValidationError) as caught:
            self.post(project, kind="after")
        self.assertIn("kind", caught.exception.message_dict)
        project = self.advance(project, "library", "approved", "started", on=dt.date(2024, 3, 1))
        project = self.advance(project, "completed", on=dt.date(2024, 9, 20))
        with self.assertRaises(ValidationError):
            self.post(project, kind="after", posted_on=dt.date(2024, 9, 19), ended_on=dt.date(2024, 9, 30))
        self.post(project, kind="after", posted_on=dt.date(2024, 9, 20), ended_on=dt.date(2024, 9, 29))

    def test_the_notice_before_implementation_is_posted_before_the_start(self):
        project = self.advance(self.project(), "library", "approved", "started", on=dt.date(2024, 3, 1))
        self.assertIn("开工", notices.missing_notice(project))
        with self.assertRaises(ValidationError) as caught:
            self.post(project, posted_on=dt.date(2024, 3, 1), ended_on=dt.date(2024, 3, 10))
        self.assertIn("posted_on", caught.exception.message_dict)
        self.post(project, posted_on=dt.date(2024, 2, 1), ended_on=dt.date(2024, 2, 10))
        self.assertIsNone(notices.missing_notice(project))

    def test_a_posting_needs_a_photo_that_is_a_photo(self):
        project = self.project()
        for photos in ([], [png("a.png")] * 7):
            with self.subTest(n=len(photos)), self.assertRaises(ValidationError) as caught:
                self.post(project, photos=photos)
            self.assertIn("photos", caught.exception.message_dict)
        from django.core.files.uploadedfile import SimpleUploadedFile

        with self.assertRaises(ValidationError):
            self.post(project, photos=[SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf")])
        self.assertFalse(ProjectNotice.objects.exists())

    def test_the_notice_has_every_required_field_and_keeps_what_was_posted(self):
        project = self.project(phone="0396-5011234")
        funds.allocate(by=self.alice, project=project, source_id=self.central.pk, amount=Decimal("600000"))
        notice = self.post(project, hotline="12317、0396-5012317")
        library.save_project(by=self.alice, project=project, values={"name": "改名后的项目"})
        html = notices.notice_html(notice.content, notice.hotline, notice.days_required, notice)
        for text in (
            "河北村光伏电站实施前公告",  # the name as posted, not as renamed
            "河南省驻马店市平舆县杨埠镇",  # location
            "建设村级光伏电站100千瓦",  # content
            "中央财政专项扶贫资金 600,000.00 元",  # source and amount
            "2024-03-01 至 2024-09-30",  # period
            "带动脱贫户30户",  # targets
            "杨埠镇人民政府　李强　0396-5011234",  # implementer and person
            "12317、0396-5012317",  # hotline
            "2024年1月3日至2024年1月12日（10天）",
        ):
            self.assertIn(text, html)

    def test_the_pages_print_and_record_notices(self):
        project = self.project()
        self.client.force_login(self.alice)
        draft = self.client.get(reverse("projects:notice_draft", args=[project.pk, "before"]))
        self.assertEqual(draft["Content-Type"], "application/pdf")
        self.assertTrue(draft.content.startswith(b"%PDF"))
        self.assertEqual(self.client.get(reverse("projects:notice_draft", args=[project.pk, "later"])).status_code, 404)
        page = self.client.post(
            reverse("projects:notice_add", args=[project.pk]),
            {
                "notice-kind": "before",
                "notice-posted_on": "2024-01-03",
                "notice-ended_on": "2024-01-08",
                "notice-place": "村部",
                "notice-hotline": "12317",
                "notice-photos": [png()],
            },
            follow=True,
        )
        self.assertContains(page, "公示期不少于 10 天")
        self.client.post(
            reverse("projects:notice_add", args=[project.pk]),
            {
                "notice-kind": "before",
                "notice-posted_on": "2024-01-03",
                "notice-ended_on": "2024-01-12",
                "notice-place": "村部",
                "notice-hotline": "12317",
                "notice-photos": [png("贴出.png")],
            },
        )
        notice = ProjectNotice.objects.get()
        page = self.client.get(project.get_absolute_url())
        self.assertContains(page, "贴出.png")
        self.assertEqual(self.client.get(notice.photos.get().get_absolute_url()).status_code, 200)
