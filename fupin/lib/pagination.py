from __future__ import annotations

from django.core.paginator import Page, Paginator

PER_PAGE = 20


def paginate(request, queryset, per_page: int = PER_PAGE) -> Page:
    """The requested page; a page number out of range or malformed gives the nearest valid page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
