"""Quiz grades flow into the grade-book columns a teacher linked to the quiz item (issue 5).

Whenever an attempt is finished or its score changes (submit, close at the deadline, an essay graded by hand,
a regrade that saves the attempt), the student's quiz grade — ``attempts.quiz_grade``, by the quiz's grading
method, out of ``max_grade`` — is written to every column whose ``source_item`` is the quiz, through
``grading.feed_column`` (audited with source ``quiz``; a teacher's manual override in that column is kept).

A quiz whose maximum grade is not 10 is scaled to the 0–10 scale of the grade book. Comment-assessed subjects
(Đạt / Chưa đạt) are not fed: a score does not decide a rating, the teacher enters it.
While an essay still waits for grading the grade is not written (it would be too low and change later).
"""

from __future__ import annotations

import logging
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from courses.models import Attempt, EntrySource, GradeColumn
from courses.models.quiz import FINISHED, Quiz

log = logging.getLogger(__name__)
TEN = Decimal(10)


def grade_for_book(quiz: Quiz, student) -> Decimal | None:
    """The quiz grade on the grade book's 0–10 scale, or None (no finished attempt, an essay not graded yet)."""
    from courses.attempts import quiz_grade

    if Attempt.objects.filter(quiz=quiz, student=student, state__in=FINISHED, needs_grading=True).exists():
        return None
    grade = quiz_grade(quiz, student)
    if grade is None:
        return None
    if quiz.max_grade and quiz.max_grade != TEN:
        grade = grade / quiz.max_grade * TEN
    return grade.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def feed_quiz_grade(*, quiz: Quiz, student, actor=None) -> int:
    """Write the student's quiz grade into every scored column linked to the quiz; the number of columns fed."""
    from courses.grading import feed_column

    columns = [
        c
        for c in GradeColumn.objects.filter(source_item_id=quiz.item_id).select_related("course__offering__subject")
        if not c.comment_assessed
    ]
    if not columns:
        return 0
    grade = grade_for_book(quiz, student)
    if grade is None:
        return 0
    for column in columns:
        feed_column(actor=actor, column=column, student=student, score=grade, source=EntrySource.QUIZ)
    log.info("quiz grade fed to the grade book", extra={"quiz": quiz.pk, "columns": len(columns)})
    return len(columns)


def feed_linked_column(*, column: GradeColumn, actor=None) -> None:
    """A teacher just linked a quiz to ``column``: grades already earned flow in at once."""
    if column.comment_assessed or column.source_item_id is None:
        return
    quiz = Quiz.objects.filter(item_id=column.source_item_id).first()
    if quiz is None:
        return
    from courses.grading import feed_column

    students = Attempt.objects.filter(quiz=quiz, state__in=FINISHED).values_list("student", flat=True).distinct()
    for student in get_user_model().objects.filter(pk__in=list(students)):
        grade = grade_for_book(quiz, student)
        if grade is not None:
            feed_column(actor=actor, column=column, student=student, score=grade, source=EntrySource.QUIZ)


@receiver(post_save, sender=Attempt, dispatch_uid="courses.quiz_feed.attempt_saved")
def _attempt_saved(sender, instance: Attempt, created: bool, update_fields=None, **kwargs) -> None:
    if created or instance.state not in FINISHED:
        return
    if update_fields is not None and not {"score", "state", "needs_grading"} & set(update_fields):
        return
    quiz_id, student_id = instance.quiz_id, instance.student_id

    def feed() -> None:
        quiz = Quiz.objects.select_related("item").filter(pk=quiz_id).first()
        student = get_user_model().objects.filter(pk=student_id).first()
        if quiz is not None and student is not None:
            feed_quiz_grade(quiz=quiz, student=student)

    transaction.on_commit(feed)
