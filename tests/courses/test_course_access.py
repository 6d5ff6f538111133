"""Who may NOT see or change a course: another student, a teacher of another class, outsiders — all get 404."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from courses import services
from courses.access import courses_visible_to
from lms import access

pytestmark = pytest.mark.django_db


def urls(w, submission):
    uid = w.course.uid
    return {
        "course": reverse("courses:course", args=[uid]),
        "lesson": reverse("courses:item", args=[uid, w.lesson.pk]),
        "manage": reverse("courses:manage", args=[uid]),
        "upload": reverse("courses:enrol_upload", args=[uid]),
        "submissions": reverse("courses:submissions", args=[uid]),
        "grade": reverse("courses:submission_grade", args=[uid, submission.uid]),
        "file": reverse("courses:submission_file", args=[uid, submission.uid]),
        "gradebook": reverse("courses:gradebook", args=[uid]),
        "export": reverse("courses:gradebook_export", args=[uid]),
        "item_edit": reverse("courses:item_edit", args=[uid, w.lesson.pk]),
    }


@pytest.fixture
def handed_in(world):
    services.mark_complete(student=world.cast.student, item=world.lesson)
    upload = SimpleUploadedFile("bai-lam.pdf", b"%PDF-1.4 bai lam", content_type="application/pdf")
    return services.submit(student=world.cast.student, assignment=world.homework.assignment, upload=upload)


STRANGERS = [
    "other_student",
    "other_teacher",
    "group_head",
    "reviewer",
    "outsider",
    "outsider_student",
    "outsider_admin",
    "nobody",
]


def stranger(world, name):
    return getattr(world, name, None) or getattr(world.cast, name)


def test_strangers_get_404_everywhere(world, handed_in, client):
    for name in STRANGERS:
        _check_stranger(world, handed_in, client, name)


def _check_stranger(world, handed_in, client, name):
    client.force_login(stranger(world, name))
    for label, url in urls(world, handed_in).items():
        assert client.get(url).status_code == 404, (name, label)
    # Nor can they act through a POST.
    post_urls = [
        reverse("courses:item_done", args=[world.course.uid, world.lesson.pk]),
        reverse("courses:section_add", args=[world.course.uid]),
        reverse("courses:enrol_one", args=[world.course.uid]),
        reverse("courses:settings", args=[world.course.uid]),
        reverse("courses:item_delete", args=[world.course.uid, world.lesson.pk]),
    ]
    for url in post_urls:
        assert client.post(url, {"title": "x", "identifier": "hs2", "action": "archive"}).status_code == 404
    world.course.refresh_from_db()
    assert not world.course.archived
    assert world.course.sections.count() == 1
    assert not courses_visible_to(stranger(world, name)).exists()


def test_anonymous_is_sent_to_log_in(world, handed_in, client):
    for url in urls(world, handed_in).values():
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_enrolled_student_sees_the_course_but_not_its_management(world, handed_in, client):
    client.force_login(world.cast.student)
    u = urls(world, handed_in)
    assert client.get(u["course"]).status_code == 200
    assert client.get(u["lesson"]).status_code == 200
    file_response = client.get(u["file"])
    assert file_response.status_code == 200
    assert b"".join(file_response.streaming_content).startswith(b"%PDF")
    for label in ("manage", "upload", "submissions", "grade", "gradebook", "export", "item_edit"):
        assert client.get(u[label]).status_code == 404, label


def test_another_enrolled_student_cannot_open_a_classmates_hand_in(world, handed_in, client):
    services.enrol(actor=world.cast.teacher, course=world.course, students=[world.other_student], source="admin")
    client.force_login(world.other_student)
    assert client.get(reverse("courses:course", args=[world.course.uid])).status_code == 200
    assert client.get(urls(world, handed_in)["file"]).status_code == 404


def test_removed_student_loses_access(world, handed_in, client):
    enrolment = world.course.enrolments.get(student=world.cast.student)
    services.unenrol(actor=world.cast.teacher, enrolment=enrolment)
    client.force_login(world.cast.student)
    assert client.get(reverse("courses:course", args=[world.course.uid])).status_code == 404


def test_course_teacher_and_administrators_above_manage(world, handed_in, client):
    for name in ("teacher", "school_admin", "province_admin", "ministry_admin"):
        client.force_login(getattr(world.cast, name))
        for label, url in urls(world, handed_in).items():
            assert client.get(url).status_code == 200, (name, label)


def test_locked_and_unopened_items_are_404_for_students(world, client):
    client.force_login(world.cast.student)
    homework = reverse("courses:item", args=[world.course.uid, world.homework.pk])
    assert client.get(homework).status_code == 404  # the lesson must be done first
    services.mark_complete(student=world.cast.student, item=world.lesson)
    assert client.get(homework).status_code == 200
    hidden = services.update_item(actor=world.cast.teacher, item=world.homework, is_visible=False)
    assert client.get(homework).status_code == 404
    assert access.can(world.cast.teacher, "course.item.view", hidden)


def test_unknown_course_and_malformed_ids_are_404(world, client):
    client.force_login(world.cast.teacher)
    assert client.get("/courses/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert client.get(f"/courses/{world.course.uid}/items/999999/").status_code == 404
    assert client.get("/courses/not-a-uuid/").status_code == 404


def test_item_of_another_course_is_404_under_this_course(world, client):
    other = services.create_course(
        actor=world.cast.teacher,
        school=world.cast.school,
        offering=world.course.offering,
        title="Toán 6B",
        school_year="2026-2027",
    )
    client.force_login(world.cast.teacher)
    assert client.get(reverse("courses:item", args=[other.uid, world.lesson.pk])).status_code == 404
    assert client.get(reverse("courses:item_edit", args=[other.uid, world.lesson.pk])).status_code == 404
