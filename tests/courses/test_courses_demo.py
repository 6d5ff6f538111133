"""The demo loader adds courses on top of the core and library demo data, and can run twice."""

from __future__ import annotations

import pytest

from courses.models import Course, Submission
from lms.core.demo import load_demo

pytestmark = pytest.mark.django_db


def test_demo_courses(curriculum):
    load_demo()
    courses = {c.title: c for c in Course.objects.all()}
    assert set(courses) == {"Toán 6A – Học kì I", "Ngữ văn 6A"}
    toan = courses["Toán 6A – Học kì I"]
    assert toan.enrolments.filter(is_active=True).count() == 2
    assert toan.items.filter(kind="lesson").exists()
    graded = Submission.objects.get(assignment__item__course=toan)
    assert graded.score is not None
    assert toan.grade_columns.get(term=1, kind="regular", position=1).entries.get().score == graded.score
    load_demo()
    assert Course.objects.count() == 2
