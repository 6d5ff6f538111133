"""Actions on online classes: each checks permission, runs in one transaction and leaves the data whole.

Views turn requests into clean arguments and call these; the demo loader and tests call the same functions.
Permission failures raise ``PermissionDenied`` (views answer 404 before getting here); bad input raises
``CourseError`` with a translatable message.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import (
    Assignment,
    Completion,
    Course,
    Enrolment,
    EnrolmentSource,
    Item,
    ItemKind,
    Section,
    Submission,
    SubmissionStatus,
)
from courses.models.courses import new_join_code
from lms import access
from lms.accounts.models import Membership, Role, User
from lms.text import nfc
from repository.models.materials import MaterialPage
from repository.services import materials_visible_to


class CourseError(ValueError):
    """Bad input for a course action; ``str()`` is a translated message for the person."""


def _require(user, action: str, obj) -> None:
    if not access.can(user, action, obj):
        raise PermissionDenied(f"{user} may not {action} {obj!r}")


# --- Courses --------------------------------------------------------------------------


@transaction.atomic
def create_course(*, actor, school, offering, title: str, school_year: str, school_class=None, teachers=()) -> Course:
    _require(actor, "course.create", school)
    course = Course(
        school=school,
        offering=offering,
        title=nfc(title.strip()),
        school_year=school_year,
        school_class=school_class,
        created_by=actor,
    )
    course.full_clean()
    course.save()
    staff = list(teachers) or [actor]
    for teacher in staff:
        if not Membership.objects.active().filter(user=teacher, organisation=school, role__in=STAFF).exists():
            raise CourseError(_("%(name)s does not teach at this school.") % {"name": teacher.display_name})
    course.teachers.set(staff)
    return course


STAFF = (Role.TEACHER, Role.GROUP_HEAD, Role.SCHOOL_ADMIN)


def regenerate_join_code(*, actor, course: Course) -> str:
    _require(actor, "course.manage", course)
    for _attempt in range(5):
        course.join_code = new_join_code()
        try:
            with transaction.atomic():
                course.save(update_fields=["join_code"])
            return course.join_code
        except IntegrityError:
            continue
    raise CourseError(_("Could not make a new code; try again."))


def set_join_enabled(*, actor, course: Course, enabled: bool) -> None:
    _require(actor, "course.manage", course)
    course.join_enabled = enabled
    course.save(update_fields=["join_enabled"])


def set_archived(*, actor, course: Course, archived: bool) -> None:
    _require(actor, "course.manage", course)
    course.archived = archived
    course.save(update_fields=["archived"])


# --- Sections and items -----------------------------------------------------------------


def add_section(*, actor, course: Course, title: str, summary: str = "") -> Section:
    _require(actor, "course.manage", course)
    title = nfc(title.strip())
    if not title:
        raise CourseError(_("A section needs a title."))
    last = course.sections.aggregate(m=Max("order"))["m"]
    return Section.objects.create(course=course, title=title, summary=nfc(summary), order=(last or 0) + 1)


def materials_for_course(user) -> QuerySet[MaterialPage]:
    """Materials a teacher may put in a course: approved (live) ones in their scope and their own live ones."""
    return materials_visible_to(user)


@transaction.atomic
def add_item(
    *,
    actor,
    section: Section,
    kind: str,
    title: str,
    instructions: str = "",
    material: MaterialPage | None = None,
    available_from=None,
    available_until=None,
    prerequisites: Iterable[Item] = (),
    assignment: dict | None = None,
) -> Item:
    course = section.course
    _require(actor, "course.manage", course)
    if kind == ItemKind.LESSON:
        if material is None or not materials_for_course(actor).filter(pk=material.pk).exists():
            raise CourseError(_("Choose an approved material from the library that you may use."))
    else:
        material = None
    last = section.items.aggregate(m=Max("order"))["m"]
    item = Item(
        course=course,
        section=section,
        kind=kind,
        title=title,
        instructions=nfc(instructions),
        material=material,
        available_from=available_from,
        available_until=available_until,
        order=(last or 0) + 1,
    )
    item.full_clean()
    item.save()
    set_prerequisites(actor=actor, item=item, prerequisites=prerequisites)
    if kind == ItemKind.ASSIGNMENT:
        Assignment.objects.create(item=item, **(assignment or {}))
    return item


@transaction.atomic
def update_item(*, actor, item: Item, prerequisites: Iterable[Item] | None = None, **fields) -> Item:
    _require(actor, "course.manage", item.course)
    assignment_fields = fields.pop("assignment", None)
    material = fields.get("material")
    if item.kind == ItemKind.LESSON and material is not None and material.pk != item.material_id:
        if not materials_for_course(actor).filter(pk=material.pk).exists():
            raise CourseError(_("Choose an approved material from the library that you may use."))
    for name, value in fields.items():
        setattr(item, name, value)
    item.full_clean()
    item.save()
    if prerequisites is not None:
        set_prerequisites(actor=actor, item=item, prerequisites=prerequisites)
    if assignment_fields and item.kind == ItemKind.ASSIGNMENT:
        Assignment.objects.filter(item=item).update(**assignment_fields)
    return item


def set_prerequisites(*, actor, item: Item, prerequisites: Iterable[Item]) -> None:
    _require(actor, "course.manage", item.course)
    chosen = list(prerequisites)
    if any(p.course_id != item.course_id or p.pk == item.pk for p in chosen):
        raise CourseError(_("Prerequisites must be other items of the same course."))
    # No cycles: none of the chosen items may (transitively) require this one.
    frontier, seen = [p.pk for p in chosen], set()
    while frontier:
        current = frontier.pop()
        if current == item.pk:
            raise CourseError(_("These prerequisites would make a loop."))
        if current in seen:
            continue
        seen.add(current)
        frontier.extend(
            Item.prerequisites.through.objects.filter(from_item_id=current).values_list("to_item_id", flat=True)
        )
    item.prerequisites.set(chosen)


def move(*, actor, obj: Section | Item, up: bool) -> None:
    """Swap a section or item with its neighbour above or below."""
    course = obj.course
    _require(actor, "course.manage", course)
    siblings = list(course.sections.all() if isinstance(obj, Section) else obj.section.items.all())
    index = next(i for i, s in enumerate(siblings) if s.pk == obj.pk)
    other_index = index - 1 if up else index + 1
    if not 0 <= other_index < len(siblings):
        return
    siblings[index], siblings[other_index] = siblings[other_index], siblings[index]
    with transaction.atomic():
        for order, sibling in enumerate(siblings, start=1):
            if sibling.order != order:
                type(sibling).objects.filter(pk=sibling.pk).update(order=order)


def delete_item(*, actor, item: Item) -> None:
    _require(actor, "course.manage", item.course)
    item.delete()


# --- Enrolment ----------------------------------------------------------------------------


def school_students(school) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True,
        memberships__in=Membership.objects.active().filter(organisation=school, role=Role.STUDENT),
    ).distinct()


@transaction.atomic
def enrol(*, actor, course: Course, students: Iterable[User], source: str) -> int:
    """Enrol students of the course's school; all or nothing. Returns how many were newly (re)activated."""
    if source == EnrolmentSource.JOIN_CODE:
        raise ValueError("Use join_with_code for the join code.")
    _require(actor, "course.manage", course)
    students = list(students)
    allowed = set(school_students(course.school).filter(pk__in=[s.pk for s in students]).values_list("pk", flat=True))
    strangers = [s for s in students if s.pk not in allowed]
    if strangers:
        raise CourseError(
            _("Not students of this school: %(names)s") % {"names": ", ".join(s.display_name for s in strangers)}
        )
    return _enrol(course, students, source, actor)


