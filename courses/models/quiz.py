"""Quizzes as course items, their question slots, and students' attempts with their saved answers.

An attempt freezes what the student sees when it starts: the question version of every slot and the
order of options (``Attempt.variant``), so editing a question later never changes a running attempt.
Answers are one row per attempt and slot, ordered by the client's sequence number (see ``courses.attempts``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from courses.models.courses import Item


class GradingMethod(models.TextChoices):
    HIGHEST = "highest", _("Highest attempt")
    AVERAGE = "average", _("Average of attempts")
    FIRST = "first", _("First attempt")
    LAST = "last", _("Last attempt")


class Review(models.TextChoices):
    """What a student sees of a finished attempt; each level includes the ones before it."""

    NOTHING = "nothing", _("Nothing")
    SCORE = "score", _("The score")
    RESPONSES = "responses", _("The score, their answers and which were right")
    ANSWERS = "answers", _("All of that, the correct answers and feedback")


REVIEW_RANK = {Review.NOTHING: 0, Review.SCORE: 1, Review.RESPONSES: 2, Review.ANSWERS: 3}

QUESTIONS_PER_PAGE = [
    (0, _("All questions on one page")),
    (1, _("One question per page")),
    (2, _("2 questions per page")),
    (5, _("5 questions per page")),
    (10, _("10 questions per page")),
]


class Quiz(models.Model):
    item = models.OneToOneField(Item, on_delete=models.CASCADE, related_name="quiz", verbose_name=_("item"))
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    time_limit_minutes = models.PositiveIntegerField(_("time limit (minutes)"), null=True, blank=True)
    attempts_allowed = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=1, help_text=_("0 means no limit.")
    )
    grading_method = models.CharField(
        _("grading method"), max_length=10, choices=GradingMethod.choices, default=GradingMethod.HIGHEST
    )
    max_grade = models.DecimalField(_("maximum grade"), max_digits=5, decimal_places=2, default=10)
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=False)
    shuffle_options = models.BooleanField(_("shuffle options"), default=True)
    review_after_submit = models.CharField(
        _("review after submitting"), max_length=10, choices=Review.choices, default=Review.SCORE
    )
    review_after_close = models.CharField(
        _("review after the quiz closes"), max_length=10, choices=Review.choices, default=Review.ANSWERS
    )
    password = models.CharField(_("password"), max_length=100, blank=True)
    questions_per_page = models.PositiveSmallIntegerField(
        _("questions per page"),
        choices=QUESTIONS_PER_PAGE,
        default=0,
        help_text=_("With several pages, students move with “Previous” / “Next” and a numbered list of questions."),
    )

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")

    def __str__(self) -> str:
        return self.item.title


class QuizSlot(models.Model):
    """A place in the quiz: a chosen question (its version frozen when added) or a random draw.

    A slot with a ``paper`` belongs to that variant (mã đề) of a blueprint's paper set: an attempt of a quiz
    built from a set gets the slots of one paper only (``courses.variant_sets``).
    """

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="slots", verbose_name=_("quiz"))
    order = models.PositiveIntegerField(_("order"), default=0)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2, default=1)
    version = models.ForeignKey(
        "question_bank.QuestionVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quiz_slots",
        verbose_name=_("question version"),
    )
    draw_category = models.ForeignKey(
        "question_bank.QuestionCategory",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("random question from category"),
    )
    draw_tags = models.CharField(_("with all these tags"), max_length=200, blank=True)
    paper = models.ForeignKey(
        "question_bank.GeneratedPaper",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("variant (paper code)"),
    )

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(version__isnull=False) | models.Q(draw_category__isnull=False),
                name="quizslot_question_or_draw",
            )
        ]
        verbose_name = _("quiz question")
        verbose_name_plural = _("quiz questions")

    def __str__(self) -> str:
        return f"{self.quiz} #{self.order}"


class AttemptState(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted")
    CLOSED = "closed", _("Closed at the deadline")


FINISHED = (AttemptState.SUBMITTED, AttemptState.CLOSED)


class Attempt(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts", verbose_name=_("quiz"))
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts", verbose_name=_("student")
    )
    number = models.PositiveSmallIntegerField(_("attempt number"))
    state = models.CharField(_("state"), max_length=12, choices=AttemptState.choices, default=AttemptState.IN_PROGRESS)
    started_at = models.DateTimeField(_("started"))
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # [{"slot": id, "version": id, "order": [original index per shown position]}] in the order shown
    variant = models.JSONField(_("frozen variant"), default=list)
    score = models.DecimalField(_("points"), max_digits=8, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField(_("maximum points"), max_digits=8, decimal_places=2, default=0)
    needs_grading = models.BooleanField(_("waiting for manual grading"), default=False)

    class Meta:
        ordering = ["quiz", "student", "number"]
        constraints = [
            models.UniqueConstraint(fields=["quiz", "student", "number"], name="unique_attempt_number"),
            models.UniqueConstraint(
                fields=["quiz", "student"],
                condition=models.Q(state="in_progress"),
                name="one_open_attempt",
            ),
        ]
        indexes = [models.Index(fields=["state", "deadline"])]
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")

    def __str__(self) -> str:
        return f"{self.student} – {self.quiz} #{self.number}"


class AttemptAnswer(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers", verbose_name=_("attempt"))
    slot = models.ForeignKey(QuizSlot, on_delete=models.CASCADE, related_name="+", verbose_name=_("question"))
    response = models.JSONField(_("response"), null=True, blank=True)
    seq = models.PositiveBigIntegerField(_("sequence number"), default=0)
    saved_at = models.DateTimeField(_("saved"))
    fraction = models.DecimalField(max_digits=9, decimal_places=7, null=True, blank=True)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2, null=True, blank=True)
    needs_grading = models.BooleanField(default=False)
    feedback = models.TextField(_("feedback"), blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["attempt", "slot"], name="unique_attempt_answer")]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return f"{self.attempt} / {self.slot_id}"
