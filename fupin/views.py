from __future__ import annotations

from django.shortcuts import render
from django.views.i18n import set_language

from fupin import access
from fupin.accounts.models import User
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
