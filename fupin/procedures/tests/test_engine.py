import datetime as dt
import threading
from unittest import skipUnless

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import TransactionTestCase
from django.utils import timezone

from fupin.accounts.roles import Role
from fupin.audit.models import AuditEvent
from fupin.procedures import engine
from fupin.procedures.models import Action, Batch, BatchState, Case, CaseState, Event, Evidence
from fupin.procedures.tests.base import ProcedureDriver, ProcedureTestCase, png
from fupin.registry.models import Household, PovertyStatus
from fupin.test import COUNTY, TOWNSHIP_A, load_fixture_regions, make_user


class IdentificationTestCase(ProcedureTestCase):
    def setUp(self):
        super().setUp()
        self.first, self.second = self.applicant(11), self.applicant(13)
        self.batch = self.start("identification", self.first, self.second)

    def test_a_batch_goes_through_every_step_and_its_households_enter_the_register(self):
        batch = self.run_until(self.batch, None)
        self.assertEqual(batch.state, BatchState.CLOSED)
        for household in (self.first, self.second):
            household.refresh_from_db()
            self.assertEqual(household.poverty_status, PovertyStatus.NOT_EXITED)
            self.assertEqual(household.first_identified_on, batch.closed_on)
        completed = Event.objects.filter(batch=batch, action=Action.COMPLETED)
        self.assertEqual(
            list(completed.values_list("step__code", flat=True)),
            list(batch.procedure.steps.values_list("code", flat=True)),
        )
        self.assertEqual(
            set(completed.values_list("actor__username", flat=True)),
            {"village_a", "alice", "reviewer_a", "county_operator", "county_reviewer"},
        )
        self.assertEqual(set(Case.objects.values_list("state", flat=True)), {CaseState.APPROVED})
        self.assertEqual(Event.objects.filter(action=Action.NOTICE_POSTED).count(), 2)
        # Each transition is also in the audit trail, and the status change in the household's history.
        self.assertTrue(AuditEvent.objects.filter(target_type="procedures.batch").exists())
        self.assertIn("识别纳入（批次", self.first.history.latest().history_change_reason or "")

    def test_a_household_dropped_at_a_step_leaves_while_the_rest_continue(self):
        batch = self.run_until(self.batch, "democratic_review")
        case = batch.cases.get(subject_id=self.second.pk)
        engine.drop_case(
            by=self.village_operator,
            case=case,
            version=self.version(batch),
            reason="评议未通过：家庭成员在县城购房",
            done_on=self.next_day(),
        )
        batch = self.run_until(batch, None)
        self.first.refresh_from_db()
        self.second.refresh_from_db()
        self.assertEqual(self.first.poverty_status, PovertyStatus.NOT_EXITED)
        self.assertEqual(self.second.poverty_status, PovertyStatus.NOT_IDENTIFIED)
        case.refresh_from_db()
        self.assertEqual((case.state, case.dropped_at.code), (CaseState.DROPPED, "democratic_review"))

    def test_the_wrong_role_or_region_cannot_act_and_nothing_changes(self):
        batch = self.run_until(self.batch, "township_review")
        version = self.version(batch)
        for user in (self.alice, self.village_operator, self.county_reviewer):
            with self.subTest(user.username), self.assertRaisesMessage(ValidationError, "乡镇审核"):
                engine.complete_step(
                    by=user, batch=batch, version=version, step_code="township_review", done_on=self.next_day()
                )
        with self.assertRaises(PermissionDenied):
            engine.complete_step(
                by=self.bob, batch=batch, version=version, step_code="township_review", done_on=self.day
            )
        batch.refresh_from_db()
        self.assertEqual((batch.step.code, batch.version), ("township_review", version))

    def test_a_step_cannot_be_skipped(self):
        with self.assertRaisesMessage(ValidationError, "农户申请"):
            engine.complete_step(
                by=self.village_operator,
                batch=self.batch,
                version=self.version(self.batch),
                step_code="home_survey",
                done_on=self.next_day(),
            )
        self.assertEqual(Batch.objects.get().step.code, "application")

    def test_two_reviewers_clicking_at_once_cannot_both_succeed(self):
        batch = self.run_until(self.batch, "township_review")
        self.prove(batch)
        seen = self.version(batch)
        engine.complete_step(
            by=self.township_reviewer, batch=batch, version=seen, step_code="township_review", done_on=self.next_day()
        )
        with self.assertRaisesMessage(ValidationError, "刷新"):
            engine.complete_step(
                by=self.township_reviewer, batch=batch, version=seen, step_code="township_review", done_on=self.day
            )
        self.assertEqual(Event.objects.filter(action=Action.COMPLETED, step__code="township_review").count(), 1)
        self.assertEqual(Batch.objects.get().step.code, "township_notice")

    def test_a_closed_batch_takes_no_more_actions(self):
        batch = self.run_until(self.batch, None)
        with self.assertRaisesMessage(ValidationError, "已结束"):
            engine.attach_evidence(
                by=self.county_operator,
                batch=batch,
                version=self.version(batch),
                step=batch.procedure.steps.last(),
                upload=png(),
            )

    def test_evidence_is_required_before_a_step_is_done(self):
        with self.assertRaisesMessage(ValidationError, "申请书"):
            engine.complete_step(
                by=self.village_operator,
                batch=self.batch,
                version=self.version(self.batch),
                step_code="application",
                done_on=self.next_day(),
            )

    def test_a_step_dated_before_the_last_or_in_the_future_is_refused(self):
        self.prove(self.batch)
        for day in (self.day - dt.timedelta(days=1), timezone.localdate() + dt.timedelta(days=1)):
            with self.subTest(day), self.assertRaises(ValidationError):
                engine.complete_step(
                    by=self.village_operator,
                    batch=self.batch,
                    version=self.version(self.batch),
                    step_code="application",
                    done_on=day,
                )

    def test_cases_are_added_only_at_the_first_step_and_once(self):
        with self.assertRaisesMessage(ValidationError, "已在"):
            engine.add_case(
                by=self.village_operator, batch=self.batch, version=self.version(self.batch), subject=self.first
            )
        batch = self.run_until(self.batch, "home_survey")
        with self.assertRaisesMessage(ValidationError, "第一步"):
            engine.add_case(
                by=self.village_operator, batch=batch, version=self.version(batch), subject=self.applicant(15)
            )

    def test_a_registered_household_cannot_apply_again(self):
        poor = self.applicant(17)
        Household.objects.filter(pk=poor.pk).update(poverty_status=PovertyStatus.NOT_EXITED)
        poor.refresh_from_db()
        batch = self.start("identification")
        with self.assertRaisesMessage(ValidationError, "未脱贫"):
            engine.add_case(by=self.village_operator, batch=batch, version=self.version(batch), subject=poor)


