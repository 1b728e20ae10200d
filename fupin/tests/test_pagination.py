"""The pager a list shows: page numbers around the current one, 上一页 / 下一页, a box to jump to a page,
and the list's own filters kept by every link."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.test import RequestFactory, SimpleTestCase
from django.utils import translation

from fupin.lib.pagination import paginate


class PagerTests(SimpleTestCase):
    def render(self, query: str) -> tuple[object, str]:
        request = RequestFactory().get("/households/" + query)
        page = paginate(request, list(range(600)))  # 30 pages of 20
        with translation.override("zh-hans"):
            return page, render_to_string("_pagination.html", {"page": page, "request": request})

    def test_it_shows_the_pages_around_the_current_one_and_both_ends(self):
        page, html = self.render("?q=秋志&page=10&items=x")
        self.assertEqual(page.numbers, [1, "…", 8, 9, 10, 11, 12, "…", 30])
        self.assertIn('aria-current="page"><span class="page-link">10</span>', html)
        self.assertIn(">上一页</a>", html)
        self.assertIn(">下一页</a>", html)
        self.assertNotIn("下一步", html)
        # every link and the jump box keep the list's filters (a parameter named "items" included)
        self.assertIn("?q=%E7%A7%8B%E5%BF%97&amp;items=x&amp;page=11", html)
        self.assertIn('<input type="hidden" name="q" value="秋志">', html)
        self.assertIn('name="page" min="1" max="30" value="10"', html)
        self.assertIn("跳转（共 30 页）", html)

    def test_a_page_out_of_range_gives_the_last(self):
        page, html = self.render("?page=99")
        self.assertEqual((page.number, page.numbers[-3:]), (30, [28, 29, 30]))
        self.assertNotIn(">下一页</a>", html)
