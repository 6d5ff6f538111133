"""Dashboards: what a student, a teacher and an administrator see, what they may not see, and bounded queries."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from courses import attempts as engine
from courses import dashboards, services
from courses.models import (
    Attempt,
    AttemptAnswer,
    AttemptState,
    Completion,
    Enrolment,
    EnrolmentSource,
    Review,
    Submission,
)
from lms.accounts.models import User
from lms.curriculum.models import OfferingKind, SubjectOffering
from tests.courses.test_quiz_fixtures import build_quiz, shown

pytestmark = pytest.mark.django_db

STUDENT = reverse("courses:dashboard")
TEACHING = reverse("courses:dashboard_teaching")
SCHOOL = reverse("courses:dashboard_school")


def results_url(course, **query):
    url = reverse("courses:results", args=[course.uid])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def take_quiz(qw, student, *, right: bool):
    attempt = engine.start_attempt(quiz=qw.quiz, student=student)
    slot = qw.slot_of("single_choice")
    engine.save_answer(attempt=attempt, slot_id=slot.pk, response=shown(attempt, slot, 0 if right else 1), seq=1)
    return engine.submit_attempt(attempt=attempt)


@pytest.fixture
def busy(world):
    """The world with a quiz the cast's student took (1 of 6 points: single choice right) and a graded hand-in."""
    c = world.cast
    now = timezone.now()
    qw = build_quiz(world, closes_at=now + timedelta(days=2), review_after_submit=Review.SCORE)
    services.enrol(actor=c.teacher, course=world.course, students=[world.other_student], source=EnrolmentSource.ADMIN)
    services.mark_complete(student=c.student, item=world.lesson)
    take_quiz(qw, c.student, right=True)
    homework = world.homework.assignment
    homework.due_at = now + timedelta(days=1)
    homework.save()
    submission = services.submit(student=c.student, assignment=homework, text="2/3")
    services.grade_submission(actor=c.teacher, submission=submission, score=Decimal("8.5"))
    return qw


# --- Student --------------------------------------------------------------------------------------


def test_student_sees_progress_due_work_with_overdue_marked_and_own_results(busy, client_for):
    world = busy.world
    c = world.cast
    now = timezone.now()
    late = build_quiz(world, closes_at=now - timedelta(days=1))
    soon = build_quiz(world, closes_at=now + timedelta(hours=3))
    soon.quiz.item.title = "Kiểm tra nhanh"
    soon.quiz.item.save()
    page = client_for(c.student).get(STUDENT).content.decode()
    assert "Toán 6A" in page
    # lesson, quiz and homework done of 5 visible items
    assert "Đã hoàn thành 3/5 (60%)" in page
    due = page[page.index('id="due-heading"') : page.index('id="classes-heading"')]
    assert due.index(late.quiz.item.title) < due.index("Kiểm tra nhanh")  # by due date
    assert "Quá hạn" in due and due.count("Quá hạn") == 1  # the closed quiz only
    assert "Bài tập rút gọn phân số" not in due  # handed in
    results = page[page.index('id="results-heading"') :]
    assert "8,5/10" in results
    assert "1,67/10" in results  # 1 of 6 points scaled to 10


def test_student_score_hidden_until_review_allows_and_never_another_students(world, client_for):
    c = world.cast
    qw = build_quiz(world, review_after_submit=Review.NOTHING, closes_at=timezone.now() + timedelta(days=1))
    services.enrol(actor=c.teacher, course=world.course, students=[world.other_student], source=EnrolmentSource.ADMIN)
    take_quiz(qw, c.student, right=True)
    take_quiz(qw, world.other_student, right=False)
    page = client_for(c.student).get(STUDENT).content.decode()
    assert "/10" not in page.split('id="results-heading"')[1]
    assert "khi giáo viên cho phép" in page
    other = dashboards.student_results(world.other_student, dashboards.student_courses(world.other_student))
    assert len(other) == 1 and other[0].hidden
    # the outsider from another school has no course of school A on their dashboard
    page = client_for(c.outsider_student).get(STUDENT).content.decode()
    assert "Toán 6A" not in page and "Kiểm tra 15 phút" not in page


