"""Procedures for the demo county: the rural population of its villages, and three applicant
households of the first demo village in an identification batch that has reached its village notice,
with an objection waiting for an answer. (No exit batch: the generated incomes are of last year, for
which no national poverty line exists after 2020.) Run after the demo users and households exist; a
second run changes nothing."""

from __future__ import annotations

import datetime as dt
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from fupin.accounts.demo import DEMO_COUNTY
from fupin.accounts.models import User
from fupin.policy import demo as policy_demo
from fupin.regions.models import Level, Region
from fupin.registry import actions
from fupin.registry.id_numbers import make
from fupin.registry.models import Household

from . import engine, regional
from .models import Batch

APPLICANTS = (("孙建国", "1972-03-14", 1), ("周秀英", "1968-11-02", 2), ("吴志强", "1985-07-21", 1))


def _png() -> bytes:
    """A small grey picture, to stand for the photos and scans an office would attach."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xa0" * 64 for _ in range(48))
    header = struct.pack(">IIBBBBB", 64, 48, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def prove(batch: Batch, by) -> None:
    batch.refresh_from_db()
    for document in engine.missing_evidence(batch, batch.step):
        upload = SimpleUploadedFile(f"{document}.png", _png(), content_type="image/png")
        engine.attach_evidence(
            by=by, batch=batch, version=batch.version, step=batch.step, upload=upload, document=document
        )
        batch.refresh_from_db()


def _complete(batch: Batch, by, day: dt.date) -> Batch:
    prove(batch, by)
    return engine.complete_step(by=by, batch=batch, version=batch.version, step_code=batch.step.code, done_on=day)


def walk(batch: Batch, actors: list, day: dt.date, until: str | None = None) -> tuple[Batch, dt.date]:
    """Complete the batch's steps a day apart, each by the first of `actors` who acts at it, until
    it reaches the step `until` (None: to its end). A notice is posted and run out. Returns the batch
    and the next free day."""
    batch.refresh_from_db()
    while batch.is_open and batch.step.code != until:
        by = next(user for user in actors if engine.can_act(user, batch))
        if batch.step.is_notice:
            prove(batch, by)
            notice = engine.post_notice(by=by, batch=batch, version=batch.version, posted_on=day, place="公开栏")
            day = notice.ends_on + dt.timedelta(days=1)
        batch = _complete(batch, by, day)
        day += dt.timedelta(days=1)
    return batch, day


def _population(by, county: Region, year: int) -> None:
    villages = Region.objects.filter(level=Level.VILLAGE, code__startswith=county.code)
    people = dict(
        Household.objects.filter(region__in=villages)
        .values("region_id")
        .annotate(n=Sum("size"))
        .values_list("region_id", "n")
    )
    for village in villages:
        # About one registered poor person in eight rural residents, as in a poor county around 2015.
        regional.set_population(
            by=by,
            region=village,
            year=year,
            rural_population=max(800, (people.get(village.code) or 0) * 8),
            source="演示数据",
        )


@transaction.atomic
def seed() -> str:
    if Batch.objects.filter(procedure__kind="identification").exists():
        return "procedures already seeded"
    operator = User.objects.get(username="village11_operator")
    village = operator.region
    today = timezone.localdate()
    policy_demo.install_lines(User.objects.get(username="admin"))
    _population(User.objects.get(username="county_operator"), Region.objects.get(code=DEMO_COUNTY), today.year - 1)

    households = []
    for seq, (name, born, sex) in enumerate(APPLICANTS, start=1):
        household = actions.register_household(
            by=operator,
            values={"region_id": village.code, "household_attribute": "01", "main_cause": "1", "group_name": "三组"},
        )
        id_number = make(village.code[:6], dt.date.fromisoformat(born), 2 * seq + (1 if sex == 1 else 0))
        actions.add_member(
            by=operator,
            household=household,
            values={
                "name": name,
                "id_number": id_number,
                "relation_to_head": "01",
                "document_type": "1",
                "ethnicity": "01",
            },
        )
        households.append(household)
    # Far enough back that the village notice has run its days: a newcomer answers the objection and
    # takes the batch on to the county's announcement.
    batch = engine.start_batch(
        by=operator, kind="identification", region=village, year=today.year, done_on=today - dt.timedelta(days=20)
    )
    for household in households:
        batch.refresh_from_db()
        engine.add_case(by=operator, batch=batch, version=batch.version, subject=household, reason="本人申请")
    for offset in (19, 18, 16):
        batch = _complete(batch, operator, today - dt.timedelta(days=offset))
    prove(batch, operator)
    notice = engine.post_notice(
        by=operator, batch=batch, version=batch.version, posted_on=today - dt.timedelta(days=14), place="村委会公开栏"
    )
    batch.refresh_from_db()
    engine.raise_objection(
        by=operator,
        notice=notice,
        version=batch.version,
        case=batch.cases.last(),
        raised_on=today - dt.timedelta(days=12),
        raised_by="",
        contact="",
        content="反映该户在县城开有门面房，请核实。",
    )

    return f"identification batch #{batch.pk} at its village notice, with an objection to answer"
