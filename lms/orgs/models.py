"""Organisations as data: ministry → province/city → commune/ward → school.

The kinds of unit and how they nest are rows of OrgUnitType, not code: the
2025 reform removed districts, and the next one may change the tree again.
An organisation tree is a materialised path (treebeard, as Wagtail's pages), so
"everything under this province" is one indexed prefix query.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from lms.curriculum.models import Grade, Level
from lms.text import nfc


class OrgUnitType(models.Model):
    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    rank = models.PositiveSmallIntegerField(
        _("rank"), help_text=_("0 for the top of the tree; a unit's children have a higher rank.")
    )
    is_school = models.BooleanField(_("is a school"), default=False)
    allowed_parents = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="allowed_children", verbose_name=_("may sit under")
    )

    class Meta:
        ordering = ["rank", "name"]
        verbose_name = _("kind of organisation")
        verbose_name_plural = _("kinds of organisation")

    def __str__(self) -> str:
        return self.name


class Organisation(MP_Node):
    name = models.CharField(_("name"), max_length=255)
    code = models.CharField(
        _("code"), max_length=40, unique=True, help_text=_("Official code (province code, school code...).")
    )
    unit_type = models.ForeignKey(OrgUnitType, on_delete=models.PROTECT, related_name="units", verbose_name=_("kind"))
    school_levels = models.ManyToManyField(
        Level,
        blank=True,
        related_name="schools",
        verbose_name=_("school levels"),
        help_text=_("For schools: the levels taught (one, or several for a multi-level school)."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    node_order_by = ["name"]

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.name = nfc(self.name)

    @property
    def is_school(self) -> bool:
        return self.unit_type.is_school

    def validate_parent(self, parent: Organisation | None) -> None:
        allowed = list(self.unit_type.allowed_parents.all())
        if parent is None:
            if allowed:
                raise ValidationError(
                    _("A %(kind)s must sit under another organisation.") % {"kind": self.unit_type.name}
                )
            return
        if allowed and parent.unit_type not in allowed:
            raise ValidationError(
                _("A %(kind)s cannot sit under a %(parent)s.")
                % {"kind": self.unit_type.name, "parent": parent.unit_type.name}
            )
        if parent.unit_type.rank >= self.unit_type.rank:
            raise ValidationError(_("An organisation must sit under a higher-ranked one."))

    @property
    def grades(self) -> models.QuerySet[Grade]:
        return Grade.objects.filter(level__in=self.school_levels.all())


def ancestor_paths(paths) -> set[str]:
    """The paths of the organisations at ``paths`` and of every organisation above them."""
    step = Organisation.steplen
    return {path[: depth * step] for path in paths for depth in range(1, len(path) // step + 1)}


def create_organisation(
    *,
    name: str,
    code: str,
    unit_type: OrgUnitType,
    parent: Organisation | None = None,
    school_levels: list[Level] | None = None,
) -> Organisation:
    """The one way organisations are created (admin, demo loader, imports)."""
    org = Organisation(name=nfc(name), code=code, unit_type=unit_type)
    org.validate_parent(parent)
    org = parent.add_child(instance=org) if parent else Organisation.add_root(instance=org)
    if school_levels:
        org.school_levels.set(school_levels)
    return org


class SchoolClass(models.Model):
    """A homeroom class of a school in a school year (lớp 6A, 2025-2026)."""

    school = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="classes", verbose_name=_("school"))
    grade = models.ForeignKey(Grade, on_delete=models.PROTECT, related_name="classes", verbose_name=_("grade"))
    name = models.CharField(_("name"), max_length=40)
    school_year = models.CharField(_("school year"), max_length=9, help_text=_("For example 2025-2026."))

    class Meta:
        ordering = ["school_year", "grade__number", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "school_year", "name"], name="unique_class_name_per_year")
        ]
        verbose_name = _("class")
        verbose_name_plural = _("classes")

    def __str__(self) -> str:
        return f"{self.name} ({self.school_year})"

    def clean(self) -> None:
        if self.school_id and not self.school.is_school:
            raise ValidationError({"school": _("Classes belong to schools.")})
        if self.school_id and self.grade_id and not self.school.school_levels.filter(pk=self.grade.level_id).exists():
            raise ValidationError({"grade": _("This school does not teach that grade.")})
