"""Quiz grades reach the grade-book column a teacher linked to the quiz (courses/quiz_feed.py)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from courses import attempts as engine
from courses import grading, services
from courses.models import GradeEntry, GradeEntryChange, GradingMethod
from tests.courses.test_quiz_fixtures import build_quiz, shown

pytestmark = pytest.mark.django_db


@pytest.fixture
def qw(world):
    return build_quiz(world, attempts_allowed=3, grading_method=GradingMethod.HIGHEST)


def column(world, key="1-regular-2"):
    columns = grading.ensure_columns(actor=world.cast.teacher, course=world.course)
    return {f"{c.term}-{c.kind}-{c.position}" if c.kind == "regular" else f"{c.term}-{c.kind}": c for c in columns}[key]


def take(qw, *, single_right=True, multiple_right=False, essay=None):
    """One attempt by the cast's student: 1 đ single choice, 2 đ multiple choice; essay left empty unless given."""
    attempt = engine.start_attempt(quiz=qw.quiz, student=qw.world.cast.student)
    single, multi = qw.slot_of("single_choice"), qw.slot_of("multiple_choice")
    engine.save_answer(
        attempt=attempt, slot_id=single.pk, response=shown(attempt, single, 0 if single_right else 1), seq=1
    )
    if multiple_right:
        engine.save_answer(
            attempt=attempt, slot_id=multi.pk, response=[shown(attempt, multi, 0), shown(attempt, multi, 1)], seq=2
        )
    if essay:
        engine.save_answer(attempt=attempt, slot_id=qw.slot_of("essay").pk, response=essay, seq=3)
    return engine.submit_attempt(attempt=attempt)


def test_a_submitted_attempt_writes_the_quiz_grade_into_the_linked_column(qw, django_capture_on_commit_callbacks):
    c = qw.world.cast
    col = column(qw.world)
    grading.link_column(actor=c.teacher, column=col, item=qw.quiz.item)
    with django_capture_on_commit_callbacks(execute=True):
        take(qw)  # 1 of 6 points → 1.67 / 10, kept with one decimal
    entry = GradeEntry.objects.get(column=col, student=c.student)
    assert (entry.score, entry.source, entry.is_override) == (D("1.7"), "quiz", False)
    with django_capture_on_commit_callbacks(execute=True):
        take(qw, multiple_right=True)  # 3 of 6 → 5.00; the highest attempt counts
    entry.refresh_from_db()
    assert entry.score == D("5.0")
    changes = list(GradeEntryChange.objects.filter(entry=entry).order_by("pk").values_list("source", "new_value"))
    assert [s for s, _v in changes] == ["quiz", "quiz"]
    # other columns and other students are untouched
    assert GradeEntry.objects.filter(student=c.student).count() == 1
    assert not GradeEntry.objects.filter(student=qw.world.other_student).exists()


def test_a_teachers_override_is_kept(qw, django_capture_on_commit_callbacks):
    c = qw.world.cast
    col = column(qw.world)
    grading.link_column(actor=c.teacher, column=col, item=qw.quiz.item)
    with django_capture_on_commit_callbacks(execute=True):
        take(qw)
    grading.set_entry(actor=c.teacher, column=col, student=c.student, raw="8")
    with django_capture_on_commit_callbacks(execute=True):
        take(qw, multiple_right=True)
    entry = GradeEntry.objects.get(column=col, student=c.student)
    assert (entry.score, entry.is_override) == (D("8.0"), True)


def test_linking_a_quiz_later_brings_in_the_grades_already_earned(qw, django_capture_on_commit_callbacks):
    c = qw.world.cast
    with django_capture_on_commit_callbacks(execute=True):
        take(qw, multiple_right=True)
    col = column(qw.world, "1-midterm")
    assert not GradeEntry.objects.filter(column=col).exists()
    grading.link_column(actor=c.teacher, column=col, item=qw.quiz.item)
    assert GradeEntry.objects.get(column=col, student=c.student).score == D("5.0")


def test_an_essay_waiting_for_grading_holds_the_grade_back_until_graded(qw, django_capture_on_commit_callbacks):
    c = qw.world.cast
    col = column(qw.world)
    grading.link_column(actor=c.teacher, column=col, item=qw.quiz.item)
    with django_capture_on_commit_callbacks(execute=True):
        attempt = take(qw, essay="Vì 12 = 2·6 và 18 = 3·6.")
    assert attempt.needs_grading and not GradeEntry.objects.filter(column=col).exists()
    answer = attempt.answers.get(slot=qw.slot_of("essay"))
    with django_capture_on_commit_callbacks(execute=True):
        engine.grade_manually(actor=c.teacher, answer=answer, points=2)
    assert GradeEntry.objects.get(column=col, student=c.student).score == D("5.0")  # (1 + 2) / 6


def test_a_quiz_of_another_course_cannot_be_linked(qw, world):
    c = world.cast
    other = services.create_course(
        actor=c.teacher, school=c.school, offering=world.course.offering, title="Toán 6B", school_year="2026-2027"
    )
    col = grading.ensure_columns(actor=c.teacher, course=other)[0]
    with pytest.raises(services.CourseError):
        grading.link_column(actor=c.teacher, column=col, item=qw.quiz.item)


def test_a_regrade_after_a_question_fix_updates_the_column(qw, django_capture_on_commit_callbacks):
    from dataclasses import replace

    from courses.regrade import regrade_slot
    from question_bank import services as bank
    from question_bank.ir import Choice

    c = qw.world.cast
    col = column(qw.world)
    grading.link_column(actor=c.teacher, column=col, item=qw.quiz.item)
    with django_capture_on_commit_callbacks(execute=True):
        take(qw, single_right=False)  # picked "6": 0 of 6 points
    assert GradeEntry.objects.get(column=col, student=c.student).score == D("0.0")
    slot = qw.slot_of("single_choice")
    data = slot.version.content
    fixed = replace(data, answers=(Choice("5", D(0)), Choice("6", D(1)), *data.answers[2:]))  # the key was wrong
    version = bank.edit_question(slot.version.question, actor=c.teacher, data=fixed)
    with django_capture_on_commit_callbacks(execute=True):
        regrade_slot(actor=c.teacher, slot=slot, version=version)
    assert GradeEntry.objects.get(column=col, student=c.student).score == D("1.7")
