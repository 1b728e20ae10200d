"""Projects for the demo county: a county-wide industrial park, a village photovoltaic plant and a
village road in cadre1's township, at different stages, with allocations, payments and the poor
households of cadre1's village linked to the plant. A second run changes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from fupin.accounts.demo import DEMO_COUNTY
from fupin.accounts.models import User
from fupin.assistance.models import HELPED
from fupin.registry.models import Household

from . import funds, library, links
from .models import FundSource, Project, Stage

PROJECTS = (
    # name, category, level, where ("county", "township", "village"), investment, months ago started, stages
    ("平舆县扶贫产业园标准化厂房", "industrial", "county", "county", "8000000", 10, 6),
    ("光伏扶贫电站", "industrial", "village", "village", "1200000", 5, 5),
    ("村组道路硬化", "infrastructure", "village", "village", "650000", 2, 2),
)


@transaction.atomic
def seed() -> str:
    if Project.objects.exists():
        return "projects already seeded"
    admin = User.objects.get(username="county_admin")
    village = User.objects.get(username="cadre1").region_id
    places = {"county": DEMO_COUNTY, "township": village[:9], "village": village}
    today = timezone.localdate()
    central = FundSource.objects.get(code="central_special")
    county_funds = FundSource.objects.get(code="county_special")
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
        for stage in list(Stage)[1 : stages + 1]:
            document = _scan(stage) if stage in library.NEEDS_DOCUMENT else None
            library.advance(by=admin, project=project, stage=stage, on=start, document=document)
        amount = Decimal(investment)
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
    plant = Project.objects.get(name="光伏扶贫电站")
    for household in Household.objects.filter(region_id=village, poverty_status__in=HELPED)[:10]:
        links.link(
            by=admin, project=plant, household_no=household.household_no, kind="dividend", annual_amount=Decimal(800)
        )
    plant.refresh_from_db()
    return f"{len(PROJECTS)} projects, {plant.linked_households} households linked to the plant"


def _scan(stage: str):
    """A small grey page standing in for the stage's scanned document."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (120, 160), (235, 235, 235)).save(buffer, format="PNG")
    return SimpleUploadedFile(f"{stage}.png", buffer.getvalue(), content_type="image/png")
