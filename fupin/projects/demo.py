"""Projects for the demo county: a county-wide industrial park, a village photovoltaic plant and a
village road in cadre1's township, at different stages, with allocations, payments and the poor
households of cadre1's village linked to the plant. Each entered the library through its intake
batch. A fourth, planned to start in three months, is in its village's intake batch, at the public
notice. A second run changes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_CEILING, Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from fupin.accounts.demo import DEMO_COUNTY
from fupin.accounts.models import User
from fupin.procedures import engine
from fupin.procedures.demo import walk
from fupin.regions.models import Region
from fupin.registry.models import HELPED, Household

from . import budgets, funds, intake, library, links
from .models import Allocation, FundSource, Project, Stage

PROJECTS = (
    # name, category, level, where ("county", "township", "village"), investment, months ago started, stages
    ("平舆县扶贫产业园标准化厂房", "industrial", "county", "county", "8000000", 10, 6),
    ("光伏扶贫电站", "industrial", "village", "village", "1200000", 5, 5),
    ("村组道路硬化", "infrastructure", "village", "village", "650000", 2, 2),
    ("肉牛养殖合作社圈舍", "industrial", "village", "village", "300000", -3, 0),
)
ACTORS = ("village11_operator", "township1_reviewer", "county_operator", "department", "county_reviewer")


@transaction.atomic
def seed() -> str:
    if Project.objects.exists():
        return "projects already seeded"
    admin = User.objects.get(username="county_operator")
    village = User.objects.get(username="cadre1").region_id
    places = {"county": DEMO_COUNTY, "township": village[:9], "village": village}
    today = timezone.localdate()
    central = FundSource.objects.get(code="central_special")
    county_funds = FundSource.objects.get(code="county_special")
    created = []
    for name, category, level, where, investment, months_ago, stages in PROJECTS:
        start = today - dt.timedelta(days=30 * months_ago)
        project = library.save_project(
            by=admin,
            project=None,
            values={
                "name": name,
                "year": start.year,
                "category": category,
                "work_type": "new",
                "level": level,
                "region_id": places[where],
                "responsible_unit": "平舆县乡村振兴局",
                "responsible_person": "陈明",
                "content": name,
                "performance_targets": "带动脱贫户稳定增收，群众满意度≥90%",
                "expected_households": 30,
                "expected_people": 90,
                "total_investment": Decimal(investment),
                "planned_start_on": start,
                "planned_completion_on": start + dt.timedelta(days=180),
            },
        )
        created.append((project, start, stages))
    _intake(created, today)
    for project, start, stages in created:
        for stage in list(Stage)[2 : stages + 1]:  # past the library, which intake has decided
            document = _scan(stage) if stage in library.NEEDS_DOCUMENT else None
            library.advance(by=admin, project=project, stage=stage, on=start, document=document)
        if not stages:
            continue
        amount = project.total_investment
        funds.allocate(by=admin, project=project, source_id=central.pk, amount=amount * Decimal("0.6"))
        funds.allocate(by=admin, project=project, source_id=county_funds.pk, amount=amount * Decimal("0.2"))
        if stages >= 5:
            funds.disburse(
                by=admin,
                project=project,
                source_id=central.pk,
                amount=amount * Decimal("0.3"),
                paid_on=start,
                voucher_no=f"{start:%Y%m}-{project.pk:03d}",
            )
    _budgets(admin)
    plant = Project.objects.get(name="光伏扶贫电站")
    for household in Household.objects.filter(region_id=village, poverty_status__in=HELPED)[:10]:
        links.link(
            by=admin, project=plant, household_no=household.household_no, kind="dividend", annual_amount=Decimal(800)
        )
    plant.refresh_from_db()
    return f"{len(PROJECTS)} projects, {plant.linked_households} households linked to the plant"


def _budgets(admin) -> None:
    """What the central and county sources made available to the county each year: a quarter more than
    the demo's projects were allocated, so the fund-source view opens on what is left, not a deficit."""
    allocated = (
        Allocation.objects.order_by()
        .values("project__year", "source_id")
        .annotate(total=Sum("amount"))
        .values_list("project__year", "source_id", "total")
    )
    for year, source_id, total in allocated:
        amount = (total * Decimal("1.25") / 10000).quantize(Decimal(1), rounding=ROUND_CEILING) * 10000
        values = {"source_id": source_id, "region_id": DEMO_COUNTY, "year": year, "amount": amount}
        budgets.save_budget(by=admin, budget=None, values={**values, "document": f"平财农〔{year}〕1号"})


def _intake(created: list, today: dt.date) -> None:
    """The intake batches: one per ledger level and region for the projects already under way, run
    to their end a month before the first of them started, and this year's village batch at its notice."""
    actors = [User.objects.get(username=name) for name in ACTORS]
    groups: dict = {}
    for project, start, stages in created:
        key = (intake.kind_name(project), intake.batch_region(project), bool(stages))
        groups.setdefault(key, []).append((project, start))
    for (kind, region, under_way), members in groups.items():
        first = min(start for _project, start in members)
        day = first - dt.timedelta(days=30) if under_way else today - dt.timedelta(days=5)
        by = next(user for user in actors if user.role in engine.procedure_for(kind, region).steps.first().actor_roles)
        batch = engine.start_batch(
            by=by, kind=kind, region=Region.objects.get(code=region), year=first.year, done_on=day
        )
        for project, _start in members:
            batch.refresh_from_db()
            engine.add_case(by=by, batch=batch, version=batch.version, subject=project)
        walk(batch, actors, day + dt.timedelta(days=1), until=None if under_way else "village_notice")
        if not under_way:  # posted two days ago: the notice is running
            batch.refresh_from_db()
            engine.post_notice(
                by=by, batch=batch, version=batch.version, posted_on=today - dt.timedelta(days=2), place="村委会公开栏"
            )


def _scan(stage: str):
    """A small grey page standing in for the stage's scanned document."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (120, 160), (235, 235, 235)).save(buffer, format="PNG")
    return SimpleUploadedFile(f"{stage}.png", buffer.getvalue(), content_type="image/png")
