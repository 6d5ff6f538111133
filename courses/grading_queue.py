"""The essay grading queue: answers of finished attempts that wait for a teacher's points.

An answer waits when its question type is graded by hand (essay) or the type asked for it (a short answer
no rule matched, when the question says so) — ``AttemptAnswer.needs_grading``, set at submit. Saving points
goes through ``courses.attempts.grade_manually`` (range check, the attempt's total recomputed under a lock),
is audited (Wagtail's log: who, old and new points, old and new attempt total) and refreshes the bank's
statistics of that question version once the attempt is fully graded.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log as audit

from courses import attempts as engine
from courses.models.quiz import FINISHED, Attempt, AttemptAnswer
from lms import access

MAX_COMMENT = 5000


class GradingError(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def pending_answers(course):
    """Answers of the course's finished attempts waiting for manual grading, oldest attempt first."""
    return (
        AttemptAnswer.objects.filter(
            needs_grading=True, attempt__state__in=FINISHED, attempt__quiz__item__course=course
        )
        .select_related("attempt__student", "attempt__quiz__item", "slot")
        .order_by("attempt__finished_at", "attempt__pk", "slot__order")
    )


def version_of(answer: AttemptAnswer):
    """The question version the student answered (frozen in the attempt's variant)."""
    from question_bank.models import QuestionVersion

    vid = next((e["version"] for e in answer.attempt.variant if e["slot"] == answer.slot_id), None)
    return QuestionVersion.objects.filter(pk=vid).first() if vid else None


def parse_points(raw, maximum: Decimal) -> Decimal:
    text = str(raw if raw is not None else "").strip().replace(",", ".")
    if not text:
        raise GradingError(_("Enter the points."))
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise GradingError(_("Points must be a number, for example 1 or 0,5.")) from None
    if not value.is_finite() or not Decimal(0) <= value <= maximum:
        raise GradingError(_("Give between 0 and %(max)s points.") % {"max": _num(maximum)})
    if value != value.quantize(Decimal("0.01")):
        raise GradingError(_("Use at most two decimals."))
    return value


def _num(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",")


def grade(*, actor, answer: AttemptAnswer, points, comment: str = "") -> Attempt:
    """Give points (0..slot points) and a comment to a waiting (or already graded) answer; the attempt is regraded."""
    course = answer.attempt.quiz.item.course
    if not access.can(actor, "course.manage", course):
        raise PermissionDenied(f"{actor} may not grade answers of {course!r}")
    if answer.attempt.state not in FINISHED:
        raise GradingError(_("This attempt is not finished yet."))
    value = parse_points(points, answer.slot.points)
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise GradingError(_("The comment is too long (at most 5000 characters)."))
    old_points, old_score = answer.points, answer.attempt.score
    with transaction.atomic():
        try:
            attempt = engine.grade_manually(actor=actor, answer=answer, points=value, feedback=comment)
        except engine.AttemptError as error:
            raise GradingError(error.message) from None
        audit(
            attempt,
            "courses.attempt.grade",
            user=actor,
            data={
                "answer": answer.pk,
                "slot": answer.slot_id,
                "old_points": None if old_points is None else str(old_points),
                "new_points": str(value),
                "old_score": None if old_score is None else str(old_score),
                "new_score": str(attempt.score),
            },
        )
    if not attempt.needs_grading:
        from courses.statistics import update_statistics

        version = version_of(answer)
        if version is not None:
            transaction.on_commit(lambda: update_statistics([version.pk]))
    return attempt
