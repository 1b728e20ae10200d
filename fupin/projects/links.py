"""Poverty linkage (带贫/利益联结): which registered households a project benefits, how, and with how
much a year where there is an amount (a dividend, wages).

- The household is a poor, relapsed or exited one, inside the project's ledger region (a township's
  project serves the township's households) and the actor's jurisdiction.
- A household is linked to a project once for each way it benefits; an amount is yuan a year, not
  negative and at most a million.
- The project keeps the number of distinct households linked, for the dispatch table.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from fupin import access
from fupin.audit.actions import record_event, snapshot
from fupin.audit.models import EventType
from fupin.permissions import Perm
from fupin.regions.models import CODE_LENGTHS
from fupin.registry.models import HELPED, Household

from .library import LEVEL_DEPTH
from .models import BenefitLink, Category, LinkKind, Project

MAX_ANNUAL = Decimal("1000000")


def served_region(project: Project) -> str:
    """The region whose households the project may benefit: its location, cut to its ledger level."""
    return project.region_id[: CODE_LENGTHS[LEVEL_DEPTH[project.level]]]


def _recount(project: Project) -> None:
    project.linked_households = project.benefit_links.values("household").distinct().count()
    project.save(update_fields=["linked_households", "updated_at"])


@transaction.atomic
def link(
    *, by, project: Project, household_no: str, kind: str, annual_amount: Decimal | None = None, note: str = ""
) -> BenefitLink:
    project = Project.objects.select_for_update().get(pk=project.pk)
    access.require(by, Perm.MANAGE_BENEFIT_LINKS, project.region_id)
    errors = {}
    household = Household.objects.filter(household_no=household_no.strip()).first()
    if household is None or not access.covers(by, household.region_id):
        errors["household_no"] = _("No household with this number in your jurisdiction.")
    elif not household.region_id.startswith(served_region(project)):
        errors["household_no"] = _("The household is outside the region this project serves.")
    elif household.poverty_status not in HELPED:
        errors["household_no"] = _("Only poor, relapsed or exited households are linked; this one is “%(status)s”.") % {
            "status": household.get_poverty_status_display()
        }
    if kind not in LinkKind.values:
        errors["kind"] = _("Choose how the household benefits.")
    if annual_amount is not None and not 0 <= annual_amount <= MAX_ANNUAL:
        errors["annual_amount"] = _("Enter 0 to %(max)s yuan a year.") % {"max": f"{MAX_ANNUAL:,}"}
    if not errors and BenefitLink.objects.filter(project=project, household=household, kind=kind).exists():
        errors["kind"] = _("The household is already linked to this project this way.")
    if errors:
        raise ValidationError(errors)
    created = BenefitLink.objects.create(
        project=project,
        household=household,
        kind=kind,
        annual_amount=annual_amount,
        note=note.strip()[:200],
        created_by=by,
    )
    record_event(
        actor=by,
        event_type=EventType.CREATE,
        target=created,
        target_repr=f"{project.name} ← {household.household_no}",
        region_code=project.region_id,
        changes=snapshot(created, ("household_id", "kind", "annual_amount", "note")),
    )
    _recount(project)
    return created


@transaction.atomic
def unlink(*, by, link: BenefitLink) -> None:
    project = Project.objects.select_for_update().get(pk=link.project_id)
    access.require(by, Perm.MANAGE_BENEFIT_LINKS, project.region_id)
    record_event(
        actor=by,
        event_type=EventType.DELETE,
        target=link,
        target_repr=f"{project.name} ← {link.household.household_no}",
        region_code=project.region_id,
        changes=snapshot(link, ("household_id", "kind", "annual_amount", "note")),
    )
    link.delete()
    _recount(project)


def without_industrial_project(households: QuerySet[Household]) -> QuerySet[Household]:
    """The helped households linked to no industrial project."""
    industrial = BenefitLink.objects.filter(household=OuterRef("pk"), project__category=Category.INDUSTRIAL)
    return households.filter(poverty_status__in=HELPED).exclude(Exists(industrial))
