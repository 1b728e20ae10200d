from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from django.views.i18n import set_language

from fupin import access
from fupin.accounts.models import User
from fupin.lib import inbox
from fupin.regions.models import Level, Region
from fupin.registry.summary import registry_counts

set_language_view = access.public(set_language)


@access.scoped
def home(request):
    """For the user's region: how many regions of each level lie below it, users, households and people."""
    user = request.user
    regions = access.visible_to(Region.objects.all(), user)
    if user.region_id:
        regions = regions.exclude(code=user.region_id)
    counts = regions.level_counts()
    context = {
        "region": user.region,
        "level_counts": [(Level(level).label, counts[level]) for level in sorted(counts)],
        "user_count": access.visible_to(User.objects.filter(is_active=True), user).count(),
        **registry_counts(user),
    }
    return render(request, "home.html", context)


def _inbox_groups(request) -> list[tuple[inbox.Source, list[inbox.Item]]]:
    return inbox.gather(request.user, timezone.localdate())


@access.scoped
def inbox_page(request):
    """我的待办: what waits for the user, by capability, with how long it has waited and where it is done."""
    today = timezone.localdate()
    groups = [
        (source, [{"item": item, "age": (today - item.since).days} for item in items])
        for source, items in _inbox_groups(request)
    ]
    return render(request, "inbox.html", {"groups": groups, "total": sum(len(items) for _s, items in groups)})


@access.scoped
def inbox_count(request):
    """The menu's count, loaded after the page so that no page pays for gathering the inbox."""
    total = sum(len(items) for _source, items in _inbox_groups(request))
    return render(request, "_inbox_count.html", {"total": total})
