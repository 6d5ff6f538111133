"""The pages people use, in Vietnamese: my courses, joining, a course, an item, handing in, managing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses import services
from courses.models import Assignment, Course, ItemKind
from tests.courses.conftest import make_material

pytestmark = pytest.mark.django_db


def test_student_journey(world, client):
    c = world.cast
    Assignment.objects.filter(item=world.homework).update(due_at=timezone.now() + timedelta(days=2))
    client.force_login(c.student)
    page = client.get(reverse("courses:list")).content.decode()
    assert "Toán 6A" in page and "Cần nộp" in page and "Bài tập rút gọn phân số" in page
    assert "Đã xong 0/2" in page

    course_page = client.get(reverse("courses:course", args=[world.course.uid])).content.decode()
    assert "Đã khoá" in course_page and "Hoàn thành trước:" in course_page  # homework waits for the lesson
    lesson_url = reverse("courses:item", args=[world.course.uid, world.lesson.pk])
    lesson = client.get(lesson_url).content.decode()
    assert "Phân số a/b" in lesson  # the material's body is shown in the course
    assert client.post(reverse("courses:item_done", args=[world.course.uid, world.lesson.pk])).status_code == 302

    item_url = reverse("courses:item", args=[world.course.uid, world.homework.pk])
    assert "Nộp bài" in client.get(item_url).content.decode()
    submit_url = reverse("courses:item_submit", args=[world.course.uid, world.homework.pk])
    refused = client.post(submit_url, {"file": SimpleUploadedFile("x.exe", b"MZ")})
    assert refused.status_code == 400 and "không được nhận" in refused.content.decode()
    assert client.post(submit_url, {"text": "12/18 = 2/3"}).status_code == 302
    done = client.get(item_url).content.decode()
    assert "12/18 = 2/3" in done and "Đã nộp" in done
    assert "đã xong 2/2 mục" in client.get(reverse("courses:course", args=[world.course.uid])).content.decode()


def test_join_page(world, client):
    client.force_login(world.other_student)
    url = reverse("courses:join")
    wrong = client.post(url, {"code": "ZZZZZZZZ"})
    assert wrong.status_code == 200 and "Không có lớp học" in wrong.content.decode()
    right = client.post(url, {"code": world.course.join_code})
    assert right.status_code == 302 and right["Location"] == reverse("courses:course", args=[world.course.uid])


def test_teacher_builds_a_course_through_the_pages(world, client):
    c = world.cast
    client.force_login(c.teacher)
    response = client.post(
        reverse("courses:create"),
        {
            "school": c.school.pk,
            "offering": world.course.offering.pk,
            "school_class": c.class_6a.pk,
            "school_year": "2026-2027",
            "title": "Toán 6A – Học kì II",
        },
    )
    course = Course.objects.get(title="Toán 6A – Học kì II")
    assert response.status_code == 302 and list(course.teachers.all()) == [c.teacher]
    manage = reverse("courses:manage", args=[course.uid])
    assert client.post(reverse("courses:section_add", args=[course.uid]), {"title": "Chương VIII"}).status_code == 302
    section = course.sections.get()
    add = reverse("courses:item_add", args=[course.uid, section.pk])
    assert "Phân số" in client.get(add).content.decode()  # the teacher's published material is offered
    response = client.post(add, {"kind": "lesson", "title": "Thiếu học liệu", "max_file_mb": 10})
    assert response.status_code == 200 and "Chọn một học liệu" in response.content.decode()
    response = client.post(
        add,
        {
            "kind": "assignment",
            "title": "Bài tập",
            "submission_type": "either",
            "max_file_mb": 5,
            "due_at": "2026-12-01T20:00",
            "is_visible": "on",
        },
    )
    assert response.status_code == 302
    item = course.items.get()
    assert item.kind == ItemKind.ASSIGNMENT and item.assignment.max_file_mb == 5
    assert timezone.localtime(item.assignment.due_at).hour == 20
    page = client.get(manage).content.decode()
    assert course.join_code in page and "Bài tập" in page
    response = client.post(reverse("courses:enrol_one", args=[course.uid]), {"identifier": "hs2"})
    assert course.enrolments.filter(student=world.other_student).exists() and response.status_code == 302
    response = client.post(reverse("courses:enrol_one", args=[course.uid]), {"identifier": "hs-bx"})
    assert not course.enrolments.filter(student=c.outsider_student).exists()


def test_teacher_grades_a_hand_in(world, client):
    c = world.cast
    services.mark_complete(student=c.student, item=world.lesson)
    submission = services.submit(student=c.student, assignment=world.homework.assignment, text="2/3")
    client.force_login(c.teacher)
    listing = client.get(reverse("courses:submissions", args=[world.course.uid])).content.decode()
    assert "Đặng Minh Khôi" in listing
    url = reverse("courses:submission_grade", args=[world.course.uid, submission.uid])
    bad = client.post(url, {"score": "10,5", "feedback": ""})
    assert bad.status_code == 200 and "từ 0 đến 10" in bad.content.decode()
    assert client.post(url, {"score": "9,5", "feedback": "Rất tốt"}).status_code == 302
    client.force_login(c.student)
    page = client.get(reverse("courses:item", args=[world.course.uid, world.homework.pk])).content.decode()
    assert "9.5" in page or "9,5" in page
    assert "Rất tốt" in page


def test_course_page_queries_do_not_grow_with_items(world, client):
    c = world.cast
    client.force_login(c.student)
    url = reverse("courses:course", args=[world.course.uid])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    section = world.course.sections.first()
    material = make_material(c.teacher, c.school, title="Thêm")
    for n in range(20):
        services.add_item(actor=c.teacher, section=section, kind=ItemKind.LESSON, title=f"Bài {n}", material=material)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
