from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from fupin.accounts.roles import Role
from fupin.procedures import definitions, engine
from fupin.procedures.models import Procedure
from fupin.procedures.tests.base import ProcedureTestCase
from fupin.test import VILLAGE_A, make_user


class ProvinceDefinitionTestCase(ProcedureTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.henan = make_user("henan_admin", Role.SYSTEM_ADMIN, "41")

    def customise(self) -> Procedure:
        return definitions.customise(by=self.henan, kind="identification", province=self.region("41"))

    def test_a_province_copies_the_national_steps_and_its_villages_use_them(self):
        own = self.customise()
        self.assertEqual(engine.procedure_for("identification", VILLAGE_A), own)
        self.assertEqual(
            engine.procedure_for("identification", "441900"),
            Procedure.objects.get(kind="identification", region_code=""),
        )
        notice = own.steps.get(code="village_notice")
        definitions.save_step(by=self.henan, step=notice, values={"name": "村内公示（5天）"})
        added = definitions.add_step(
            by=self.henan,
            procedure=own,
            after=notice.position,
            values={
                "code": "second_review",
                "name": "村民代表复议",
                "actor_roles": ["village_operator"],
                "is_notice": False,
                "evidence_required": ["复议记录"],
                "can_send_back": False,
            },
        )
        self.assertEqual(added.position, notice.position + 1)
        self.assertEqual(list(own.steps.values_list("position", flat=True)), list(range(1, 11)))
        batch = self.start("identification", self.applicant(11))
        self.assertEqual(batch.procedure, own)
        self.assertEqual(
            self.run_until(batch, "township_review").procedure.steps.get(code="village_notice").name, "村内公示（5天）"
        )
        with self.assertRaisesMessage(ValidationError, "使用"):
            definitions.remove_step(by=self.henan, step=own.steps.get(code="application"))
        definitions.remove_step(by=self.henan, step=own.steps.get(code="registration"))
        self.assertEqual(own.steps.count(), 9)

    def test_only_the_right_administrator_changes_a_definition(self):
        own = self.customise()
        national = Procedure.objects.get(kind="identification", region_code="")
        with self.assertRaises(PermissionDenied):
            definitions.save_step(by=self.henan, step=national.steps.first(), values={"name": "x"})
        with self.assertRaises(PermissionDenied):
            definitions.save_step(by=self.admin_b, step=own.steps.first(), values={"name": "x"})
        with self.assertRaisesMessage(ValidationError, "已有"):
            self.customise()
        with self.assertRaisesMessage(ValidationError, "角色"):
            definitions.save_step(by=self.national, step=national.steps.first(), values={"actor_roles": []})

    def test_the_pages(self):
        self.client.force_login(self.henan)
        response = self.client.post(reverse("procedures:definitions"), {"kind": "exit"})
        own = Procedure.objects.get(kind="exit", region_code="41")
        self.assertRedirects(
            response, reverse("procedures:definitions") + f"#procedure-{own.pk}", fetch_redirect_response=False
        )
        step = own.steps.get(code="village_notice")
        page = self.client.get(reverse("procedures:step_edit", args=[step.pk]))
        self.assertEqual(page.status_code, 200)
        data = {**page.context["form"].initial, "name": "村内公示", "evidence_required": "公示照片\n公示记录"}
        self.client.post(reverse("procedures:step_edit", args=[step.pk]), data)
        step.refresh_from_db()
        self.assertEqual((step.name, step.evidence_required), ("村内公示", ["公示照片", "公示记录"]))
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get(reverse("procedures:step_edit", args=[step.pk])).status_code, 403)


class DemoTestCase(ProcedureTestCase):
    def test_the_demo_seed_makes_a_batch_at_its_notice_once(self):
        from fupin.accounts.demo import create_demo_data
        from fupin.procedures import demo
        from fupin.procedures.models import Batch, Objection, RegionPopulation

        create_demo_data()
        self.assertIn("#", demo.seed())
        batch = Batch.objects.get()
        self.assertEqual((batch.step.code, batch.cases.count()), ("village_notice", 3))
        self.assertEqual(Objection.objects.filter(answered_on__isnull=True).count(), 1)
        self.assertTrue(RegionPopulation.objects.exists())
        self.assertEqual(demo.seed(), "procedures already seeded")
