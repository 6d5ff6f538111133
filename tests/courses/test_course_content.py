"""Courses, items, availability, prerequisites, completion, progress, joining by code."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from courses import services
from courses.access import completed_item_ids, item_state
from courses.models import ItemKind
from lms.curriculum.models import SubjectOffering
from repository.models import SharingScope
from tests.courses.conftest import make_material

pytestmark = pytest.mark.django_db


def test_a_lesson_takes_only_approved_material_in_scope_or_the_teachers_own(world):
    c = world.cast
    section = world.course.sections.first()
    draft = make_material(c.teacher, c.school, title="Bản nháp", publish=False)
    foreign_private = make_material(c.outsider, c.other_school, title="Của trường khác", scope=SharingScope.SCHOOL)
    own_private = make_material(c.teacher, c.school, title="Chỉ mình tôi", scope=SharingScope.PRIVATE)
    for material in (draft, foreign_private):
        with pytest.raises(services.CourseError):
            services.add_item(actor=c.teacher, section=section, kind=ItemKind.LESSON, title="x", material=material)
    own = services.add_item(actor=c.teacher, section=section, kind=ItemKind.LESSON, title="y", material=own_private)
    assert own.material_id == own_private.pk
    # Another teacher cannot use that private material, nor add items to a course that is not theirs.
    with pytest.raises(PermissionDenied):
        services.add_item(actor=world.other_teacher, section=section, kind=ItemKind.LESSON, title="z", material=draft)


def test_course_must_fit_the_school(world):
    c = world.cast
    grade_10 = SubjectOffering.objects.get(subject__slug="toan", grade__number=10)
    with pytest.raises(ValidationError):
        services.create_course(
            actor=c.teacher, school=c.school, offering=grade_10, title="Toán 10", school_year="2026-2027"
        )
    with pytest.raises(PermissionDenied):
        services.create_course(
            actor=c.outsider, school=c.school, offering=world.course.offering, title="x", school_year="2026-2027"
        )
    with pytest.raises(PermissionDenied):
        services.create_course(
            actor=c.student, school=c.school, offering=world.course.offering, title="x", school_year="2026-2027"
        )


def test_availability_window_and_states():
    from courses.models import Item

    now = timezone.now()
    item = Item(pk=1, available_from=now + timedelta(hours=1), available_until=now + timedelta(days=1))
    assert item_state(item, set(), [], now) == "upcoming"
    assert item_state(item, set(), [], now + timedelta(hours=2)) == "open"
    assert item_state(item, set(), [], now + timedelta(days=2)) == "closed"
    assert item_state(item, set(), [7], now + timedelta(hours=2)) == "locked"
    assert item_state(item, {1}, [7], now + timedelta(days=2)) == "done"


def test_prerequisites_lock_until_done_and_progress_counts(world):
    c = world.cast
    assert services.progress(c.student, world.course) == (0, 2)
    with pytest.raises(PermissionDenied):
        services.mark_complete(student=c.student, item=world.homework)  # locked behind the lesson
    services.mark_complete(student=c.student, item=world.lesson)
    services.mark_complete(student=c.student, item=world.lesson)  # twice is once
    assert completed_item_ids(c.student, world.course) == {world.lesson.pk}
    assert services.progress(c.student, world.course) == (1, 2)
    services.submit(student=c.student, assignment=world.homework.assignment, text="12/18 = 2/3")
    assert services.progress(c.student, world.course) == (2, 2)
    assert services.progress_for_courses(c.student, [world.course]) == {world.course.pk: (2, 2)}
    # Hidden items do not count towards progress.
    services.update_item(actor=c.teacher, item=world.homework, is_visible=False)
    assert services.progress(c.student, world.course) == (1, 1)


def test_prerequisite_loops_and_foreign_items_are_refused(world):
    c = world.cast
    with pytest.raises(services.CourseError):
        services.set_prerequisites(actor=c.teacher, item=world.lesson, prerequisites=[world.homework])
    with pytest.raises(services.CourseError):
        services.set_prerequisites(actor=c.teacher, item=world.lesson, prerequisites=[world.lesson])
    assert list(world.lesson.prerequisites.all()) == []


def test_an_item_that_has_not_opened_cannot_be_done(world):
    c = world.cast
    later = timezone.now() + timedelta(days=3)
    services.update_item(actor=c.teacher, item=world.lesson, available_from=later)
    with pytest.raises(PermissionDenied):
        services.mark_complete(student=c.student, item=world.lesson)
    with pytest.raises(ValidationError):
        services.update_item(actor=c.teacher, item=world.lesson, available_until=later - timedelta(days=1))


def test_join_with_code_only_for_students_of_the_school(world):
    c = world.cast
    code = world.course.join_code
    assert len(code) == 8 and not set(code) & set("01OIL")
    with pytest.raises(services.JoinError):
        services.join_with_code(student=c.outsider_student, code=code)
    with pytest.raises(services.JoinError):
        services.join_with_code(student=world.other_teacher, code=code)
    joined = services.join_with_code(student=world.other_student, code=f" {code.lower()[:4]} {code.lower()[4:]} ")
    assert joined == world.course
    assert world.course.enrolments.get(student=world.other_student).source == "join_code"
    services.set_join_enabled(actor=c.teacher, course=world.course, enabled=False)
    with pytest.raises(services.JoinError):
        services.join_with_code(student=world.other_student, code=code)
    old = world.course.join_code
    assert services.regenerate_join_code(actor=c.teacher, course=world.course) != old


def test_admin_enrolment_refuses_students_of_other_schools_and_saves_nothing(world):
    c = world.cast
    with pytest.raises(services.CourseError):
        services.enrol(
            actor=c.school_admin,
            course=world.course,
            students=[world.other_student, c.outsider_student],
            source="admin",
        )
    assert not world.course.enrolments.filter(student=world.other_student).exists()
    assert services.enrol(actor=c.school_admin, course=world.course, students=[world.other_student], source="admin")
    with pytest.raises(PermissionDenied):
        services.enrol(actor=c.outsider_admin, course=world.course, students=[c.outsider_student], source="admin")


def test_moving_sections_and_items(world):
    c = world.cast
    section = world.course.sections.first()
    second = services.add_section(actor=c.teacher, course=world.course, title="Chương VII")
    services.move(actor=c.teacher, obj=second, up=True)
    assert [s.title for s in world.course.sections.all()] == ["Chương VII", section.title]
    services.move(actor=c.teacher, obj=world.homework, up=True)
    assert [i.pk for i in section.items.all()] == [world.homework.pk, world.lesson.pk]
    services.move(actor=c.teacher, obj=world.homework, up=True)  # already first: nothing happens
    assert [i.pk for i in section.items.all()] == [world.homework.pk, world.lesson.pk]