class NoticeTestCase(ProcedureTestCase):
    def setUp(self):
        super().setUp()
        self.household = self.applicant(11)
        self.batch = self.run_until(self.start("identification", self.household), "village_notice")
        self.prove(self.batch)
        self.notice = self.post(self.batch)

    def close_notice(self, done_on):
        return engine.complete_step(
            by=self.village_operator,
            batch=self.batch,
            version=self.version(self.batch),
            step_code="village_notice",
            done_on=done_on,
        )

    def object(self, **overrides):
        values = {
            "case": self.batch.cases.get(),
            "raised_on": self.notice.posted_on + dt.timedelta(days=2),
            "raised_by": "李四",
            "contact": "13800000000",
            "content": "该户儿子在县城有商品房",
        }
        return engine.raise_objection(
            by=self.village_operator, notice=self.notice, version=self.version(self.batch), **(values | overrides)
        )

    def answer(self, objection, upheld: bool):
        return engine.answer_objection(
            by=self.village_operator,
            objection=objection,
            version=self.version(self.batch),
            finding="经核实，商品房登记在儿媳娘家名下" if not upheld else "经核实属实",
            answer="已向举报人当面反馈",
            upheld=upheld,
            answered_on=self.notice.ends_on,
        )

    def test_the_notice_runs_its_days_from_the_policy_and_records_them(self):
        self.assertEqual(self.notice.days, 7)
        self.assertEqual(self.notice.ends_on, self.notice.posted_on + dt.timedelta(days=6))
        self.assertEqual([p["name"] for p in self.notice.policy], ["notice_days", "notice_counts_weekends"])
        with self.assertRaisesMessage(ValidationError, str(self.notice.ends_on)):
            self.close_notice(self.notice.ends_on)
        self.close_notice(self.notice.ends_on + dt.timedelta(days=1))

    def test_an_unanswered_objection_blocks_the_next_step(self):
        objection = self.object()
        with self.assertRaisesMessage(ValidationError, "异议"):
            self.close_notice(self.notice.ends_on + dt.timedelta(days=1))
        self.answer(objection, upheld=False)
        self.assertEqual(self.close_notice(self.notice.ends_on + dt.timedelta(days=1)).step.code, "township_review")

    def test_an_upheld_objection_drops_the_household(self):
        self.answer(self.object(), upheld=True)
        case = self.batch.cases.get()
        self.assertEqual(case.state, CaseState.DROPPED)
        self.household.refresh_from_db()
        self.assertEqual(self.household.poverty_status, PovertyStatus.NOT_IDENTIFIED)
        with self.assertRaisesMessage(ValidationError, "没有"):  # no case is left
            self.close_notice(self.notice.ends_on + dt.timedelta(days=1))

    def test_an_objection_outside_the_period_is_refused(self):
        with self.assertRaisesMessage(ValidationError, "公示期"):
            self.object(raised_on=self.notice.ends_on + dt.timedelta(days=1))

    def test_a_batch_sent_back_posts_its_notice_again(self):
        self.close_notice(self.notice.ends_on + dt.timedelta(days=1))
        self.day = self.notice.ends_on + dt.timedelta(days=1)
        batch = engine.send_back(
            by=self.township_reviewer,
            batch=self.batch,
            version=self.version(self.batch),
            step_code="township_review",
            reason="公示照片不清晰，请重新公示",
            done_on=self.next_day(),
        )
        self.assertEqual((batch.step.code, batch.round), ("village_notice", 2))
        self.assertIsNone(engine.current_notice(batch))
        self.assertIn("尚未张贴", " ".join(engine.blockers(batch)))


