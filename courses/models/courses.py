"""A course (lớp học trực tuyến) of a school for one subject in one grade, its students and its content."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lms.curriculum.models import SubjectOffering
from lms.orgs.models import Organisation, SchoolClass
from lms.text import nfc

# No 0/O, 1/I/L: codes are read aloud in class and typed on phones.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 8


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


class Course(models.Model):
    """An online class: a school's course for one subject offering (subject × grade) in a school year."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="courses",
        verbose_name=_("school"),
        limit_choices_to={"unit_type__is_school": True},
    )
    offering = models.ForeignKey(
        SubjectOffering, on_delete=models.PROTECT, related_name="courses", verbose_name=_("subject and grade")
    )
    school_class = models.ForeignKey(
        SchoolClass,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="courses",
        verbose_name=_("class"),
        help_text=_("The homeroom class this course is taught to, if any."),
    )
    school_year = models.CharField(_("school year"), max_length=9, help_text=_("For example 2026-2027."))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    teachers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="taught_courses", verbose_name=_("teachers")
    )
    join_code = models.CharField(_("join code"), max_length=12, unique=True, default=new_join_code)
    join_enabled = models.BooleanField(_("students may join with the code"), default=True)
    archived = models.BooleanField(_("archived"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-school_year", "title"]
        indexes = [models.Index(fields=["school", "school_year"])]
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self) -> str:
        return self.title

    @property
    def grade(self):
        return self.offering.grade

    @property
    def subject(self):
        return self.offering.subject

    def clean(self) -> None:
        self.title = nfc(self.title.strip())
        if self.school_id and not self.school.is_school:
            raise ValidationError({"school": _("Courses belong to schools.")})
        if self.school_id and self.offering_id:
            if not self.school.school_levels.filter(pk=self.offering.grade.level_id).exists():
                raise ValidationError({"offering": _("This school does not teach that grade.")})
        if self.school_class_id and self.offering_id:
            if self.school_class.school_id != self.school_id:
                raise ValidationError({"school_class": _("The class belongs to another school.")})
            if self.school_class.grade_id != self.offering.grade_id:
                raise ValidationError({"school_class": _("The class is in another grade.")})


class EnrolmentSource(models.TextChoices):
    CLASS_LIST = "class_list", _("Class list upload")
    JOIN_CODE = "join_code", _("Join code")
    ADMIN = "admin", _("Added by a teacher or administrator")


class Enrolment(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("course"))
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("student")
    )
    source = models.CharField(_("source"), max_length=16, choices=EnrolmentSource.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["course", "student"], name="unique_enrolment")]
        indexes = [models.Index(fields=["student", "is_active"])]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")

    def __str__(self) -> str:
        return f"{self.student} – {self.course}"


class Section(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sections", verbose_name=_("course"))
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self) -> str:
        return self.title


class ItemKind(models.TextChoices):
    """What an item is. Each kind's behaviour is registered in ``courses.kinds``; the quiz engine adds "quiz"."""

    LESSON = "lesson", _("Lesson from the library")
    ASSIGNMENT = "assignment", _("Assignment")
    QUIZ = "quiz", _("Quiz")


class Item(models.Model):
    """One thing to do in a section: a lesson from the library or an assignment (a quiz, later)."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="items", verbose_name=_("course"))
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="items", verbose_name=_("section"))
    kind = models.CharField(_("kind"), max_length=20, choices=ItemKind.choices)
    title = models.CharField(_("title"), max_length=200)
    instructions = models.TextField(_("instructions"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    material = models.ForeignKey(
        "repository.MaterialPage",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="course_items",
        verbose_name=_("material"),
    )
    available_from = models.DateTimeField(_("available from"), null=True, blank=True)
    available_until = models.DateTimeField(_("available until"), null=True, blank=True)
    prerequisites = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="unlocks",
        verbose_name=_("prerequisites"),
        help_text=_("Items a student must complete first."),
    )
    is_visible = models.BooleanField(_("visible to students"), default=True)

    class Meta:
        ordering = ["section__order", "section_id", "order", "pk"]
        verbose_name = _("item")
        verbose_name_plural = _("items")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        self.title = nfc(self.title.strip())
        if self.section_id and self.course_id and self.section.course_id != self.course_id:
            raise ValidationError({"section": _("The section belongs to another course.")})
        if self.available_from and self.available_until and self.available_until <= self.available_from:
            raise ValidationError({"available_until": _("The end must be after the start.")})
        if self.kind == ItemKind.LESSON and not self.material_id:
            raise ValidationError({"material": _("Choose a material from the library.")})

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        if self.available_from and now < self.available_from:
            return False
        return not (self.available_until and now > self.available_until)


class Completion(models.Model):
    """A student has completed an item (viewed a lesson and marked it done, submitted an assignment...)."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="completions", verbose_name=_("item"))
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="completions", verbose_name=_("student")
    )
    completed_at = models.DateTimeField(_("completed at"), default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "student"], name="unique_completion")]
        verbose_name = _("completion")
        verbose_name_plural = _("completions")

    def __str__(self) -> str:
        return f"{self.student} ✓ {self.item}"
