"""The attempt engine: freezing, ordered saves, deadlines, grading (partial credit, Đúng–Sai 2025), quiz grade."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from courses import attempts as engine
from courses.models import Attempt, AttemptAnswer, AttemptState, Completion, GradingMethod
from question_bank import services as bank
from tests.courses.test_quiz_fixtures import build_quiz, shown, single

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz_world(world):
    return build_quiz(world)


def start(qw, **kw):
    return engine.start_attempt(quiz=qw.quiz, student=qw.world.cast.student, **kw)


def answer_all_right(qw, attempt, seq=1):
    engine.save_answer(
        attempt=attempt,
        slot_id=qw.slot_of("single_choice").pk,
        response=shown(attempt, qw.slot_of("single_choice"), 0),
        seq=seq,
    )


def test_start_freezes_versions_and_continues_the_open_attempt(quiz_world):
    qw = quiz_world
    attempt = start(qw)
    assert attempt.state == AttemptState.IN_PROGRESS and attempt.number == 1
    assert [v["version"] for v in attempt.variant] == [s.version_id for s in qw.slots]
    assert sorted(attempt.variant[0]["order"]) == [0, 1, 2, 3]
    # the teacher fixes the question: the running attempt keeps what it started with
    fixed = single().replace(stem="<p>$2 + 4 = ?$</p>")
    new_version = bank.edit_question(qw.questions[0], actor=qw.world.cast.teacher, data=fixed)
    assert new_version.pk != qw.slots[0].version_id
    again = start(qw)
    assert again.pk == attempt.pk
    assert again.variant[0]["version"] == qw.slots[0].version_id


def test_start_refused_when_closed_not_open_wrong_password_or_no_attempts_left(world):
    now = timezone.now()
    closed = build_quiz(world, closes_at=now - timedelta(minutes=1))
    with pytest.raises(engine.AttemptError) as e:
        start(closed)
    assert e.value.code == "closed"
    early = build_quiz(world, opens_at=now + timedelta(hours=1))
    with pytest.raises(engine.AttemptError):
        start(early)
    secret = build_quiz(world, password="toán6a")
    with pytest.raises(engine.AttemptError) as e:
        start(secret, password="sai")
    assert e.value.code == "password"
    assert start(secret, password="toán6a").number == 1
    once = build_quiz(world, attempts_allowed=1)
    engine.submit_attempt(attempt=start(once))
    with pytest.raises(engine.AttemptError) as e:
        start(once)
    assert e.value.code == "no_attempts_left"
    assert Attempt.objects.filter(quiz=once.quiz).count() == 1


def test_saves_are_idempotent_and_ordered(quiz_world):
    qw = quiz_world
    attempt = start(qw)
    slot = qw.slot_of("single_choice").pk
    assert engine.save_answer(attempt=attempt, slot_id=slot, response=1, seq=5).status == "saved"
    assert engine.save_answer(attempt=attempt, slot_id=slot, response=1, seq=5).status == "duplicate"
    stale = engine.save_answer(attempt=attempt, slot_id=slot, response=2, seq=3)
    assert stale.status == "stale" and stale.seq == 5
    row = AttemptAnswer.objects.get(attempt=attempt, slot_id=slot)
    assert (row.response, row.seq) == (1, 5)
    assert engine.save_answer(attempt=attempt, slot_id=slot, response=3, seq=6).status == "saved"
    row.refresh_from_db()
    assert (row.response, row.seq) == (3, 6)
    assert AttemptAnswer.objects.filter(attempt=attempt).count() == 1
    for bad in (0, -1, "7", True, None):
        with pytest.raises(engine.AttemptError):
            engine.save_answer(attempt=attempt, slot_id=slot, response=1, seq=bad)
    with pytest.raises(engine.AttemptError):
        engine.save_answer(attempt=attempt, slot_id=999999, response=1, seq=9)


def test_submit_grades_partial_credit_and_the_2025_true_false_group(quiz_world):
    qw = quiz_world
    attempt = start(qw)
    s_single, s_multi = qw.slot_of("single_choice"), qw.slot_of("multiple_choice")
    s_group, s_essay = qw.slot_of("true_false_group"), qw.slot_of("essay")
    engine.save_answer(attempt=attempt, slot_id=s_single.pk, response=shown(attempt, s_single, 0), seq=1)
    # one of the two primes: half of 2 points
    engine.save_answer(attempt=attempt, slot_id=s_multi.pk, response=[shown(attempt, s_multi, 0)], seq=2)
    # three statements of four judged right: 0.5 of the point (Quyết định 4068 table)
    engine.save_answer(attempt=attempt, slot_id=s_group.pk, response=[True, False, True, True], seq=3)
    engine.save_answer(attempt=attempt, slot_id=s_essay.pk, response="Chia cả tử và mẫu cho 6.", seq=4)
    done = engine.submit_attempt(attempt=attempt)
    assert done.state == AttemptState.SUBMITTED
    points = {a.slot_id: a.points for a in done.answers.all()}
    assert points[s_single.pk] == Decimal("1.00")
    assert points[s_multi.pk] == Decimal("1.00")
    assert points[s_group.pk] == Decimal("0.50")
    assert points[s_essay.pk] is None
    assert done.score == Decimal("2.50") and done.max_score == Decimal("6.00")
    assert done.needs_grading
    assert Completion.objects.filter(item=qw.quiz.item, student=qw.world.cast.student).exists()
    # the teacher grades the essay; the attempt's score follows
    essay = done.answers.get(slot=s_essay)
    graded = engine.grade_manually(actor=qw.world.cast.teacher, answer=essay, points="1.5")
    assert graded.score == Decimal("4.00") and not graded.needs_grading
    # 4/6 of 10
    assert engine.quiz_grade(qw.quiz, qw.world.cast.student) == Decimal("6.67")
    # submitting again changes nothing
    assert engine.submit_attempt(attempt=attempt).score == Decimal("4.00")


def test_wrong_choice_with_negative_credit_is_floored_at_zero(quiz_world):
    qw = quiz_world
    attempt = start(qw)
    s_multi = qw.slot_of("multiple_choice")
    engine.save_answer(
        attempt=attempt, slot_id=s_multi.pk, response=[shown(attempt, s_multi, 0), shown(attempt, s_multi, 2)], seq=1
    )
    done = engine.submit_attempt(attempt=attempt)
    assert done.answers.get(slot=s_multi).points == Decimal("0.00")


def test_a_save_after_the_deadline_is_refused_and_the_attempt_closes_with_what_was_saved(world, settings):
    settings.QUIZ_GRACE_SECONDS = 10
    qw = build_quiz(world, time_limit_minutes=15)
    t0 = timezone.now()
    attempt = engine.start_attempt(quiz=qw.quiz, student=world.cast.student, now=t0)
    assert attempt.deadline == t0 + timedelta(minutes=15)
    s_single = qw.slot_of("single_choice")
    right, wrong = shown(attempt, s_single, 0), shown(attempt, s_single, 1)
    engine.save_answer(attempt=attempt, slot_id=s_single.pk, response=right, seq=1, now=t0 + timedelta(minutes=5))
    # inside the grace: still accepted
    within = t0 + timedelta(minutes=15, seconds=5)
    assert engine.save_answer(attempt=attempt, slot_id=s_single.pk, response=right, seq=2, now=within).status == "saved"
    late = t0 + timedelta(minutes=15, seconds=11)
    with pytest.raises(engine.AttemptError) as e:
        engine.save_answer(attempt=attempt, slot_id=s_single.pk, response=wrong, seq=3, now=late)
    assert e.value.code == "time_up"
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.CLOSED
    assert attempt.score == Decimal("1.00")  # the saved (right) answer, not the late one
    with pytest.raises(engine.AttemptError) as e:
        engine.save_answer(attempt=attempt, slot_id=s_single.pk, response=wrong, seq=4, now=late)
    assert e.value.code == "finished"


def test_deadline_is_the_quiz_close_when_that_comes_first(world):
    closes = timezone.now() + timedelta(minutes=5)
    qw = build_quiz(world, time_limit_minutes=45, closes_at=closes)
    assert engine.start_attempt(quiz=qw.quiz, student=world.cast.student).deadline == closes


def test_the_task_closes_abandoned_attempts_at_their_deadline(world):
    qw = build_quiz(world, time_limit_minutes=10)
    attempt = engine.start_attempt(quiz=qw.quiz, student=world.cast.student)
    s_single = qw.slot_of("single_choice")
    engine.save_answer(attempt=attempt, slot_id=s_single.pk, response=shown(attempt, s_single, 0), seq=1)
    assert engine.close_overdue_attempts.call() == 0  # not yet
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=5))
    assert engine.close_overdue_attempts.call() == 1
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.CLOSED and attempt.score == Decimal("1.00")
    assert engine.close_attempt.call(attempt.pk) is False  # already closed: nothing to do
    assert engine.close_overdue_attempts.call() == 0


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        (GradingMethod.HIGHEST, "8.00"),
        (GradingMethod.AVERAGE, "5.00"),
        (GradingMethod.FIRST, "2.00"),
        (GradingMethod.LAST, "8.00"),
    ],
)
def test_quiz_grade_by_grading_method(world, method, expected):
    qw = build_quiz(world, grading_method=method, attempts_allowed=0)
    student = world.cast.student
    for score in ("1.20", "4.80"):
        a = engine.submit_attempt(attempt=engine.start_attempt(quiz=qw.quiz, student=student))
        Attempt.objects.filter(pk=a.pk).update(score=Decimal(score), needs_grading=False)
    assert engine.quiz_grade(qw.quiz, student) == Decimal(expected)
