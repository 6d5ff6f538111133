"""Assignments: what a student hands in (text or a file), and the teacher's feedback and grade."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from courses.models.courses import Item

DEFAULT_EXTENSIONS = "pdf,docx,doc,odt,xlsx,pptx,txt,jpg,jpeg,png,heic,mp3,m4a,zip"


class SubmissionType(models.TextChoices):
    TEXT = "text", _("Text")
    FILE = "file", _("File")
    EITHER = "either", _("Text or file")


class Assignment(models.Model):
    item = models.OneToOneField(Item, on_delete=models.CASCADE, related_name="assignment", verbose_name=_("item"))
    submission_type = models.CharField(
        _("what students hand in"), max_length=10, choices=SubmissionType.choices, default=SubmissionType.EITHER
    )
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    accept_late = models.BooleanField(_("accept late submissions"), default=True)
    allow_resubmission = models.BooleanField(_("students may hand in again"), default=True)
    max_file_mb = models.PositiveSmallIntegerField(_("largest file (MB)"), default=10)
    allowed_extensions = models.CharField(
        _("allowed file types"),
        max_length=200,
        default=DEFAULT_EXTENSIONS,
        help_text=_("File name endings separated by commas, for example pdf,docx,jpg."),
    )

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")

    def __str__(self) -> str:
        return str(self.item)

    @property
    def extensions(self) -> list[str]:
        return [e.strip().lower().lstrip(".") for e in self.allowed_extensions.split(",") if e.strip()]


class SubmissionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Handed in")
    GRADED = "graded", _("Graded")
    RETURNED = "returned", _("Returned for changes")


def submission_upload_to(submission: Submission, filename: str) -> str:
    return f"courses/submissions/{submission.assignment.item.course.uid}/{submission.uid}/{filename}"


class Submission(models.Model):
    """One hand-in. A resubmission is a new row with the next number; the latest one counts."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="submissions", verbose_name=_("assignment")
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="submissions", verbose_name=_("student")
    )
    number = models.PositiveSmallIntegerField(_("hand-in number"), default=1)
    text = models.TextField(_("text"), blank=True)
    file = models.FileField(_("file"), upload_to=submission_upload_to, blank=True, max_length=300)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    file_size = models.PositiveBigIntegerField(_("file size"), default=0)
    submitted_at = models.DateTimeField(_("handed in at"), auto_now_add=True)
    is_late = models.BooleanField(_("late"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=SubmissionStatus.choices, default=SubmissionStatus.SUBMITTED
    )
    score = models.DecimalField(_("score"), max_digits=3, decimal_places=1, null=True, blank=True)
    comment_result = models.CharField(
        _("result"),
        max_length=10,
        blank=True,
        choices=[("dat", _("Achieved (Đạt)")), ("chua-dat", _("Not yet achieved (Chưa đạt)"))],
    )
    feedback = models.TextField(_("feedback"), blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    graded_at = models.DateTimeField(_("graded at"), null=True, blank=True)

    class Meta:
        ordering = ["assignment", "student", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "student", "number"], name="unique_submission_number")
        ]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")

    def __str__(self) -> str:
        return f"{self.student} – {self.assignment} #{self.number}"
