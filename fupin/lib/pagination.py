from __future__ import annotations

from django.core.paginator import Page, Paginator

PER_PAGE = 20


def paginate(request, queryset, per_page: int = PER_PAGE) -> Page:
    """The requested page; a page number out of range or malformed gives the nearest valid page.

    The page carries what its pager shows: the page numbers around it (with … between), and the list's
    other parameters, kept by every page link and by the box that jumps to a page."""
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    others = request.GET.copy()
    others.pop("page", None)
    page.query = others.urlencode()
    page.hidden = [(name, value) for name, values in others.lists() for value in values]
    page.numbers = list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    return page
