"""Assignments: text or file hand-ins with size and type checks, resubmission, late work, teacher grading."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from courses import services
from courses.models import Assignment, Submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(world):
    services.mark_complete(student=world.cast.student, item=world.lesson)
    return world


def pdf(name="bai-lam.pdf", size=100):
    return SimpleUploadedFile(name, b"%PDF-1.4 " + b"x" * size, content_type="application/pdf")


def test_file_checks(ready):
    w = ready
    assignment = w.homework.assignment
    Assignment.objects.filter(pk=assignment.pk).update(max_file_mb=1)
    assignment.refresh_from_db()
    bad = [
        SimpleUploadedFile("virus.exe", b"MZ\x90\x00", content_type="application/octet-stream"),  # type
        SimpleUploadedFile("gia.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"),  # content
        pdf(size=1024 * 1024 + 1),  # size
        SimpleUploadedFile("rong.pdf", b"", content_type="application/pdf"),  # empty
    ]
    for upload in bad:
        with pytest.raises(services.CourseError):
            services.submit(student=w.cast.student, assignment=assignment, upload=upload)
    assert not Submission.objects.exists()
    assert not w.homework.completions.exists()
    submission = services.submit(student=w.cast.student, assignment=assignment, upload=pdf("Bài làm của em.pdf"))
    assert submission.file_name == "Bài làm của em.pdf"
    assert submission.file.name.endswith("bai-lam-cua-em.pdf")
    assert str(w.course.uid) in submission.file.name
    assert w.homework.completions.filter(student=w.cast.student).exists()


def test_text_only_and_empty_hand_ins(ready):
    w = ready
    assignment = w.homework.assignment
    with pytest.raises(services.CourseError):
        services.submit(student=w.cast.student, assignment=assignment, text="   ")
    Assignment.objects.filter(pk=assignment.pk).update(submission_type="text")
    assignment.refresh_from_db()
    with pytest.raises(services.CourseError):
        services.submit(student=w.cast.student, assignment=assignment, upload=pdf())


def test_resubmission_numbering_and_when_it_is_refused(ready):
    w = ready
    a = w.homework.assignment
    first = services.submit(student=w.cast.student, assignment=a, text="Lần 1")
    second = services.submit(student=w.cast.student, assignment=a, text="Lần 2")
    assert (first.number, second.number) == (1, 2)
    Assignment.objects.filter(pk=a.pk).update(allow_resubmission=False)
    a.refresh_from_db()
    with pytest.raises(services.CourseError):
        services.submit(student=w.cast.student, assignment=a, text="Lần 3")
    # A teacher returning the work opens it again.
    services.grade_submission(
        actor=w.cast.teacher, submission=second, feedback="Trình bày lại.", return_for_changes=True
    )
    third = services.submit(student=w.cast.student, assignment=a, text="Lần 3")
    assert third.number == 3
    latest = list(services.submissions_to_grade(w.course))
    assert latest == [third]


def test_late_work(ready):
    w = ready
    a = w.homework.assignment
    Assignment.objects.filter(pk=a.pk).update(due_at=timezone.now() - timedelta(hours=1))
    a.refresh_from_db()
    assert services.submit(student=w.cast.student, assignment=a, text="muộn").is_late
    Assignment.objects.filter(pk=a.pk).update(accept_late=False)
    a.refresh_from_db()
    with pytest.raises(services.CourseError):
        services.submit(student=w.cast.student, assignment=a, text="muộn nữa")


def test_not_enrolled_and_archived(ready):
    w = ready
    with pytest.raises(services.CourseError):
        services.submit(student=w.other_student, assignment=w.homework.assignment, text="x")
    services.set_archived(actor=w.cast.teacher, course=w.course, archived=True)
    with pytest.raises(services.CourseError):
        services.submit(student=w.cast.student, assignment=w.homework.assignment, text="x")


def test_grading_by_the_teacher_only(ready):
    w = ready
    submission = services.submit(student=w.cast.student, assignment=w.homework.assignment, text="2/3")
    for intruder in (w.other_teacher, w.cast.student, w.cast.outsider):
        with pytest.raises(PermissionDenied):
            services.grade_submission(actor=intruder, submission=submission, score=Decimal("10"))
    services.grade_submission(actor=w.cast.teacher, submission=submission, score=Decimal("8.5"), feedback="Tốt")
    submission.refresh_from_db()
    assert (submission.status, submission.score, submission.graded_by) == ("graded", Decimal("8.5"), w.cast.teacher)
