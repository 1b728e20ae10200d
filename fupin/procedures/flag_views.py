"""Marks on members for the exclusion rules: set with a note and a file, cleared with a reason."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from fupin import access
from fupin.audit.files import serve_audited
from fupin.lib.forms import add_errors
from fupin.permissions import Perm
from fupin.registry.models import Member

from . import exclusions
from .forms import FlagForm
from .models import ExclusionRule, MemberFlag


@access.requires(Perm.CHANGE_HOUSEHOLD)
def member_flags(request, pk: int):
    member = access.get_object_for_user(Member.objects.select_related("household__region"), request.user, pk=pk)
    rules = ExclusionRule.objects.filter(is_active=True)
    form = FlagForm(request.POST or None, request.FILES or None, rules=rules)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            exclusions.set_flag(
                by=request.user,
                member=member,
                rule=rules.get(pk=data["rule"]),
                note=data["note"],
                source=data["source"],
                upload=data["file"],
            )
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, _("Mark saved."))
            return redirect("procedures:member_flags", pk=member.pk)
    flags = MemberFlag.objects.filter(member=member).select_related("rule", "set_by", "cleared_by")
    return render(request, "procedures/member_flags.html", {"member": member, "form": form, "flags": flags})


@access.requires(Perm.CHANGE_HOUSEHOLD)
def flag_clear(request, pk: int):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    flag = access.get_object_for_user(MemberFlag.objects.select_related("member__household"), request.user, pk=pk)
    try:
        exclusions.clear_flag(by=request.user, flag=flag, reason=request.POST.get("reason", ""))
    except ValidationError as e:
        for message in e.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Mark cleared."))
    return redirect("procedures:member_flags", pk=flag.member_id)


@access.scoped
def flag_file(request, pk: int):
    flag = access.get_object_for_user(MemberFlag.objects.select_related("member__household"), request.user, pk=pk)
    if not flag.file:
        raise Http404
    return serve_audited(request, flag, flag.file, flag.member.household.region_id, {"flag": flag.pk})
