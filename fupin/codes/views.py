from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from fupin import access
from fupin.permissions import Perm

from . import actions
from .catalogue import KINDS, KindSpec
from .forms import CodeForm
from .models import Code


def _kind(kind: str) -> KindSpec:
    if kind not in KINDS:
        raise Http404
    return KINDS[kind]


@access.requires(Perm.MANAGE_CODES)
def kind_list(request):
    counts = {
        row["kind"]: row
        for row in Code.objects.values("kind").annotate(total=Count("id"), active=Count("id", filter=Q(is_active=True)))
    }
    kinds = [(kind, counts.get(kind.value, {"total": 0, "active": 0})) for kind in KINDS.values()]
    return render(request, "codes/kind_list.html", {"kinds": kinds, "can_manage": actions.can_manage(request.user)})


@access.requires(Perm.MANAGE_CODES)
def code_list(request, kind: str):
    kind = _kind(kind)
    codes = Code.objects.filter(kind=kind.value)
    context = {"kind": kind, "codes": codes, "can_manage": actions.can_manage(request.user)}
    return render(request, "codes/code_list.html", context)


@access.requires(Perm.MANAGE_CODES)
def code_edit(request, kind: str, pk: int | None = None):
    kind = _kind(kind)
    if not actions.can_manage(request.user):
        raise PermissionDenied
    code = get_object_or_404(Code, kind=kind.value, pk=pk) if pk else None
    form = CodeForm(request.POST or None, instance=code, kind=kind.value)
    if request.method == "POST" and form.is_valid():
        actions.save_code(by=request.user, code=form.instance)
        messages.success(request, _("Saved: %(code)s.") % {"code": form.instance})
        return redirect("codes:list", kind.value)
    return render(request, "codes/code_form.html", {"kind": kind, "form": form, "code": code})
