"""In Chromium: a student on a phone follows a course and hands in; the teacher manages, grades and sees the
grade book. Every page passes axe (WCAG 2.1 A/AA)."""

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


def test_student_and_teacher_in_the_browser(demo, phone, page):
    log_in(phone, "anhduong.hs.6a02")
    phone.goto("/courses/")
    expect(phone.get_by_role("heading", name="Lớp học của tôi")).to_be_visible()
    assert_accessible(phone, "student's courses")
    phone.get_by_role("link", name="Toán 6A – Học kì I").click()
    expect(phone.get_by_text("Đã khoá").first).to_be_visible()
    assert_accessible(phone, "course page")
    phone.get_by_role("link", name="Bài học: Phân số và các phép tính").click()
    assert_accessible(phone, "lesson")
    phone.get_by_role("button", name="Đánh dấu đã xong").click()
    expect(phone.get_by_text("Đã đánh dấu hoàn thành.")).to_be_visible()
    phone.get_by_role("link", name="Bài tập: Rút gọn phân số").click()
    assert_accessible(phone, "assignment")
    phone.get_by_label("Bài làm của em").fill("12/18 = 2/3; 25/100 = 1/4; 42/56 = 3/4")
    phone.get_by_role("button", name="Nộp bài").click()
    expect(phone.get_by_text("Đã nộp bài. Thầy cô sẽ xem bài của em.")).to_be_visible()
    assert_accessible(phone, "assignment after handing in")

    log_in(page, "anhduong.gv.toan")
    page.goto("/courses/")
    page.get_by_role("link", name="Toán 6A – Học kì I").click()
    expect(page.get_by_role("heading", name="Chương/phần và các mục")).to_be_visible()
    assert_accessible(page, "manage")
    page.get_by_role("link", name=re.compile("Bài nộp cần chấm")).first.click()
    assert_accessible(page, "hand-ins")
    page.get_by_role("link", name="Lý Thảo Nguyên").click()
    page.get_by_label("Điểm (0–10)").fill("9,5")
    page.get_by_label("Nhận xét").fill("Chính xác.")
    page.get_by_role("button", name="Lưu điểm").click()
    expect(page.get_by_text("Đã lưu điểm.")).to_be_visible()
    page.get_by_role("link", name="Toán 6A – Học kì I").click()
    page.get_by_role("link", name="Sổ điểm").click()
    expect(page.get_by_role("heading", name="Sổ điểm")).to_be_visible()
    assert_accessible(page, "grade book")
    expect(page.locator("input[value='9,5']")).to_have_count(1)
    page.goto(page.url.replace("gradebook/", "manage/enrol/upload/"))
    assert_accessible(page, "class-list upload")
