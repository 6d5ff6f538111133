"""Regrade after a question version fix: the slot and every attempt switch to the fixed version, finished
attempts are regraded with the old and new totals reported and audited; incompatible fixes are refused."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from courses import attempts as engine
from courses import regrade
from courses.models import Attempt
from lms.curriculum.models import Grade, Subject
from question_bank import services as bank
from question_bank.ir import Choice, QuestionData
from question_bank.models import CognitiveLevel, QuestionStatus
from tests.courses.test_quiz_fixtures import build_quiz, shown

pytestmark = pytest.mark.django_db


def wrong_key() -> QuestionData:
    """2 + 3 = ? with the key on the wrong option (authored index 1, "6")."""
    return QuestionData(
        qtype="single_choice",
        name="Cộng",
        stem="<p>2 + 3 = ?</p>",
        answers=(Choice("5", Decimal(0)), Choice("6", Decimal(1)), Choice("4", Decimal(0))),
    )


@pytest.fixture
def setup(world):
    cast = world.cast
    qw = build_quiz(world, attempts_allowed=0)
    question = bank.create_question(
        actor=cast.teacher,
        data=wrong_key(),
        school=cast.school,
        subject=Subject.objects.get(slug="toan"),
        grade=Grade.objects.get(number=6),
        level=CognitiveLevel.objects.get(scheme__slug="bon-muc", code="nb"),
    )
    bank.set_status(question, actor=cast.school_admin, status=QuestionStatus.APPROVED)
    question.refresh_from_db()
    slot = engine.add_question(quiz=qw.quiz, version=question.current_version, points=2)
    finished = []
    for student, choice in ((cast.student, 0), (world.other_student, 1)):
        from courses.models import EnrolmentSource
        from courses.services import enrol

        enrol(actor=cast.teacher, course=world.course, students=[student], source=EnrolmentSource.ADMIN)
        attempt = engine.start_attempt(quiz=qw.quiz, student=student)
        engine.save_answer(attempt=attempt, slot_id=slot.pk, response=shown(attempt, slot, choice), seq=1)
        finished.append(engine.submit_attempt(attempt=attempt))
    return qw, question, slot, finished


def fix(question, world):
    data = dataclasses.replace(
        wrong_key(), answers=(Choice("5", Decimal(1)), Choice("6", Decimal(0)), Choice("4", Decimal(0)))
    )
    version = bank.edit_question(question, actor=world.cast.teacher, data=data)  # an edit sends it back to draft
    question.refresh_from_db()
    bank.set_status(question, actor=world.cast.school_admin, status=QuestionStatus.APPROVED)
    return version


def test_regrade_switches_to_the_fixed_version_and_reports_the_changes(world, client_for, setup):
    qw, question, slot, (right, wrong) = setup
    assert (right.score, wrong.score) == (Decimal(0), Decimal(2))  # the wrong key rewarded "6"
    in_progress = engine.start_attempt(quiz=qw.quiz, student=world.cast.student)
    fixed = fix(question, world)
    question.refresh_from_db()
    assert question.status == QuestionStatus.APPROVED and question.current_version == fixed
    client = client_for(world.cast.teacher)
    url = reverse("courses:quiz_regrade", args=[world.course.uid, qw.quiz.item_id, slot.pk])
    page = client.get(url).content.decode()
    assert "2 bài làm đã nộp sẽ được chấm lại." in page
    response = client.post(url, {"version": ""})
    page = response.content.decode()
    assert "Đã chấm lại 2 bài làm; điểm của 2 bài thay đổi." in page
    right.refresh_from_db()
    wrong.refresh_from_db()
    assert (right.score, wrong.score) == (Decimal(2), Decimal(0))
    slot.refresh_from_db()
    assert slot.version == fixed
    for attempt in (right, wrong, Attempt.objects.get(pk=in_progress.pk)):
        assert next(e for e in attempt.variant if e["slot"] == slot.pk)["version"] == fixed.pk
    changes = ModelLogEntry.objects.filter(action="courses.attempt.regrade").order_by("pk")
    assert [(c.data["old_score"], c.data["new_score"]) for c in changes] == [("0.00", "2.00"), ("2.00", "0.00")]
    # The quiz grade follows
    assert engine.quiz_grade(qw.quiz, world.other_student) == Decimal(0)


def test_regrade_with_a_chosen_version_and_essay_points_are_kept(world, setup):
    qw, question, slot, (right, _wrong) = setup
    essay = right.answers.get(slot=qw.slot_of("essay"))
    essay.response = "Vì 12 = 6·2 và 18 = 6·3."
    essay.save()
    engine.grade_manually(actor=world.cast.teacher, answer=essay, points="1")
    fixed = fix(question, world)
    first = question.versions.get(number=1)
    report = regrade.regrade_slot(actor=world.cast.teacher, slot=slot, version=fixed)
    assert (report.regraded, report.changed) == (2, 2)
    right.refresh_from_db()
    assert right.score == Decimal(3)  # 2 for the fixed question + the teacher's 1 for the essay
    # back to the first version: everything returns
    report = regrade.regrade_slot(actor=world.cast.teacher, slot=slot, version=first)
    right.refresh_from_db()
    assert report.changed == 2 and right.score == Decimal(1)
    # the essay slot itself: the teacher's points stay
    essay_slot = qw.slot_of("essay")
    report = regrade.regrade_slot(actor=world.cast.teacher, slot=essay_slot, version=essay_slot.version)
    right.refresh_from_db()
    assert report.changed == 0 and right.score == Decimal(1)


def test_incompatible_fixes_and_other_questions_are_refused_without_changes(world, client_for, setup):
    qw, question, slot, (right, _wrong) = setup
    data = dataclasses.replace(wrong_key(), answers=(Choice("5", Decimal(1)), Choice("6", Decimal(0))))
    bank.edit_question(question, actor=world.cast.teacher, data=data)
    question.refresh_from_db()
    bank.set_status(question, actor=world.cast.school_admin, status=QuestionStatus.APPROVED)
    with pytest.raises(regrade.RegradeError):
        regrade.regrade_slot(actor=world.cast.teacher, slot=slot)
    other_version = qw.slots[0].version
    with pytest.raises(regrade.RegradeError):
        regrade.regrade_slot(actor=world.cast.teacher, slot=slot, version=other_version)
    right.refresh_from_db()
    slot.refresh_from_db()
    assert right.score == Decimal(0) and slot.version.number == 1
    url = reverse("courses:quiz_regrade", args=[world.course.uid, qw.quiz.item_id, slot.pk])
    response = client_for(world.cast.teacher).post(url, {"version": ""}, follow=True)
    assert "số phương án khác" in response.content.decode()


@pytest.mark.parametrize("who", ["other_teacher", "outsider", "student"])
def test_only_course_managers_regrade(world, client_for, setup, who):
    qw, question, slot, (right, _wrong) = setup
    fix(question, world)
    user = getattr(world, who, None) or getattr(world.cast, who)
    url = reverse("courses:quiz_regrade", args=[world.course.uid, qw.quiz.item_id, slot.pk])
    assert client_for(user).post(url, {"version": ""}).status_code == 404
    right.refresh_from_db()
    assert right.score == Decimal(0)
