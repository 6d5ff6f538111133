"""The printed paper in Chromium: math is typeset by KaTeX, the page passes axe (WCAG 2.1 AA),
and printing gives A4 pages with the answer sheet and the key on pages of their own.

There is no URL for the print view yet (the database view comes with the adapter), so the page
rendered from plain data is served at a test-only address on the live server, whose static files
(app.css, KaTeX) are the real ones.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from question_bank.blueprint import generate
from question_bank.blueprint.examples import exam_2025_blueprint, periodic_test_blueprint, synthetic_pool
from question_bank.blueprint.printing import print_context
from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.e2e
ADDRESS = "/__test__/paper/"


def _page(chromium, live_server, **options):
    context = chromium.new_context(base_url=live_server.url, locale="vi-VN", **options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


@pytest.fixture
def sheet(browser, live_server):
    """A desktop page on the live server, as the e2e suite's ``page``."""
    context, page = _page(browser, live_server, viewport={"width": 1280, "height": 900})
    yield page
    context.close()


@pytest.fixture
def small_phone(browser, live_server):
    """A 360 px phone, as the e2e suite's ``phone``."""
    context, page = _page(
        browser, live_server, viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True
    )
    yield page
    context.close()


def serve(page, html: str) -> None:
    page.route(f"**{ADDRESS}", lambda route: route.fulfill(status=200, content_type="text/html", body=html))
    page.goto(ADDRESS)


def paper_html(bp, seed=3) -> str:
    result = generate(bp, synthetic_pool(bp, 5, with_questions=True), variants=4, seed=seed)
    request = RequestFactory().get(ADDRESS)
    request.user = AnonymousUser()
    with translation.override("vi"):
        context = print_context(bp, result.papers[2], school="Trường THPT Nguyễn Du", school_year="2025–2026")
        return render_to_string("question_bank/paper_print.html", context, request=request)


def test_a_printed_paper_typesets_math_and_is_accessible(sheet):
    page = sheet
    serve(page, paper_html(periodic_test_blueprint()))
    page.wait_for_selector("html[data-math='rendered']")
    assert page.locator(".question .katex").count() >= 12
    assert page.locator(".katex-error").count() == 0
    assert "103" in page.locator(".paper-code").inner_text()
    assert_accessible(page, "print view")


def test_printing_gives_a4_pages_with_sheet_and_key_on_their_own(sheet):
    page = sheet
    serve(page, paper_html(exam_2025_blueprint()))
    page.wait_for_selector("html[data-math='rendered']")
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden()
    breaks = page.locator(".paper-sheet.page").evaluate_all("els => els.map(e => getComputedStyle(e).breakBefore)")
    assert breaks == ["page", "page"]
    assert page.locator(".question").count() == 28
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))
    assert pdf.startswith(b"%PDF") and pages >= 4  # the paper (2+ pages), the answer sheet, the key


def test_a_teacher_can_read_the_paper_and_key_on_a_phone(small_phone):
    page = small_phone
    serve(page, paper_html(periodic_test_blueprint()))
    page.wait_for_selector("html[data-math='rendered']")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    assert_accessible(page, "print view on a phone")