def _enrol(course: Course, students: list[User], source: str, actor) -> int:
    existing = {e.student_id: e for e in Enrolment.objects.select_for_update().filter(course=course)}
    changed = 0
    new = []
    for student in students:
        current = existing.get(student.pk)
        if current is None:
            new.append(Enrolment(course=course, student=student, source=source, created_by=actor))
            existing[student.pk] = new[-1]
        elif not current.is_active:
            current.is_active = True
            current.save(update_fields=["is_active"])
            changed += 1
    Enrolment.objects.bulk_create(new)
    return changed + len(new)


class JoinError(CourseError):
    pass


@transaction.atomic
def join_with_code(*, student, code: str) -> Course:
    """A student of the course's school joins with its code. Any other case is "no such code", so codes
    of other schools cannot be probed."""
    code = "".join(code.split()).upper()
    course = Course.objects.filter(join_code=code, join_enabled=True, archived=False).select_related("school").first()
    if course is None or not school_students(course.school).filter(pk=student.pk).exists():
        raise JoinError(_("No open course has this code. Check it with your teacher."))
    _enrol(course, [student], EnrolmentSource.JOIN_CODE, student)
    return course


def unenrol(*, actor, enrolment: Enrolment) -> None:
    _require(actor, "course.manage", enrolment.course)
    enrolment.is_active = False
    enrolment.save(update_fields=["is_active"])


