"""Notice pages: the notice to print, a notice as it was posted, recording a posting, its photos."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin import access
from fupin.audit.files import serve_audited
from fupin.lib.forms import post_back
from fupin.lib.pdf import pdf_response
from fupin.permissions import Perm

from . import notices
from .forms import NoticeForm
from .models import NoticeKind, NoticePhoto, Project, ProjectNotice
from .views import editable


@access.scoped
def notice_draft(request, pk: int, kind: str):
    """The notice to post, from the project as it is now."""
    project = access.get_object_for_user(Project.objects.all(), request.user, pk=pk)
    if kind not in NoticeKind.values:
        raise Http404
    days = int(notices.notice_days(project, timezone.localdate()).value)
    html = notices.notice_html(notices.notice_fields(project, kind), notices.NATIONAL_HOTLINE, days)
    return pdf_response(html, f"project-{project.pk}-{kind}.pdf")


@access.scoped
def notice_print(request, pk: int):
    """A recorded notice as it was posted."""
    notice = access.get_object_for_user(ProjectNotice.objects.all(), request.user, pk=pk)
    html = notices.notice_html(notice.content, notice.hotline, notice.days_required, notice)
    return pdf_response(html, f"project-notice-{notice.pk}.pdf")


@access.requires(Perm.MANAGE_PROJECTS)
def notice_add(request, pk: int):
    project = editable(request, pk)
    form = NoticeForm(request.POST, request.FILES, prefix="notice")

    def run(data):
        notices.record_posting(by=request.user, project=project, **data)

    return post_back(request, form, run, _("Notice recorded."), project)


@access.scoped
def notice_photo(request, pk: int):
    photo = access.get_object_for_user(NoticePhoto.objects.select_related("notice__project"), request.user, pk=pk)
    project = photo.notice.project
    return serve_audited(request, photo, photo.file, project.region_id, {"notice": photo.notice_id})
