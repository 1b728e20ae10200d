"""Project notices (公告公示, domain.md §7.2): the notice a project posts at its site before
implementation and after completion, with every field the 2018 guidance requires (name, fund
sources and amounts, location, content, period, expected targets, implementing unit and
responsible person, complaint hotline), printed as PDF; and the record of each posting — where,
from when to when, with photos — checked against the policy's notice period (≥ 10 days).

A recorded notice keeps the fields as they were printed, so that it can be shown again as posted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin import access
from fupin.audit.actions import record_event
from fupin.audit.models import EventType
from fupin.lib import uploads
from fupin.permissions import Perm
from fupin.policy.items import Name
from fupin.policy.values import Applied, resolve
from fupin.regions.models import full_name_of

from .models import STAGES, NoticeKind, NoticePhoto, Project, ProjectNotice, Stage

NATIONAL_HOTLINE = "12317"


def _day(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def notice_fields(project: Project, kind: str) -> dict:
    """What the notice says, as text and numbers that JSON keeps."""
    fields = {
        "kind": kind,
        "name": project.name,
        "year": project.year,
        "category": str(project.get_category_display()),
        "location": full_name_of(project.region_id),
        "content": project.content,
        "total_investment": str(project.total_investment),
        "sources": [[a.source.name, str(a.amount)] for a in project.allocations.select_related("source")],
        "planned_start_on": _day(project.planned_start_on),
        "planned_completion_on": _day(project.planned_completion_on),
        "performance_targets": project.performance_targets,
        "expected_households": project.expected_households,
        "expected_people": project.expected_people,
        "responsible_unit": project.responsible_unit,
        "responsible_person": project.responsible_person,
        "phone": project.phone,
    }
    if kind == NoticeKind.AFTER:
        fields |= {
            "started_on": _day(project.started_on),
            "completed_on": _day(project.completed_on),
            "disbursed": str(project.disbursed),
            "linked_households": project.linked_households,
        }
    return fields


def notice_html(fields: dict, hotline: str, days: int, notice: ProjectNotice | None = None) -> str:
    """The printed notice: from a project's fields now (a draft to post), or as a notice was posted."""
    context = {
        "f": fields,
        "after": fields["kind"] == NoticeKind.AFTER,
        "hotline": hotline,
        "days": days,
        "notice": notice,
        "printed_on": timezone.localdate(),
    }
    return render_to_string("projects/notice_print.html", context)


def notice_days(project: Project, on: dt.date) -> Applied:
    """The notice period that applies (raises PolicyMissing, a ValidationError, when none is set)."""
    return resolve(Name.PROJECT_NOTICE_DAYS, on.year, project.region_id)


def _reached(project: Project, stage: Stage) -> bool:
    return STAGES.index(Stage(project.stage)) >= STAGES.index(stage)


@transaction.atomic
def record_posting(
    *,
    by,
    project: Project,
    kind: str,
    posted_on: dt.date,
    ended_on: dt.date,
    place: str,
    hotline: str = NATIONAL_HOTLINE,
    photos=(),
) -> ProjectNotice:
    project = Project.objects.select_for_update().get(pk=project.pk)
    access.require(by, Perm.MANAGE_PROJECTS, project.region_id)
    errors: dict[str, str] = {}
    if kind not in NoticeKind.values:
        errors["kind"] = _("Choose the notice.")
    elif kind == NoticeKind.AFTER and not _reached(project, Stage.COMPLETED):
        errors["kind"] = _("The notice after completion is posted once the project is completed.")
    elif kind == NoticeKind.AFTER and posted_on < project.completed_on:
        errors["posted_on"] = _("Posted before the completion (%(day)s).") % {"day": project.completed_on}
    elif kind == NoticeKind.BEFORE and project.started_on and posted_on >= project.started_on:
        errors["posted_on"] = _("The notice before implementation is posted before the start (%(day)s).") % {
            "day": project.started_on
        }
    if posted_on > timezone.localdate():
        errors["posted_on"] = _("The date is in the future.")
    applied = notice_days(project, posted_on)
    required = int(applied.value)
    if ended_on < posted_on + dt.timedelta(days=required - 1):
        errors["ended_on"] = _("A project notice stays posted at least %(days)s days: until %(day)s or later.") % {
            "days": required,
            "day": posted_on + dt.timedelta(days=required - 1),
        }
    if not place.strip():
        errors["place"] = _("Say where the notice was posted.")
    if not photos:
        errors["photos"] = _("Add a photo of the posted notice.")
    if errors:
        raise ValidationError(errors)
    uploads.check_photos(photos)
    notice = ProjectNotice.objects.create(
        project=project,
        kind=kind,
        posted_on=posted_on,
        ended_on=ended_on,
        place=place.strip()[:200],
        hotline=(hotline or NATIONAL_HOTLINE).strip()[:60],
        days_required=required,
        policy=applied.record(),
        content=notice_fields(project, kind),
        recorded_by=by,
    )
    NoticePhoto.attach(photos, notice=notice)
    record_event(
        actor=by,
        event_type=EventType.CREATE,
        target=notice,
        target_repr=f"{project.name} {notice.get_kind_display()}",
        region_code=project.region_id,
        changes={
            "kind": kind,
            "posted_on": posted_on.isoformat(),
            "ended_on": ended_on.isoformat(),
            "place": notice.place,
            "photos": len(photos),
        },
    )
    return notice


def missing_notice(project: Project, recorded: Iterable[ProjectNotice] | None = None) -> str | None:
    """The notice a project that has moved on should have posted and has not recorded (`recorded`:
    its notices, when the caller has read them already)."""
    kinds = {n.kind for n in (project.notices.all() if recorded is None else recorded)}
    if _reached(project, Stage.STARTED) and NoticeKind.BEFORE not in kinds:
        return _("Started without a recorded notice before implementation.")
    if _reached(project, Stage.ACCEPTED) and NoticeKind.AFTER not in kinds:
        return _("Accepted without a recorded notice after completion.")
    return None
