"""People and their roles in organisations."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from lms.curriculum.models import Subject
from lms.orgs.models import Organisation, SchoolClass
from lms.text import nfc


class PlatformUserManager(UserManager):
    def get_by_natural_key(self, username: str):
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractUser):
    """A person. Vietnamese full names are one field (họ và tên); email is optional (students)."""

    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    personal_id = models.CharField(
        _("personal ID number"),
        max_length=20,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Citizen or learner identification number; may be used to log in."),
    )
    email = models.EmailField(_("email address"), blank=True)

    objects = PlatformUserManager()

    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def clean(self) -> None:
        super().clean()
        self.full_name = nfc(self.full_name.strip())
        if self.personal_id == "":
            self.personal_id = None

    def save(self, *args, **kwargs):
        self.full_name = nfc(self.full_name or "")
        if self.personal_id == "":
            self.personal_id = None
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_username()

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        # Vietnamese names put the given name last: "Nguyễn Thị Lan" → "Lan".
        return self.full_name.split()[-1] if self.full_name else self.get_username()

    # Wagtail's admin shows first_name/last_name; map them to the full name.
    def __str__(self) -> str:
        return self.display_name


class Role(models.TextChoices):
    STUDENT = "student", _("Student")
    TEACHER = "teacher", _("Teacher")
    GROUP_HEAD = "group_head", _("Subject-group head")
    REVIEWER = "reviewer", _("Reviewer")
    SCHOOL_ADMIN = "school_admin", _("School administrator")
    PROVINCE_ADMIN = "province_admin", _("Province administrator")
    MINISTRY_ADMIN = "ministry_admin", _("Ministry administrator")


ADMIN_ROLES = (Role.SCHOOL_ADMIN, Role.PROVINCE_ADMIN, Role.MINISTRY_ADMIN)
SCHOOL_ROLES = (Role.STUDENT, Role.TEACHER, Role.GROUP_HEAD, Role.SCHOOL_ADMIN)
SUBJECT_ROLES = (Role.TEACHER, Role.GROUP_HEAD, Role.REVIEWER)


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True, organisation__is_active=True)


class Membership(models.Model):
    """A role a user holds in an organisation, for some subjects where the role needs them.

    Administrators act on their organisation and everything under it. Which
    organisation kinds each administrator role applies to is checked against the
    organisation kind's rank, so the levels stay data: a school admin's
    organisation is a school, a ministry admin's the top of the tree, and a
    province admin's anything in between.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    subjects = models.ManyToManyField(
        Subject,
        blank=True,
        related_name="memberships",
        verbose_name=_("subjects"),
        help_text=_("Subjects taught, headed or reviewed."),
    )
    school_class = models.ForeignKey(
        SchoolClass,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("class"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="unique_membership_role"),
        ]
        indexes = [models.Index(fields=["organisation", "role"])]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.organisation}"

    def clean(self) -> None:
        org = self.organisation
        is_school = org.unit_type.is_school
        if self.role in SCHOOL_ROLES and not is_school:
            raise ValidationError({"role": _("This role is held in a school.")})
        if self.role == Role.PROVINCE_ADMIN and (is_school or org.is_root()):
            raise ValidationError({"role": _("A province administrator belongs to a province-level organisation.")})
        if self.role == Role.MINISTRY_ADMIN and not org.is_root():
            raise ValidationError({"role": _("A ministry administrator belongs to the top organisation.")})
        if self.school_class_id and (self.role != Role.STUDENT or self.school_class.school_id != org.pk):
            raise ValidationError({"school_class": _("Only a student of this school can be placed in its class.")})