# --- Completion and progress -------------------------------------------------------------


def mark_complete(*, student, item: Item) -> Completion:
    if (
        not access.can(student, "course.item.view", item)
        or not Enrolment.objects.filter(course=item.course, student=student, is_active=True).exists()
    ):
        raise PermissionDenied
    completion, _created = Completion.objects.get_or_create(item=item, student=student)
    return completion


def visible_items(course: Course) -> QuerySet[Item]:
    return course.items.filter(is_visible=True)


def progress(student, course: Course) -> tuple[int, int]:
    """(completed, total) over the course's visible items."""
    items = visible_items(course)
    total = items.count()
    done = Completion.objects.filter(student=student, item__in=items).count()
    return done, total


def progress_for_courses(student, courses: list[Course]) -> dict[int, tuple[int, int]]:
    from django.db.models import Count

    totals = dict(
        Item.objects.filter(course__in=courses, is_visible=True)
        .values_list("course")
        .annotate(n=Count("pk"))
        .values_list("course", "n")
    )
    done = dict(
        Completion.objects.filter(student=student, item__course__in=courses, item__is_visible=True)
        .values_list("item__course")
        .annotate(n=Count("pk"))
        .values_list("item__course", "n")
    )
    return {c.pk: (done.get(c.pk, 0), totals.get(c.pk, 0)) for c in courses}


def due_soon(student, courses: list[Course], *, limit: int = 10) -> list[Assignment]:
    """Open assignments of the student's courses not yet handed in, soonest due first."""
    now = timezone.now()
    handed = Submission.objects.filter(student=student).values("assignment")
    return list(
        Assignment.objects.filter(item__course__in=courses, item__is_visible=True, due_at__isnull=False)
        .filter(Q(item__available_until__isnull=True) | Q(item__available_until__gte=now))
        .filter(Q(due_at__gte=now) | Q(accept_late=True))
        .exclude(pk__in=handed)
        .select_related("item", "item__course")
        .order_by("due_at")[:limit]
    )


# --- Assignments ------------------------------------------------------------------------

