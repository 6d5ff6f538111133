"""The library in a browser: a student of another province finds a national material by browsing;
teachers and reviewers see their lists. Every page passes axe."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible
from tests.e2e.test_roles import log_in

pytestmark = pytest.mark.e2e


def test_student_of_another_province_browses_to_a_national_material(demo, phone):
    log_in(phone, "batxat.hs.6a01")
    phone.goto("/library/")
    assert_accessible(phone, "library index")
    phone.get_by_role("link", name="Lớp 6").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Lớp 6")
    assert_accessible(phone, "library grade")
    phone.get_by_role("link", name="Toán").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Toán")
    # National material from Hà Nội is visible; Hà Nội's province- and school-only ones are not.
    expect(phone.get_by_role("link", name="Phân số và các phép tính với phân số")).to_be_visible()
    expect(phone.get_by_text("Số nguyên – bài giảng có hình minh hoạ")).to_have_count(0)
    assert_accessible(phone, "library subject")
    phone.get_by_role("link", name="Phân số và các phép tính với phân số").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Phân số và các phép tính với phân số")
    expect(phone.locator("html[data-math='rendered']")).to_have_count(1)
    expect(phone.locator(".katex").first).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(phone, "material page")


def test_teacher_and_reviewer_lists(demo, page):
    log_in(page, "anhduong.gv.toan")
    page.goto("/library/mine/")
    expect(page.get_by_role("link", name="Định lí Pythagore và ứng dụng")).to_be_visible()
    assert_accessible(page, "my materials")
    page.context.clear_cookies()
    # The material waits at its first level, the school's subject group...
    log_in(page, "anhduong.totruong.toan")
    page.goto("/library/review/")
    expect(page.get_by_role("link", name="Định lí Pythagore và ứng dụng")).to_be_visible()
    assert_accessible(page, "awaiting my review")
    # ...not yet at the province's panel.
    page.context.clear_cookies()
    log_in(page, "hanoi.thamdinh.toan")
    page.goto("/library/review/")
    expect(page.get_by_text("Không có học liệu nào chờ bạn thẩm định.")).to_be_visible()