def test_dashboards_need_sign_in(client):
    for url in (STUDENT, TEACHING, SCHOOL):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]


# --- Teacher --------------------------------------------------------------------------------------


def test_teacher_sees_class_results_not_started_and_waiting(busy, client_for):
    world = busy.world
    c = world.cast
    services.mark_complete(student=world.other_student, item=world.lesson)
    services.submit(student=world.other_student, assignment=world.homework.assignment, text="4/6")
    page = client_for(c.teacher).get(TEACHING).content.decode()
    assert "Toán 6A" in page and reverse("courses:results", args=[world.course.uid]) in page
    response = client_for(c.teacher).get(results_url(world.course))
    assert response.status_code == 200
    page = response.content.decode()
    assert c.student.full_name in page and world.other_student.full_name in page
    results = response.context["results"]
    rows = {r.student.pk: r for r in results.students}
    mine = rows[c.student.pk]
    assert mine.quiz_grades[0]["value"] == Decimal("1.67")
    assert mine.assignment_grades[0]["value"] == Decimal("8.5")
    assert mine.average == Decimal("5.09")  # (1.67 + 8.5) / 2
    assert mine.percent == 100
    assert rows[world.other_student.pk].assignment_grades[0]["pending"]
    assert results.waiting == 1
    assert reverse("courses:submissions", args=[world.course.uid]) in page
    quiz_status = next(w for w in results.not_started if w.item.pk == busy.quiz.item.pk)
    assert [s.pk for s in quiz_status.not_started] == [world.other_student.pk]
    missing = page[page.index('id="missing-heading"') : page.index('id="analysis-heading"')]
    assert world.other_student.full_name in missing


def test_item_analysis_per_question_from_finished_attempts(busy, client_for):
    world = busy.world
    take_quiz(busy, world.other_student, right=False)
    engine.start_attempt(quiz=busy.quiz, student=world.cast.student)  # in progress: not counted
    response = client_for(world.cast.teacher).get(results_url(world.course, quiz=busy.quiz.item.pk))
    assert response.status_code == 200
    assert response.context["attempt_count"] == 2
    stats = {row.slot.pk: row for row in response.context["analysis"]}
    single = stats[busy.slot_of("single_choice").pk]
    assert single.answers == 2 and single.right_share == 50 and single.facility == 50
    assert single.mean_points == Decimal("0.50")
    multiple = stats[busy.slot_of("multiple_choice").pk]
    assert multiple.answers == 2 and multiple.right_share == 0 and multiple.facility == 0


def test_results_refused_to_everyone_but_the_courses_managers(busy, client_for):
    world = busy.world
    c = world.cast
    url = results_url(world.course)
    for user in (c.student, world.other_student, world.other_teacher, c.outsider, c.outsider_admin, c.nobody):
        assert client_for(user).get(url).status_code == 404, user.username
    # the school's administrator manages the school's courses
    assert client_for(c.school_admin).get(url).status_code == 200
    # a quiz of another course is not found through this one
    assert client_for(c.teacher).get(results_url(world.course, quiz=999999)).status_code == 404


def test_another_teacher_sees_only_their_own_courses(busy, client_for):
    world = busy.world
    page = client_for(world.other_teacher).get(TEACHING).content.decode()
    assert "Toán 6A" not in page and world.cast.student.full_name not in page


# --- School administrators ------------------------------------------------------------------------


def test_school_admin_overview_and_the_decision_131_share(busy, client_for):
    world = busy.world
    c = world.cast
    response = client_for(c.school_admin).get(SCHOOL)
    assert response.status_code == 200
    o = response.context["overview"]
    compulsory = SubjectOffering.objects.filter(grade__number=6, kind=OfferingKind.COMPULSORY).count()
    assert o.org == c.school and o.schools == 1
    assert o.active_courses == 1 and o.students == 2 and o.lessons == 1
    assert (o.pairs_online, o.pairs_total) == (1, compulsory)  # class 6A × Toán, of 6A × every compulsory subject
    thcs = next(row for row in o.levels if row.level.slug == "thcs")
    assert thcs.lessons == 1 and thcs.share == round(100 / compulsory)
    assert (o.attempts_7, o.attempts_30, o.submissions_7, o.submissions_30) == (1, 1, 1, 1)
    page = response.content.decode()
    assert "Quyết định 131" in page and f"{round(100 / compulsory)}%" in page


