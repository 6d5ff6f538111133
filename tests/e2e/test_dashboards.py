"""In Chromium on a 360 px phone: a teacher opens the class-results dashboard and a course's results; a school
administrator opens the online-activity overview. Every page passes axe (WCAG 2.1 A/AA)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from lms.core.demo import DEMO_PASSWORD
from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.e2e


def log_in(tab, username):
    tab.goto("/accounts/login/")
    tab.get_by_label(re.compile("Tên đăng nhập")).fill(username)
    tab.get_by_label(re.compile("Mật khẩu")).fill(DEMO_PASSWORD)
    tab.locator("main form").get_by_role("button", name="Đăng nhập").click()


def test_teacher_and_school_admin_dashboards_on_a_phone(demo, phone):
    log_in(phone, "anhduong.gv.toan")
    phone.get_by_role("link", name="Kết quả học tập của lớp").click()
    expect(phone.get_by_role("heading", name="Kết quả học tập của lớp", level=1)).to_be_visible()
    assert_accessible(phone, "teacher's classes")
    phone.get_by_role("link", name="Kết quả lớp Toán 6A – Học kì I").click()
    expect(phone.get_by_role("heading", name="Học sinh chưa bắt đầu")).to_be_visible()
    expect(phone.get_by_role("heading", name="Phân tích câu hỏi")).to_be_visible()
    # the page fits the phone: only the tables scroll, inside their own region
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(phone, "course results")

    phone.context.clear_cookies()
    log_in(phone, "anhduong.quantri")
    phone.get_by_role("link", name="Hoạt động dạy học trực tuyến").click()
    expect(phone.get_by_role("heading", name=re.compile("Quyết định 131"))).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(phone, "school overview")
