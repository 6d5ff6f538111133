"""In Chromium: a teacher builds a quiz from a blueprint's whole paper set in the builder (one block, axe), a
student takes it on a phone and the review names the mã đề the attempt got."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from courses import attempts as engine
from courses.models import Course, Section
from courses.models.quiz import Review
from courses.variant_sets import paper_code
from lms.accounts.models import User
from question_bank import services as bank
from question_bank.ir import Choice, QuestionData
from question_bank.models import Blueprint, GeneratedPaper, GeneratedPaperSet, LevelScheme
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_quiz_journey import log_in

pytestmark = pytest.mark.e2e


def make_set(teacher, course):
    blueprint = Blueprint.objects.create(
        owner=teacher,
        school=course.school,
        subject=course.offering.subject,
        grade=course.offering.grade,
        title="Ma trận kiểm tra giữa kì I",
        scheme=LevelScheme.objects.get(slug="bon-muc"),
    )
    paper_set = GeneratedPaperSet.objects.create(blueprint=blueprint, created_by=teacher, seed="e2e", matrix={})
    questions = [
        bank.create_question(
            actor=teacher,
            data=QuestionData(
                qtype="single_choice",
                name=f"Phép cộng {n}",
                stem=f"<p>{n} + 1 = ?</p>",
                answers=(Choice(str(n + 1), Decimal(1)), Choice(str(n + 2), Decimal(0))),
            ),
            school=course.school,
        )
        for n in range(3)
    ]
    for code, picked in (("101", questions[:2]), ("102", questions[1:])):
        items = [
            {"id": q.current_version_id, "part": "I", "number": i, "points": "5", "order": [], "key": []}
            for i, q in enumerate(picked, start=1)
        ]
        GeneratedPaper.objects.create(
            paper_set=paper_set, code=code, data={"code": code, "items": items}, version_ids=[i["id"] for i in items]
        )
    return paper_set


def test_a_teacher_builds_a_quiz_from_a_paper_set_and_a_student_gets_one_code(demo, page, phone):
    teacher = User.objects.get(username="anhduong.gv.toan")
    course = Course.objects.get(title="Toán 6A – Học kì I")
    section = Section.objects.filter(course=course).order_by("pk").first()
    quiz = engine.create_quiz(
        actor=teacher, section=section, title="Kiểm tra giữa kì", review_after_submit=Review.ANSWERS
    )
    paper_set = make_set(teacher, course)

    log_in(page, teacher.username)
    page.goto(f"/courses/{course.uid}/manage/quizzes/{quiz.item_id}/")
    page.get_by_label("Bộ đề", exact=True).select_option(value=str(paper_set.pk))
    page.get_by_role("button", name="Thêm bộ mã đề").click()
    block = page.locator("#variant-set")
    expect(block).to_contain_text("Bộ đề: Ma trận kiểm tra giữa kì I")
    expect(block).to_contain_text("2 mã đề, 2 câu mỗi mã đề")
    # The header counts one code's questions and points, not the whole set's
    expect(page.locator(".page-header")).to_contain_text(re.compile(r"2 câu hỏi mỗi mã đề · tổng 10 điểm"))
    block.get_by_text("Câu hỏi của từng mã đề").click()
    expect(block).to_contain_text("Mã đề 102")
    assert_accessible(page, "builder with a variant set")

    log_in(phone, "anhduong.hs.6a02")
    phone.goto(f"/courses/{course.uid}/items/{quiz.item.pk}/")
    phone.get_by_role("button", name="Bắt đầu làm bài").click()
    expect(phone.locator("fieldset.quiz-q")).to_have_count(2)  # one code's questions, not both codes'
    attempt = quiz.attempts.get()
    code = paper_code(attempt)
    assert code in ("101", "102") and attempt.max_score == Decimal(10)
    phone.get_by_role("button", name="Nộp bài", exact=True).click()
    phone.locator("#quiz-confirm").get_by_role("button", name="Nộp bài ngay").click()
    expect(phone.get_by_role("heading", name=re.compile("^Xem lại"))).to_be_visible()
    expect(phone.get_by_text(f"Mã đề {code}")).to_be_visible()
