"""In Chromium on a 360 px phone: a student takes a one-question-per-page quiz, moving with "Câu sau" /
"Câu trước" and the numbered navigator (focus on the question heading, aria-current, answered marks),
reloads (same page, answers kept), submits and sees the score. axe on the attempt page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from courses import attempts as engine
from courses.models import Course, Section
from courses.models.quiz import Review
from lms.accounts.models import User
from question_bank import services as bank
from tests.courses.test_quiz_fixtures import multiple, single, true_false_group
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_quiz_journey import log_in

pytestmark = pytest.mark.e2e


def make_quiz():
    teacher = User.objects.get(username="anhduong.gv.toan")
    course = Course.objects.get(title="Toán 6A – Học kì I")
    section = Section.objects.filter(course=course).order_by("pk").first()
    quiz = engine.create_quiz(
        actor=teacher,
        section=section,
        title="Kiểm tra từng câu",
        attempts_allowed=1,
        questions_per_page=1,
        review_after_submit=Review.ANSWERS,
    )
    slots = []
    for data, points in ((single(), 1), (multiple(), 2), (true_false_group(), 1)):
        question = bank.create_question(actor=teacher, data=data, school=course.school)
        slots.append(engine.add_question(quiz=quiz, version=question.current_version, points=points))
    return course, quiz, slots


def test_a_student_takes_a_one_per_page_quiz_on_a_phone(demo, phone):
    course, quiz, (s1, s2, s3) = make_quiz()
    log_in(phone, "anhduong.hs.6a02")
    phone.goto(f"/courses/{course.uid}/items/{quiz.item.pk}/")
    phone.get_by_role("button", name="Bắt đầu làm bài").click()
    expect(phone.get_by_role("heading", name="Kiểm tra từng câu")).to_be_visible()

    nav = phone.get_by_role("navigation", name="Các câu hỏi của bài kiểm tra")
    expect(nav).to_be_visible()
    expect(nav.get_by_role("button")).to_have_count(3)
    expect(phone.locator(f"#q-{s1.pk}")).to_be_visible()
    expect(phone.locator(f"#q-{s2.pk}")).to_be_hidden()
    expect(phone.locator(f"#q-{s3.pk}")).to_be_hidden()
    expect(phone.get_by_role("button", name="Câu trước")).to_be_disabled()
    expect(nav.locator(f"[data-goto='{s1.pk}']")).to_have_attribute("aria-current", "true")
    expect(nav.locator(f"[data-goto='{s1.pk}']")).to_have_accessible_name("Câu 1, chưa trả lời")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(phone, "one-per-page attempt")

    # Answer question 1: saved, and marked answered in the navigator
    phone.locator(f"#q-{s1.pk} label.quiz-choice", has_text=re.compile(r"(^|\. )5$")).click()
    expect(phone.locator(f"#q-{s1.pk}-saved")).to_have_text(re.compile(r"^Đã lưu lúc"))
    expect(nav.locator(f"[data-goto='{s1.pk}']")).to_have_accessible_name("Câu 1, đã trả lời")

    # "Câu sau": question 2 alone, focus on its heading, the navigator follows
    phone.get_by_role("button", name="Câu sau").click()
    expect(phone.locator(f"#q-{s2.pk}")).to_be_visible()
    expect(phone.locator(f"#q-{s1.pk}")).to_be_hidden()
    expect(phone.locator(f"#q-{s2.pk} legend")).to_be_focused()
    expect(nav.locator(f"[data-goto='{s2.pk}']")).to_have_attribute("aria-current", "true")
    expect(nav.locator(f"[data-goto='{s1.pk}']")).not_to_have_attribute("aria-current", "true")
    for text in ("2", "3"):
        phone.locator(f"#q-{s2.pk} label.quiz-choice", has_text=re.compile(rf"(^|\. ){text}$")).click()
    expect(phone.locator(f"#q-{s2.pk}-saved")).to_have_text(re.compile(r"^Đã lưu lúc"))

    # The navigator jumps straight to question 3; "Câu sau" is then disabled
    nav.locator(f"[data-goto='{s3.pk}']").click()
    expect(phone.locator(f"#q-{s3.pk} legend")).to_be_focused()
    expect(phone.get_by_role("button", name="Câu sau")).to_be_disabled()
    for index, value in enumerate(("true", "false", "true", "false")):
        phone.locator(f"#q-{s3.pk} tr[data-statement='{index}'] input[value='{value}']").check()
    expect(phone.locator(f"#q-{s3.pk}-saved")).to_have_text(re.compile(r"^Đã lưu lúc"))

    # With the keyboard: "Câu trước" by Enter goes back to question 2
    phone.get_by_role("button", name="Câu trước").focus()
    phone.keyboard.press("Enter")
    expect(phone.locator(f"#q-{s2.pk} legend")).to_be_focused()

    # A reload keeps the page and the answers
    phone.reload()
    expect(phone.locator(f"#q-{s2.pk}")).to_be_visible()
    expect(phone.locator(f"#q-{s1.pk}")).to_be_hidden()
    expect(nav.locator("[data-answered='true']")).to_have_count(3)

    phone.get_by_role("button", name="Nộp bài", exact=True).click()
    dialog = phone.locator("#quiz-confirm")
    expect(dialog).to_contain_text("Em đã trả lời tất cả các câu.")
    dialog.get_by_role("button", name="Nộp bài ngay").click()
    expect(phone.get_by_role("heading", name=re.compile("^Xem lại"))).to_be_visible()
    expect(phone.get_by_text("4.00 / 4.00")).to_be_visible()
