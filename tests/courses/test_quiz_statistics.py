"""Per-question statistics back to the bank: facility and discrimination from finished, fully graded attempts,
after manual grading and by ``manage.py quiz_statistics``."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from courses import attempts as engine
from courses import grading_queue
from courses.models import EnrolmentSource
from courses.services import enrol
from question_bank.models import VersionStatistics
from tests.courses.conftest import person
from tests.courses.test_quiz_fixtures import build_quiz, shown

pytestmark = pytest.mark.django_db


def class_of(world, n):
    from lms.accounts.models import Role

    students = [
        person(f"hs-thong-ke-{i}", f"Học Sinh {i}", Role.STUDENT, world.cast.school, school_class=world.cast.class_6a)
        for i in range(n)
    ]
    enrol(actor=world.cast.teacher, course=world.course, students=students, source=EnrolmentSource.ADMIN)
    return students


def take(qw, student, *, single_right: bool, multiple: list[int]):
    attempt = engine.start_attempt(quiz=qw.quiz, student=student)
    s1, s2 = qw.slot_of("single_choice"), qw.slot_of("multiple_choice")
    engine.save_answer(attempt=attempt, slot_id=s1.pk, response=shown(attempt, s1, 0 if single_right else 1), seq=1)
    engine.save_answer(attempt=attempt, slot_id=s2.pk, response=[shown(attempt, s2, i) for i in multiple], seq=2)
    return engine.submit_attempt(attempt=attempt)


def test_the_command_fills_facility_and_discrimination(world):
    qw = build_quiz(world)
    a, b, c, d = class_of(world, 4)
    take(qw, a, single_right=True, multiple=[0, 1])  # 1 + 2
    take(qw, b, single_right=True, multiple=[0])  # 1 + 1
    take(qw, c, single_right=False, multiple=[0])  # 0 + 1
    take(qw, d, single_right=False, multiple=[])  # 0 + 0
    out = StringIO()
    call_command("quiz_statistics", stdout=out)
    assert "Updated the statistics of" in out.getvalue()
    single = VersionStatistics.objects.get(version=qw.slot_of("single_choice").version)
    assert single.attempts == 4 and single.facility == pytest.approx(0.5)
    # question scores 1,1,0,0; rest of test 2,1,1,0 → r = 1 / √(1 × 2) ≈ 0.7071
    assert single.discrimination == pytest.approx(0.7071, abs=1e-4)
    multiple = VersionStatistics.objects.get(version=qw.slot_of("multiple_choice").version)
    assert multiple.attempts == 4 and multiple.facility == pytest.approx(0.5)  # (1 + .5 + .5 + 0) / 4
    # The essays are empty (0 points, nothing waits), so every attempt counts
    assert VersionStatistics.objects.get(version=qw.slot_of("essay").version).facility == 0
    with pytest.raises(CommandError):
        call_command("quiz_statistics", "--quiz", "999999")


def test_an_attempt_counts_once_its_essay_is_graded(world, django_capture_on_commit_callbacks):
    qw = build_quiz(world)
    attempt = engine.start_attempt(quiz=qw.quiz, student=world.cast.student)
    essay_slot = qw.slot_of("essay")
    engine.save_answer(attempt=attempt, slot_id=essay_slot.pk, response="Rút gọn cho 6.", seq=1)
    attempt = engine.submit_attempt(attempt=attempt)
    call_command("quiz_statistics", "--quiz", str(qw.quiz.pk), stdout=StringIO())
    assert not VersionStatistics.objects.filter(version=essay_slot.version).exists()  # still waiting
    answer = attempt.answers.get(slot=essay_slot)
    with django_capture_on_commit_callbacks(execute=True):
        grading_queue.grade(actor=world.cast.teacher, answer=answer, points="1,5", comment="")
    stats = VersionStatistics.objects.get(version=essay_slot.version)
    assert stats.attempts == 1 and stats.facility == pytest.approx(0.75) and stats.discrimination is None
    assert Decimal(str(stats.facility)) == Decimal("0.75")
