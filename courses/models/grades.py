"""The grade book of a course (Circular 22): columns per term, entries per student, and their audit trail."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from courses.models.courses import Course, Item


class Term(models.IntegerChoices):
    SEMESTER_1 = 1, _("Semester I")
    SEMESTER_2 = 2, _("Semester II")


class ColumnKind(models.TextChoices):
    REGULAR = "regular", _("Regular assessment (ĐĐGtx)")
    MIDTERM = "midterm", _("Mid-term assessment (ĐĐGgk)")
    FINAL = "final", _("End-of-term assessment (ĐĐGck)")


class CommentValue(models.TextChoices):
    """Stored as the gradebook rules' CommentResult slugs."""

    ACHIEVED = "dat", _("Achieved (Đạt)")
    NOT_ACHIEVED = "chua-dat", _("Not yet achieved (Chưa đạt)")


class EntrySource(models.TextChoices):
    MANUAL = "manual", _("Entered by hand")
    ASSIGNMENT = "assignment", _("From an assignment")
    QUIZ = "quiz", _("From a quiz")


class GradeColumn(models.Model):
    """One assessment of the course's subject in a term: ĐĐGtx n, ĐĐGgk or ĐĐGck.

    Scored subjects hold 0–10 scores; comment-assessed subjects (the subject's assessment is "comment") hold
    Đạt / Chưa đạt. An assignment may feed the column (``source_item``).
    """

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="grade_columns", verbose_name=_("course"))
    term = models.PositiveSmallIntegerField(_("term"), choices=Term.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=ColumnKind.choices)
    position = models.PositiveSmallIntegerField(_("number"), default=1)
    title = models.CharField(_("title"), max_length=120, blank=True)
    source_item = models.ForeignKey(
        Item,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="grade_columns",
        verbose_name=_("fed by"),
        help_text=_("An assignment whose grades fill this column."),
    )

    class Meta:
        ordering = ["term", "kind", "position"]
        constraints = [
            models.UniqueConstraint(fields=["course", "term", "kind", "position"], name="unique_grade_column"),
        ]
        verbose_name = _("grade column")
        verbose_name_plural = _("grade columns")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        short = {"regular": "ĐĐGtx", "midterm": "ĐĐGgk", "final": "ĐĐGck"}[self.kind]
        number = f"{self.position}" if self.kind == ColumnKind.REGULAR else ""
        return f"HK{'I' * self.term} · {short}{number}"

    @property
    def comment_assessed(self) -> bool:
        return self.course.offering.subject.assessment == "comment"


class GradeEntry(models.Model):
    column = models.ForeignKey(GradeColumn, on_delete=models.CASCADE, related_name="entries", verbose_name=_("column"))
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grade_entries", verbose_name=_("student")
    )
    score = models.DecimalField(_("score"), max_digits=3, decimal_places=1, null=True, blank=True)
    comment_result = models.CharField(_("result"), max_length=10, blank=True, choices=CommentValue.choices)
    source = models.CharField(_("source"), max_length=12, choices=EntrySource.choices, default=EntrySource.MANUAL)
    is_override = models.BooleanField(
        _("entered over a linked assignment"),
        default=False,
        help_text=_(
            "A manual entry in a column an assignment feeds: later grades of the assignment do not replace it."
        ),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["column", "student"], name="unique_grade_entry")]
        verbose_name = _("grade entry")
        verbose_name_plural = _("grade entries")

    def __str__(self) -> str:
        return f"{self.student} – {self.column}: {self.display}"

    @property
    def display(self) -> str:
        if self.score is not None:
            return f"{self.score:.1f}".replace(".", ",")
        if self.comment_result:
            return "Đạt" if self.comment_result == CommentValue.ACHIEVED else "Chưa đạt"
        return ""


class GradeEntryChange(models.Model):
    """Audit of every change to an entry: who, when, old and new value, and where it came from."""

    entry = models.ForeignKey(GradeEntry, on_delete=models.CASCADE, related_name="changes", verbose_name=_("entry"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    old_value = models.CharField(_("old value"), max_length=20, blank=True)
    new_value = models.CharField(_("new value"), max_length=20, blank=True)
    source = models.CharField(_("source"), max_length=12, choices=EntrySource.choices)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("grade change")
        verbose_name_plural = _("grade changes")

    def __str__(self) -> str:
        return f"{self.entry}: {self.old_value} → {self.new_value}"
