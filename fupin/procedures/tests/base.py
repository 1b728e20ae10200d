"""The cast and a driver for procedure tests: one actor per role of township A, and steps walked in order."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from fupin.accounts.roles import Role
from fupin.procedures import engine
from fupin.procedures.models import Batch
from fupin.regions.models import Region
from fupin.test import COUNTY, TOWNSHIP_A, VILLAGE_A, BaseTestCase, make_household, make_user, person_id

PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)
PDF = b"%PDF-1.4\n" + bytes(64)


def png(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


class ProcedureDriver:
    """Walks batches through their steps as the right actor for each. `cast` makes the actors."""

    @classmethod
    def cast(cls):
        cls.village_operator = make_user("village_a", Role.VILLAGE_OPERATOR, VILLAGE_A)
        cls.township_reviewer = make_user("reviewer_a", Role.TOWNSHIP_REVIEWER, TOWNSHIP_A)
        cls.county_reviewer = make_user("county_reviewer", Role.COUNTY_REVIEWER, COUNTY)

    def setUp(self):
        super().setUp()
        self.day = timezone.localdate() - dt.timedelta(days=120)

    def next_day(self, days: int = 1) -> dt.date:
        self.day += dt.timedelta(days=days)
        return self.day

    def actor(self, step):
        for user in (self.village_operator, self.alice, self.township_reviewer, self.county_operator):
            if user.role in step.actor_roles:
                return user
        return self.county_reviewer

    def applicant(self, seq: int = 11, **values):
        born = "1970-01-01"
        values.setdefault("poverty_status", "applicant")
        return make_household(
            self.alice,
            household_no=values.pop("household_no", f"A{seq}"),
            members=[{"name": values.pop("name", f"申请人{seq}"), "id_number": person_id(born, seq)}],
            **values,
        )

    def start(self, kind: str = "identification", *households, year: int | None = None) -> Batch:
        batch = engine.start_batch(
            by=self.village_operator,
            kind=kind,
            region=Region.objects.get(code=VILLAGE_A),
            year=year or timezone.localdate().year,
            done_on=self.next_day(),
        )
        for household in households:
            engine.add_case(by=self.village_operator, batch=batch, version=self.version(batch), subject=household)
        return batch

    def version(self, batch: Batch) -> int:
        return Batch.objects.values_list("version", flat=True).get(pk=batch.pk)

    def prove(self, batch: Batch) -> None:
        batch.refresh_from_db()
        for document in engine.missing_evidence(batch, batch.step):
            engine.attach_evidence(
                by=self.actor(batch.step),
                batch=batch,
                version=self.version(batch),
                step=batch.step,
                upload=png(),
                document=document,
            )

    def post(self, batch: Batch):
        return engine.post_notice(
            by=self.actor(batch.step),
            batch=batch,
            version=self.version(batch),
            posted_on=self.next_day(),
            place="村务公开栏",
        )

    def complete(self, batch: Batch) -> Batch:
        """Complete the current step as its actor: evidence attached, a notice posted and run out."""
        self.prove(batch)
        if batch.step.is_notice:
            notice = engine.current_notice(batch) or self.post(batch)
            self.day = max(self.day, notice.ends_on)
        return engine.complete_step(
            by=self.actor(batch.step),
            batch=batch,
            version=self.version(batch),
            step_code=batch.step.code,
            done_on=self.next_day(),
        )

    def run_until(self, batch: Batch, code: str | None) -> Batch:
        """Complete steps until the batch is at `code` (None: to the end)."""
        batch.refresh_from_db()
        while batch.is_open and (code is None or batch.step.code != code):
            batch = self.complete(batch)
        return batch


class ProcedureTestCase(ProcedureDriver, BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.cast()
