"""The GDPT 2018 curriculum as data: levels, grades, subjects, strands, topics, outcomes.

Shipped data lives in lms/curriculum_data/ and is loaded by `manage.py load_curriculum`.
Rows an administrator adds (from the admin or a CSV import) have source=CUSTOM and
are never overwritten or removed by the loader.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from lms.text import nfc


class Source(models.TextChoices):
    PROGRAM = "program", _("Official program")
    CUSTOM = "custom", _("Added by an administrator")


class Level(models.Model):
    """Cấp học: Tiểu học, THCS, THPT."""

    slug = models.SlugField(_("slug"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=20)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    stage = models.CharField(_("stage"), max_length=100, blank=True)
    period_minutes = models.PositiveSmallIntegerField(_("minutes per period"), default=45)

    class Meta:
        ordering = ["order"]
        verbose_name = _("school level")
        verbose_name_plural = _("school levels")

    def __str__(self) -> str:
        return self.name


class Grade(models.Model):
    """Lớp 1-12."""

    number = models.PositiveSmallIntegerField(_("grade"), unique=True)
    level = models.ForeignKey(Level, on_delete=models.PROTECT, related_name="grades", verbose_name=_("level"))

    class Meta:
        ordering = ["number"]
        verbose_name = _("grade")
        verbose_name_plural = _("grades")

    def __str__(self) -> str:
        return _("Grade %(number)s") % {"number": self.number}


class Assessment(models.TextChoices):
    SCORE = "score", _("Scored (0-10)")
    COMMENT = "comment", _("Comment (Pass / Not yet passed)")


class PrimaryAssessment(models.TextChoices):
    PERIODIC_TEST = "periodic_test", _("Comments and periodic tests")
    COMMENT = "comment", _("Comments only")


class Subject(models.Model):
    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    is_activity = models.BooleanField(_("educational activity"), default=False)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="parts",
        verbose_name=_("part of"),
    )
    assessment = models.CharField(_("assessment (grades 6-12)"), max_length=16, choices=Assessment.choices)
    assessment_primary = models.CharField(
        _("assessment (primary)"), max_length=16, choices=PrimaryAssessment.choices, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")

    def __str__(self) -> str:
        return self.name


class OfferingKind(models.TextChoices):
    COMPULSORY = "compulsory", _("Compulsory")
    ELECTIVE = "elective", _("Elective (chosen)")
    OPTIONAL = "optional", _("Optional")


class SubjectOffering(models.Model):
    """A subject taught in a grade, with its kind and periods per year."""

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="offerings", verbose_name=_("subject"))
    grade = models.ForeignKey(Grade, on_delete=models.CASCADE, related_name="offerings", verbose_name=_("grade"))
    kind = models.CharField(_("kind"), max_length=16, choices=OfferingKind.choices)
    periods_per_year = models.PositiveSmallIntegerField(_("periods per year"))

    class Meta:
        ordering = ["grade__number", "subject__order"]
        constraints = [models.UniqueConstraint(fields=["subject", "grade"], name="unique_subject_grade")]
        verbose_name = _("subject in a grade")
        verbose_name_plural = _("subjects in grades")

    def __str__(self) -> str:
        return f"{self.subject} – {self.grade}"

    @property
    def regular_assessments_per_semester(self) -> int:
        """Circular 22, art. 6.2b: 35 periods/year → 2; over 35 to 70 → 3; over 70 → 4."""
        return regular_assessment_count(self.periods_per_year, self.subject.assessment)


def regular_assessment_count(periods_per_year: int, assessment: str) -> int:
    if assessment == Assessment.COMMENT:
        return 2
    if periods_per_year <= 35:
        return 2
    if periods_per_year <= 70:
        return 3
    return 4


class Strand(models.Model):
    """Mạch nội dung of a subject at one or more levels."""

    code = models.CharField(_("code"), max_length=120, unique=True)
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="strands", verbose_name=_("subject"))
    name = models.CharField(_("name"), max_length=255)
    levels = models.ManyToManyField(Level, related_name="strands", verbose_name=_("levels"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["subject__order", "order"]
        verbose_name = _("strand")
        verbose_name_plural = _("strands")

    def __str__(self) -> str:
        return self.name


class Topic(models.Model):
    """Chủ đề / nội dung of a subject in a grade; topics may nest one level (sub-topics)."""

    code = models.CharField(_("code"), max_length=160, unique=True)
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="topics", verbose_name=_("subject"))
    grade = models.ForeignKey(Grade, on_delete=models.PROTECT, related_name="topics", verbose_name=_("grade"))
    strand = models.ForeignKey(
        Strand, on_delete=models.SET_NULL, null=True, blank=True, related_name="topics", verbose_name=_("strand")
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children", verbose_name=_("parent topic")
    )
    name = models.CharField(_("name"), max_length=500)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_special_topic = models.BooleanField(_("chuyên đề học tập"), default=False)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices, default=Source.CUSTOM)

    class Meta:
        ordering = ["subject__order", "grade__number", "order", "code"]
        indexes = [models.Index(fields=["subject", "grade"])]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.name = nfc(self.name)
        if self.subject_id and self.grade_id:
            if not SubjectOffering.objects.filter(subject_id=self.subject_id, grade_id=self.grade_id).exists():
                raise ValidationError(
                    {
                        "grade": _("%(subject)s is not taught in %(grade)s.")
                        % {"subject": self.subject, "grade": self.grade}
                    }
                )
        if self.parent_id:
            parent = self.parent
            if parent.parent_id:
                raise ValidationError({"parent": _("Topics can be nested only one level deep.")})
            if parent.subject_id != self.subject_id or parent.grade_id != self.grade_id:
                raise ValidationError({"parent": _("A sub-topic must have the same subject and grade as its parent.")})


class Outcome(models.Model):
    """Yêu cầu cần đạt: a required learning outcome attached to a topic."""

    code = models.CharField(_("code"), max_length=200, unique=True)
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("topic"))
    text = models.TextField(_("required outcome"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    unverified = models.BooleanField(_("wording not yet checked against the official text"), default=False)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices, default=Source.CUSTOM)

    class Meta:
        ordering = ["topic", "order", "code"]
        verbose_name = _("required outcome")
        verbose_name_plural = _("required outcomes")

    def __str__(self) -> str:
        return self.text[:80]

    def clean(self) -> None:
        self.text = nfc(self.text)