_MAGIC = {
    "pdf": (b"%PDF",),
    "png": (b"\x89PNG",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "pptx": (b"PK\x03\x04",),
    "odt": (b"PK\x03\x04",),
    "zip": (b"PK\x03\x04", b"PK\x05\x06"),
}


def check_file(assignment: Assignment, upload) -> None:
    """Size and type of a handed-in file; the content must match the name for the common types."""
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in assignment.extensions:
        raise CourseError(
            _("Files of this type are not accepted. Allowed: %(types)s.") % {"types": ", ".join(assignment.extensions)}
        )
    if upload.size > assignment.max_file_mb * 1024 * 1024:
        raise CourseError(_("The file is larger than %(mb)s MB.") % {"mb": assignment.max_file_mb})
    if upload.size == 0:
        raise CourseError(_("The file is empty."))
    magic = _MAGIC.get(extension)
    if magic:
        upload.seek(0)
        head = upload.read(8)
        upload.seek(0)
        if not any(head.startswith(m) for m in magic):
            raise CourseError(_("The file's content does not match its type (.%(ext)s).") % {"ext": extension})


def student_submissions(student, assignment: Assignment) -> list[Submission]:
    return list(assignment.submissions.filter(student=student).order_by("-number"))


def may_submit(student, assignment: Assignment) -> tuple[bool, str]:
    """Whether the student may hand in now, and why not."""
    if (
        not access.can(student, "course.item.view", assignment.item)
        or not Enrolment.objects.filter(course=assignment.item.course, student=student, is_active=True).exists()
    ):
        return False, _("You are not enrolled in this course.")
    if assignment.item.course.archived:
        return False, _("This course is archived.")
    if not assignment.item.is_open():
        return False, _("This assignment is closed.")
    if assignment.due_at and timezone.now() > assignment.due_at and not assignment.accept_late:
        return False, _("The due date has passed.")
    latest = assignment.submissions.filter(student=student).order_by("-number").first()
    if latest and latest.status != SubmissionStatus.RETURNED and not assignment.allow_resubmission:
        return False, _("You have already handed this in.")
    return True, ""


@transaction.atomic
def submit(*, student, assignment: Assignment, text: str = "", upload=None) -> Submission:
    allowed, reason = may_submit(student, assignment)
    if not allowed:
        raise CourseError(reason)
    text = nfc(text.strip())
    kind = assignment.submission_type
    if kind == "text" and upload is not None:
        raise CourseError(_("This assignment takes text only."))
    if kind == "file" and upload is None:
        raise CourseError(_("Attach a file."))
    if kind == "text" and not text:
        raise CourseError(_("Write your answer."))
    if not text and upload is None:
        raise CourseError(_("Write your answer or attach a file."))
    if upload is not None:
        check_file(assignment, upload)
    # Lock the student's row of hand-ins so two tabs cannot take the same number.
    last = (
        Submission.objects.select_for_update()
        .filter(assignment=assignment, student=student)
        .aggregate(m=Max("number"))["m"]
    )
    submission = Submission(
        assignment=assignment,
        student=student,
        number=(last or 0) + 1,
        text=text,
        is_late=bool(assignment.due_at and timezone.now() > assignment.due_at),
    )
    if upload is not None:
        submission.file_name = nfc(upload.name)[:255]
        submission.file_size = upload.size
        submission.file.save(_safe_name(upload.name), upload, save=False)
    submission.save()
    Completion.objects.get_or_create(item=assignment.item, student=student)
    return submission


def _safe_name(name: str) -> str:
    from django.utils.text import get_valid_filename

    from lms.text import slugify_vi

    stem, dot, ext = name.rpartition(".")
    stem = slugify_vi(stem if dot else name)[:80] or "bai-nop"
    return get_valid_filename(f"{stem}.{ext.lower()}" if dot else stem)


@transaction.atomic
def grade_submission(
    *,
    actor,
    submission: Submission,
    score: Decimal | None = None,
    comment_result: str = "",
    feedback: str = "",
    return_for_changes: bool = False,
) -> Submission:
    """Record the teacher's grade and feedback; the grade flows to the grade columns the assignment feeds."""
    _require(actor, "course.submission.grade", submission)
    submission.score = score
    submission.comment_result = comment_result
    submission.feedback = nfc(feedback.strip())
    submission.status = SubmissionStatus.RETURNED if return_for_changes else SubmissionStatus.GRADED
    submission.graded_by = actor
    submission.graded_at = timezone.now()
    submission.save()
    if not return_for_changes and (score is not None or comment_result):
        from courses.grading import feed_from_assignment

        feed_from_assignment(actor=actor, submission=submission)
    return submission


def submissions_to_grade(course: Course) -> QuerySet[Submission]:
    """The latest hand-in of each student per assignment, ungraded first."""
    from django.db.models import OuterRef, Subquery

    newest = (
        Submission.objects.filter(assignment=OuterRef("assignment"), student=OuterRef("student"))
        .order_by("-number")
        .values("number")[:1]
    )
    return (
        Submission.objects.filter(assignment__item__course=course, number=Subquery(newest))
        .select_related("student", "assignment__item")
        .order_by("status", "assignment__item__order", "student__full_name")
    )
