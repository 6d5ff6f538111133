"""Every demo role logs in, lands on its own home page, switches language; each page passes axe."""

import re

import pytest
from playwright.sync_api import expect

from lms.core.demo import DEMO_PASSWORD
from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.e2e

ROLES = [
    ("anhduong.hs.6a01", "Đặng Minh Khôi", "Lớp học trực tuyến của tôi", "My online classes"),
    ("anhduong.gv.toan", "Nguyễn Thị Lan", "Soạn bài giảng và câu hỏi", "Author lessons and questions"),
    ("anhduong.totruong.toan", "Ngô Thị Mai", "Soạn bài giảng và câu hỏi", "Author lessons and questions"),
    ("hanoi.thamdinh.toan", "Trần Quốc Bảo", "Thẩm định học liệu", "Appraisal of learning materials"),
    ("anhduong.quantri", "Hoàng Văn Nam", "Tổng quan", "Overview"),
    ("hanoi.quantri", "Lê Thị Hồng", "Các đơn vị bạn quản lí", "Units you administer"),
    ("bo.quantri", "Phạm Văn Hùng", "Các đơn vị bạn quản lí", "Units you administer"),
]


def open_menu_if_collapsed(page):
    summary = page.locator("details.site-menu > summary")
    if summary.is_visible() and page.locator("details.site-menu[open]").count() == 0:
        summary.click()


def log_in(page, username):
    page.goto("/accounts/login/")
    page.get_by_label(re.compile("Tên đăng nhập|Username", re.I)).fill(username)
    page.get_by_label(re.compile("Mật khẩu|Password", re.I)).fill(DEMO_PASSWORD)
    page.locator("form").get_by_role("button", name=re.compile("Đăng nhập|Log in")).click()


@pytest.mark.parametrize(("username", "full_name", "vi_marker", "en_marker"), ROLES)
def test_role_logs_in_lands_home_and_switches_language(demo, page, username, full_name, vi_marker, en_marker):
    page.goto("/")
    assert_accessible(page, "anonymous home")
    log_in(page, username)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Xin chào, {full_name}")
    expect(page.get_by_role("heading", name=vi_marker)).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    assert_accessible(page, f"{username} home (vi)")

    open_menu_if_collapsed(page)
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {full_name}")
    expect(page.get_by_role("heading", name=en_marker)).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert_accessible(page, f"{username} home (en)")

    open_menu_if_collapsed(page)
    page.get_by_role("button", name="Tiếng Việt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Xin chào, {full_name}")


def test_student_on_a_small_phone_browses_the_curriculum(demo, phone):
    log_in(phone, "anhduong.hs.6a01")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Xin chào, Đặng Minh Khôi")
    # No horizontal scrolling on a 360 px screen.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.get_by_role("link", name="Toán").first.click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Toán")
    expect(phone.get_by_text("Phân số").first).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(phone, "curriculum subject page on a phone")


def test_wrong_password_is_announced_in_vietnamese(demo, page):
    page.goto("/accounts/login/")
    page.get_by_label(re.compile("Tên đăng nhập", re.I)).fill("anhduong.hs.6a01")
    page.get_by_label(re.compile("Mật khẩu", re.I)).fill("sai-mat-khau")
    page.locator("form").get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("alert")).to_contain_text("Tên đăng nhập hoặc mật khẩu không đúng")
    assert_accessible(page, "login with error")


def test_styleguide_and_math_render(demo, page):
    page.goto("/styleguide/")
    expect(page.locator(".katex").first).to_be_visible()
    assert_accessible(page, "styleguide")


def test_teacher_reaches_the_wagtail_admin_in_vietnamese(demo, page):
    log_in(page, "anhduong.gv.toan")
    page.goto("/admin/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
