"""In Chromium: a student takes a timed quiz with math and a 2025 Đúng–Sai group, loses the network, keeps
answering, comes back (the queued answers reach the server), submits and sees the review the teacher allowed;
the teacher finds the grade in the grade book. axe on the attempt page and the review."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from courses import attempts as engine
from courses import grading
from courses.models import AttemptAnswer, Course, GradeEntry, Section
from courses.models.quiz import Review
from lms.accounts.models import User
from lms.core.demo import DEMO_PASSWORD
from question_bank import services as bank
from tests.courses.test_quiz_fixtures import multiple, single, true_false_group
from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.e2e


def log_in(tab, username):
    tab.goto("/accounts/login/")
    tab.get_by_label(re.compile("Tên đăng nhập")).fill(username)
    tab.get_by_label(re.compile("Mật khẩu")).fill(DEMO_PASSWORD)
    tab.locator("main form").get_by_role("button", name="Đăng nhập").click()


def make_quiz():
    """A 20-minute quiz in the demo's Toán 6A: 2 + 3 (math), prime numbers, a Đúng–Sai group; linked to ĐĐGtx 2."""
    teacher = User.objects.get(username="anhduong.gv.toan")
    course = Course.objects.get(title="Toán 6A – Học kì I")
    section = Section.objects.filter(course=course).order_by("pk").first()
    quiz = engine.create_quiz(
        actor=teacher,
        section=section,
        title="Kiểm tra 15 phút: số và hàm số",
        time_limit_minutes=20,
        attempts_allowed=1,
        review_after_submit=Review.ANSWERS,
    )
    slots = {}
    for data, points in ((single(), 1), (multiple(), 2), (true_false_group(), 1)):
        question = bank.create_question(actor=teacher, data=data, school=course.school)
        slots[data.qtype] = engine.add_question(quiz=quiz, version=question.current_version, points=points)
    column = next(
        c
        for c in grading.ensure_columns(actor=teacher, course=course)
        if c.term == 1 and c.kind == "regular" and c.position == 2
    )
    grading.link_column(actor=teacher, column=column, item=quiz.item)
    return course, quiz, slots, column


def test_a_student_takes_a_timed_quiz_through_a_network_cut(demo, phone, page):
    course, quiz, slots, column = make_quiz()
    student = User.objects.get(username="anhduong.hs.6a02")
    item_url = f"/courses/{course.uid}/items/{quiz.item.pk}/"

    log_in(phone, student.username)
    phone.goto(item_url)
    phone.get_by_role("button", name="Bắt đầu làm bài").click()
    expect(phone.get_by_role("heading", name="Kiểm tra 15 phút: số và hàm số")).to_be_visible()
    expect(phone.locator("#quiz-timer")).to_have_text(re.compile(r"^(19|20):\d\d$"))
    expect(phone.locator("html[data-math='rendered']")).to_have_count(1)
    assert phone.locator(f"#q-{slots['single_choice'].pk} .katex").count() >= 1  # $2 + 3 = ?$ as math
    assert_accessible(phone, "attempt page")

    # Online: the answer is saved and the time shown, per question and overall.
    s1 = slots["single_choice"]
    phone.locator(f"#q-{s1.pk} label.quiz-choice", has_text=re.compile(r"(^|\. )5$")).click()
    expect(phone.locator(f"#q-{s1.pk}-saved")).to_have_text(re.compile(r"^Đã lưu lúc \d\d:\d\d:\d\d$"))
    expect(phone.locator("#quiz-status")).to_have_text(re.compile(r"^Đã lưu lúc"))

    # Offline: keep answering; the banner says the answers are kept on the device.
    phone.context.set_offline(True)
    tf = slots["true_false_group"]
    for index, value in enumerate(("true", "false", "true", "false")):
        phone.locator(f"#q-{tf.pk} tr[data-statement='{index}'] input[value='{value}']").check()
    s2 = slots["multiple_choice"]
    for text in ("2", "3"):
        phone.locator(f"#q-{s2.pk} label.quiz-choice", has_text=re.compile(rf"(^|\. ){text}$")).click()
    expect(phone.get_by_text("Mất kết nối – câu trả lời được giữ trên máy và sẽ gửi lại")).to_be_visible()
    expect(phone.locator(f"#q-{tf.pk}-saved")).to_have_text(re.compile("Đang giữ trên máy"))
    assert not AttemptAnswer.objects.filter(slot__in=[tf, s2]).exists()
    assert phone.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('quiz-queue:')).length") == 1

    # Back online: the queue is resent in order and confirmed.
    phone.context.set_offline(False)
    expect(phone.locator(f"#q-{tf.pk}-saved")).to_have_text(re.compile(r"^Đã lưu lúc"), timeout=30_000)
    expect(phone.locator(f"#q-{s2.pk}-saved")).to_have_text(re.compile(r"^Đã lưu lúc"), timeout=30_000)
    expect(phone.locator("#quiz-offline")).to_be_hidden()
    saved = {a.slot_id: a.response for a in AttemptAnswer.objects.filter(attempt__quiz=quiz)}
    assert saved[tf.pk] == [True, False, True, False]
    assert len(saved[s2.pk]) == 2

    # Submit: the confirmation says every question is answered.
    phone.get_by_role("button", name="Nộp bài", exact=True).click()
    dialog = phone.locator("#quiz-confirm")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Em đã trả lời tất cả các câu.")
    dialog.get_by_role("button", name="Nộp bài ngay").click()
    expect(phone.get_by_role("heading", name=re.compile("^Xem lại"))).to_be_visible()
    expect(phone.get_by_text("4.00 / 4.00")).to_be_visible()
    expect(phone.get_by_text("Đáp án đúng").first).to_be_visible()  # the teacher allowed keys after submit
    assert_accessible(phone, "review")

    # The teacher sees the grade in the linked column of the grade book.
    entry = GradeEntry.objects.get(column=column, student=student)
    assert (entry.score, entry.source) == (Decimal("10.0"), "quiz")
    log_in(page, "anhduong.gv.toan")
    page.goto(f"/courses/{course.uid}/gradebook/")
    expect(page.get_by_role("heading", name="Sổ điểm")).to_be_visible()
    expect(page.locator("input[value='10,0']")).to_have_count(1)
