"""A course of school A (Toán 6, class 6A) taught by the cast's teacher, with the cast's student enrolled."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from courses import services
from courses.models import Course, EnrolmentSource, Item, ItemKind
from lms.accounts.models import Role, User
from lms.accounts.services import create_user, grant_membership
from lms.curriculum.models import Grade, Subject, SubjectOffering
from repository.models import LessonPage, SharingScope
from repository.services import school_area, setup_library
from tests.cast import PASSWORD


def make_material(owner, school, *, title="Phân số", scope=SharingScope.SCHOOL, publish=True):
    area = school_area(school)
    page = LessonPage(
        title=title,
        owner=owner,
        subject=Subject.objects.get(slug="toan"),
        sharing_scope=scope,
        author_name=owner.display_name,
        summary="Phân số và các phép tính.",
        body=[("paragraph", "<p>Phân số a/b với b ≠ 0.</p>")],
        live=False,
    )
    area.add_child(instance=page)
    page.grades = [Grade.objects.get(number=6)]
    page.save()
    revision = page.save_revision(user=owner)
    if publish:
        revision.publish(user=None)
    return LessonPage.objects.get(pk=page.pk)


def person(username, full_name, role, org, *, school_class=None, personal_id=None, subjects=()):
    user = create_user(actor=None, username=username, full_name=full_name, password=PASSWORD)
    if personal_id:
        user.personal_id = personal_id
        user.save()
    grant_membership(
        actor=None, user=user, organisation=org, role=role, subjects=list(subjects), school_class=school_class
    )
    return user


@dataclass
class World:
    cast: object
    course: Course
    lesson: Item
    homework: Item
    other_student: User  # same school and class, not enrolled
    other_teacher: User  # same school, teaches another class


@pytest.fixture
def world(cast) -> World:
    setup_library()
    c = cast
    c.student.personal_id = "001209000001"
    c.student.save()
    toan = Subject.objects.get(slug="toan")
    course = services.create_course(
        actor=c.teacher,
        school=c.school,
        offering=SubjectOffering.objects.get(subject=toan, grade__number=6),
        title="Toán 6A",
        school_year="2026-2027",
        school_class=c.class_6a,
    )
    services.enrol(actor=c.teacher, course=course, students=[c.student], source=EnrolmentSource.CLASS_LIST)
    section = services.add_section(actor=c.teacher, course=course, title="Chương VI. Phân số")
    material = make_material(c.teacher, c.school)
    lesson = services.add_item(
        actor=c.teacher, section=section, kind=ItemKind.LESSON, title="Bài học phân số", material=material
    )
    homework = services.add_item(
        actor=c.teacher,
        section=section,
        kind=ItemKind.ASSIGNMENT,
        title="Bài tập rút gọn phân số",
        instructions="Rút gọn 12/18.",
        prerequisites=[lesson],
    )
    other_student = person(
        "hs2", "Lý Thảo Nguyên", Role.STUDENT, c.school, school_class=c.class_6a, personal_id="001209000002"
    )
    other_teacher = person("gv2", "Bùi Đức Anh", Role.TEACHER, c.school, subjects=[toan])
    return World(c, course, lesson, homework, other_student, other_teacher)


@pytest.fixture
def client_for(client):
    def login(user):
        client.force_login(user)
        return client

    return login