def test_lesson_not_completed_or_hidden_is_not_delivered(world, client_for):
    o = dashboards.overview(world.cast.school)
    assert o.lessons == 0 and o.pairs_online == 0
    services.mark_complete(student=world.cast.student, item=world.lesson)
    assert dashboards.overview(world.cast.school).lessons == 1
    world.lesson.is_visible = False
    world.lesson.save()
    assert dashboards.overview(world.cast.school).lessons == 0


def test_province_admin_sees_the_subtree_and_other_admins_do_not(busy, client_for):
    world = busy.world
    c = world.cast
    response = client_for(c.province_admin).get(SCHOOL)
    o = response.context["overview"]
    assert o.schools == 1 and o.lessons == 1 and [s.name for s in o.school_rows] == [c.school.name]
    assert client_for(c.province_admin).get(SCHOOL + f"?org={c.school.pk}").status_code == 200
    assert client_for(c.province_admin).get(SCHOOL + f"?org={c.other_school.pk}").status_code == 404
    # another school's administrator: their own school, none of school A's figures
    response = client_for(c.outsider_admin).get(SCHOOL)
    o = response.context["overview"]
    assert o.org == c.other_school and o.lessons == 0 and o.students == 0 and o.attempts_30 == 0
    assert client_for(c.outsider_admin).get(SCHOOL + f"?org={c.school.pk}").status_code == 404
    assert client_for(c.school_admin).get(SCHOOL + f"?org={c.province.pk}").status_code == 404
    for user in (c.student, c.teacher, c.group_head, c.reviewer, c.nobody):
        assert client_for(user).get(SCHOOL).status_code == 404, user.username


# --- Queries do not grow with rows ----------------------------------------------------------------


def grow(world, qw, n: int) -> None:
    """Add n students to the course, each with a completed lesson, a graded attempt and a hand-in."""
    now = timezone.now()
    single = qw.slot_of("single_choice")
    for i in range(n):
        student = User.objects.create(username=f"load-{qw.quiz.pk}-{i}", full_name=f"Học sinh {i:03d}")
        Enrolment.objects.create(course=world.course, student=student, source=EnrolmentSource.ADMIN)
        Completion.objects.create(item=world.lesson, student=student)
        attempt = Attempt.objects.create(
            quiz=qw.quiz,
            student=student,
            number=1,
            state=AttemptState.SUBMITTED,
            started_at=now,
            finished_at=now,
            score=Decimal(i % 7),
            max_score=Decimal(6),
        )
        AttemptAnswer.objects.create(
            attempt=attempt, slot=single, saved_at=now, fraction=Decimal(i % 2), points=Decimal(i % 2)
        )
        Submission.objects.create(assignment=world.homework.assignment, student=student, text="x")


@pytest.mark.parametrize("n", [2, 40])
def test_query_counts_do_not_grow_with_rows(busy, client_for, django_assert_max_num_queries, n):
    world = busy.world
    c = world.cast
    grow(world, busy, n)
    for _ in range(n // 10):
        build_quiz(world, closes_at=timezone.now() + timedelta(days=3))
    client = client_for(c.teacher)
    with django_assert_max_num_queries(22):
        assert client.get(results_url(world.course)).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(TEACHING).status_code == 200
    client = client_for(c.student)
    with django_assert_max_num_queries(14):
        assert client.get(STUDENT).status_code == 200
    client = client_for(c.province_admin)
    with django_assert_max_num_queries(24):
        response = client.get(SCHOOL)
    assert response.context["overview"].students == n + 2