class EvidenceTestCase(ProcedureTestCase):
    def setUp(self):
        super().setUp()
        self.batch = self.start("identification", self.applicant(11))

    def attach(self, upload):
        return engine.attach_evidence(
            by=self.village_operator,
            batch=self.batch,
            version=self.version(self.batch),
            step=self.batch.step,
            upload=upload,
            document="申请书",
        )

    def test_a_photo_is_stored_with_its_kind_read_from_its_bytes(self):
        item = self.attach(png("申请书.jpg"))  # named .jpg, but its bytes are a PNG
        self.assertEqual((item.kind, item.size), ("photo", 72))
        self.assertTrue(item.file.storage.exists(item.file.name))

    def test_a_file_of_the_wrong_type_or_too_big_is_refused(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from fupin.lib import uploads

        with self.assertRaisesMessage(ValidationError, "不是"):
            self.attach(SimpleUploadedFile("申请书.png", b"MZ\x90\x00 not an image"))
        with self.assertRaisesMessage(ValidationError, "空"):
            self.attach(SimpleUploadedFile("申请书.png", b""))
        limit = uploads.MAX_BYTES["photo"]
        big = SimpleUploadedFile("big.png", png().read() + bytes(limit))
        with self.assertRaisesMessage(ValidationError, "10.0"):
            self.attach(big)
        self.assertFalse(Evidence.objects.exists())


@skipUnless(connection.vendor == "postgresql", "needs concurrent connections (PostgreSQL)")
class ConcurrentApprovalTestCase(ProcedureDriver, TransactionTestCase):
    """Two reviewers submit the same step at the same moment, each in their own connection."""

    def setUp(self):
        super().setUp()
        load_fixture_regions()
        type(self).alice = make_user("alice", Role.TOWNSHIP_OPERATOR, TOWNSHIP_A)
        type(self).county_operator = make_user("county_operator", Role.COUNTY_OPERATOR, COUNTY)
        type(self).cast()

    def test_only_one_of_two_concurrent_completions_succeeds(self):
        case = self
        batch = self.run_until(self.start("identification", self.applicant(11)), "township_review")
        self.prove(batch)
        seen = self.version(batch)
        barrier, outcomes = threading.Barrier(2), []

        def review():
            try:
                barrier.wait()
                engine.complete_step(
                    by=case.township_reviewer,
                    batch=batch,
                    version=seen,
                    step_code="township_review",
                    done_on=case.day + dt.timedelta(days=1),
                )
                outcomes.append("done")
            except ValidationError as e:
                outcomes.append(e.messages[0])
            finally:
                connection.close()

        threads = [threading.Thread(target=review) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(sorted(outcomes)[0], "done")
        self.assertIn("刷新", sorted(outcomes)[1])
        self.assertEqual(Event.objects.filter(action=Action.COMPLETED, step__code="township_review").count(), 1)


class CandidatesTestCase(ProcedureTestCase):
    def test_the_picker_hides_households_already_in_an_open_procedure(self):
        free, busy = self.applicant(11), self.applicant(13)
        first = self.start("identification", busy)
        second = self.start("identification")
        spec = engine.kind_of(second)
        self.assertEqual(set(spec.candidates(second)), {free})
        engine.drop_case(
            by=self.village_operator,
            case=first.cases.get(),
            version=self.version(first),
            reason="本人撤回申请",
            done_on=self.next_day(),
        )
        self.assertEqual(set(spec.candidates(second)), {free, busy})  # free again once dropped
