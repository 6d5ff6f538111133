"""Who may see and do what in online classes; registered with the platform core's access rules.

The one place courses decide access: ``courses_visible_to`` filters every list, the rules below answer
``lms.access.can`` and ``get_object_or_404_for`` (the same 404 for missing and not yours).

- Course teachers and the administrators above the school manage a course.
- Students actively enrolled see the course and the items that are visible, open and unlocked.
- Everyone else — another student, a teacher of another class, anyone from another school — sees nothing.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from courses.models import Completion, Course, Enrolment, Item, Submission
from lms import access
from lms.accounts.models import Role

STAFF_ROLES = (Role.TEACHER, Role.GROUP_HEAD, Role.SCHOOL_ADMIN)


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _under(roots, prefix: str = "") -> Q:
    condition = Q(pk__in=[])
    for root in roots:
        condition |= Q(**{f"{prefix}path__startswith": root.path})
    return condition


def courses_visible_to(user) -> QuerySet[Course]:
    qs = Course.objects.all()
    if not _signed_in(user):
        return qs.none()
    if user.is_superuser:
        return qs
    condition = Q(teachers=user) | Q(pk__in=Enrolment.objects.filter(student=user, is_active=True).values("course"))
    admin_roots = access.administered_roots(user)
    if admin_roots:
        condition |= _under(admin_roots, "school__")
    return qs.filter(condition).distinct()


def courses_managed_by(user) -> QuerySet[Course]:
    qs = Course.objects.all()
    if not _signed_in(user):
        return qs.none()
    if user.is_superuser:
        return qs
    condition = Q(teachers=user)
    admin_roots = access.administered_roots(user)
    if admin_roots:
        condition |= _under(admin_roots, "school__")
    return qs.filter(condition).distinct()


def is_manager(user, course: Course) -> bool:
    if not _signed_in(user):
        return False
    if user.is_superuser or course.teachers.filter(pk=user.pk).exists():
        return True
    return access.is_under(course.school, access.administered_roots(user))


def is_enrolled(user, course: Course) -> bool:
    return _signed_in(user) and Enrolment.objects.filter(course=course, student=user, is_active=True).exists()


def schools_where_user_may_create(user) -> list:
    """Teachers and group heads create courses in their school; administrators in the schools below them."""
    if not _signed_in(user):
        return []
    from lms.orgs.models import Organisation

    own = access.schools_of(user, roles_in=STAFF_ROLES)
    roots = access.administered_roots(user)
    below = list(Organisation.objects.filter(_under(roots), unit_type__is_school=True)) if roots else []
    return list({org.pk: org for org in [*own, *below]}.values())


def completed_item_ids(user, course: Course) -> set[int]:
    return set(Completion.objects.filter(student=user, item__course=course).values_list("item_id", flat=True))


def item_state(item: Item, completed: set[int], prerequisite_ids: list[int], now=None) -> str:
    """For a student: "done", "locked" (prerequisites), "upcoming", "closed" or "open"."""
    now = now or timezone.now()
    if item.pk in completed:
        return "done"
    if any(p not in completed for p in prerequisite_ids):
        return "locked"
    if item.available_from and now < item.available_from:
        return "upcoming"
    if item.available_until and now > item.available_until:
        return "closed"
    return "open"


def student_may_open(user, item: Item) -> bool:
    """An enrolled student opens a visible item that is open and whose prerequisites are done.

    A completed item stays open to its student for review, even after it closes.
    """
    if not item.is_visible or not is_enrolled(user, item.course):
        return False
    completed = completed_item_ids(user, item.course)
    prerequisites = list(item.prerequisites.values_list("pk", flat=True))
    return item_state(item, completed, prerequisites) in ("open", "done")


@access.rule("course.view")
def course_view(user, course: Course) -> bool:
    return is_manager(user, course) or is_enrolled(user, course)


@access.rule("course.manage")
def course_manage(user, course: Course) -> bool:
    return is_manager(user, course)


@access.rule("course.create")
def course_create(user, school) -> bool:
    return any(s.pk == school.pk for s in schools_where_user_may_create(user))


@access.rule("course.item.view")
def item_view(user, item: Item) -> bool:
    return is_manager(user, item.course) or student_may_open(user, item)


@access.rule("course.submission.view")
def submission_view(user, submission: Submission) -> bool:
    course = submission.assignment.item.course
    if is_manager(user, course):
        return True
    return submission.student_id == user.pk and is_enrolled(user, course)


@access.rule("course.submission.grade")
def submission_grade(user, submission: Submission) -> bool:
    return is_manager(user, submission.assignment.item.course)
