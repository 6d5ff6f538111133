"""The essay grading queue: what waits, grading with points and a comment (the attempt's total follows, audited),
bad points refused in Vietnamese with nothing saved, and who gets 404."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from courses import attempts as engine
from courses.models import AttemptAnswer
from tests.courses.test_quiz_fixtures import build_quiz, shown

pytestmark = pytest.mark.django_db
ESSAY = "Chia cả tử và mẫu cho 6 thì được 2/3."


@pytest.fixture
def submitted(world):
    qw = build_quiz(world)
    attempt = engine.start_attempt(quiz=qw.quiz, student=world.cast.student)
    single = qw.slot_of("single_choice")
    engine.save_answer(attempt=attempt, slot_id=single.pk, response=shown(attempt, single, 0), seq=1)
    engine.save_answer(attempt=attempt, slot_id=qw.slot_of("essay").pk, response=ESSAY, seq=2)
    attempt = engine.submit_attempt(attempt=attempt)
    return qw, attempt


def queue_url(world):
    return reverse("courses:grading_queue", args=[world.course.uid])


def test_the_queue_lists_essays_waiting_with_the_response(world, client_for, submitted):
    _qw, attempt = submitted
    assert attempt.needs_grading and attempt.score == Decimal(1)
    page = client_for(world.cast.teacher).get(queue_url(world)).content.decode()
    assert ESSAY in page and world.cast.student.display_name in page and "Giải thích vì sao 12/18 = 2/3." in page
    assert "Điểm (từ 0 đến 2)" in page


def test_grading_regrades_the_attempt_and_is_audited(world, client_for, submitted):
    qw, attempt = submitted
    answer = AttemptAnswer.objects.get(attempt=attempt, slot=qw.slot_of("essay"))
    client = client_for(world.cast.teacher)
    response = client.post(
        reverse("courses:grade_answer", args=[world.course.uid, answer.pk]),
        {"points": "1,5", "comment": "Đúng hướng, thiếu ước chung lớn nhất."},
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Đã lưu 1,5 điểm" in page and "Không có câu trả lời nào đang chờ chấm." in page
    attempt.refresh_from_db()
    answer.refresh_from_db()
    assert attempt.score == Decimal("2.5") and not attempt.needs_grading
    assert answer.points == Decimal("1.5") and answer.feedback == "Đúng hướng, thiếu ước chung lớn nhất."
    assert engine.quiz_grade(qw.quiz, world.cast.student) == Decimal("4.17")  # 2.5 / 6 × 10
    entry = ModelLogEntry.objects.get(action="courses.attempt.grade", object_id=str(attempt.pk))
    assert entry.user_id == world.cast.teacher.pk
    assert entry.data["old_score"] == "1.00" and entry.data["new_score"] == "2.50"
    assert entry.data["new_points"] == "1.5"


@pytest.mark.parametrize("points", ["3", "-1", "abc", "", "1.555", "NaN"])
def test_bad_points_are_refused_in_vietnamese_and_nothing_is_saved(world, client_for, submitted, points):
    qw, attempt = submitted
    answer = AttemptAnswer.objects.get(attempt=attempt, slot=qw.slot_of("essay"))
    response = client_for(world.cast.teacher).post(
        reverse("courses:grade_answer", args=[world.course.uid, answer.pk]), {"points": points, "comment": "x"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert any(
        message in page
        for message in (
            "Hãy cho điểm từ 0 đến 2.",
            "Hãy nhập số điểm.",
            "Điểm phải là một số, ví dụ 1 hoặc 0,5.",
            "Chỉ dùng tối đa hai chữ số thập phân.",
        )
    ), page
    answer.refresh_from_db()
    attempt.refresh_from_db()
    assert answer.points is None and answer.needs_grading and answer.feedback == ""
    assert attempt.score == Decimal(1) and attempt.needs_grading
    assert not ModelLogEntry.objects.filter(action="courses.attempt.grade").exists()


@pytest.mark.parametrize("who", ["other_teacher", "outsider", "student", "other_student", "outsider_admin"])
def test_nobody_but_the_course_managers_sees_or_grades(world, client_for, submitted, who):
    qw, attempt = submitted
    answer = AttemptAnswer.objects.get(attempt=attempt, slot=qw.slot_of("essay"))
    user = getattr(world, who, None) or getattr(world.cast, who)
    client = client_for(user)
    assert client.get(queue_url(world)).status_code == 404
    response = client.post(reverse("courses:grade_answer", args=[world.course.uid, answer.pk]), {"points": "2"})
    assert response.status_code == 404
    answer.refresh_from_db()
    assert answer.points is None


def test_an_answer_of_another_course_is_not_found_through_this_course(world, client_for, submitted):
    qw, attempt = submitted
    from courses import services
    from courses.models import Course

    other = services.create_course(
        actor=world.cast.teacher,
        school=world.course.school,
        offering=world.course.offering,
        title="Toán 6B",
        school_year="2026-2027",
    )
    assert Course.objects.count() == 2
    answer = AttemptAnswer.objects.get(attempt=attempt, slot=qw.slot_of("essay"))
    response = client_for(world.cast.teacher).post(
        reverse("courses:grade_answer", args=[other.uid, answer.pk]), {"points": "2"}
    )
    assert response.status_code == 404
