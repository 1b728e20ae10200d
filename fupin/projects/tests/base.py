from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from fupin.accounts.roles import Role
from fupin.procedures.tests.base import PNG
from fupin.projects import library
from fupin.projects.models import FundSource, Project, Stage
from fupin.test import COUNTY, VILLAGE_A, BaseTestCase, make_user


def scan(name: str = "批复.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


class ProjectTestCase(BaseTestCase):
    """Township A's operator (alice) enters village projects; the county administrator county-wide ones."""

    def setUp(self):
        self.central = FundSource.objects.get(code="central_special")
        self.county_funds = FundSource.objects.get(code="county_special")

    def project(self, by=None, **values) -> Project:
        base = {
            "name": "河北村光伏电站",
            "year": 2024,
            "category": "industrial",
            "work_type": "new",
            "level": "village",
            "region_id": VILLAGE_A,
            "responsible_unit": "杨埠镇人民政府",
            "responsible_person": "李强",
            "content": "建设村级光伏电站100千瓦",
            "performance_targets": "带动脱贫户30户，户均年增收1000元",
            "total_investment": Decimal("1000000"),
            "planned_start_on": dt.date(2024, 3, 1),
            "planned_completion_on": dt.date(2024, 9, 30),
        }
        return library.save_project(by=by or self.alice, project=None, values={**base, **values})

    def city_department(self):
        """The city's project department: it runs the city's projects."""
        return make_user("city_department", Role.DEPARTMENT_USER, COUNTY[:4])

    def advance(self, project: Project, *stages: str, on: dt.date = dt.date(2024, 3, 1), by=None) -> Project:
        """Move the project on; entering the library is taken as the intake's outcome (test_intake
        walks the procedure itself)."""
        for stage in stages:
            if stage == Stage.LIBRARY and library.needs_intake(project):
                library.enter_library(by=by or self.alice, project=project, on=on, note="")
                continue
            document = scan() if stage in library.NEEDS_DOCUMENT else None
            library.advance(by=by or self.alice, project=project, stage=stage, on=on, document=document)
        project.refresh_from_db()
        return project
