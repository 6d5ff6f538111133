"""Two sessions (tabs) saving the same attempt at once, on separate database connections."""

from __future__ import annotations

import random
import threading

import pytest
from django.db import close_old_connections, connection

from courses import attempts as engine
from courses.models import Attempt, AttemptAnswer
from tests.courses.test_quiz_fixtures import build_quiz

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_tabs_saving_at_once_keep_the_newest_answer(world):
    qw = build_quiz(world)
    attempt = engine.start_attempt(quiz=qw.quiz, student=world.cast.student)
    slots = [qw.slot_of("single_choice").pk, qw.slot_of("essay").pk]
    # each tab sends saves 1..60 for both questions in a scrambled order; the response names the seq
    plans = []
    for tab in range(2):
        plan = [(slot, seq) for seq in range(1, 61) for slot in slots]
        random.Random(tab).shuffle(plan)
        plans.append(plan)
    errors: list[BaseException] = []
    results: list[str] = []
    barrier = threading.Barrier(2)

    def tab(plan):
        try:
            barrier.wait()
            row = Attempt.objects.get(pk=attempt.pk)  # this thread's own connection
            for slot, seq in plan:
                response = f"lần {seq}" if slot == slots[1] else seq % 4
                results.append(engine.save_answer(attempt=row, slot_id=slot, response=response, seq=seq).status)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=tab, args=(p,)) for p in plans]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors, errors
    assert len(results) == 240
    assert results.count("saved") >= 2
    rows = {a.slot_id: a for a in AttemptAnswer.objects.filter(attempt=attempt)}
    assert len(rows) == 2
    assert (rows[slots[0]].seq, rows[slots[0]].response) == (60, 0)
    assert (rows[slots[1]].seq, rows[slots[1]].response) == (60, "lần 60")


def test_token_saves_racing_a_submit_are_either_graded_or_refused(world):
    """Saves with the attempt's token hold a share lock: none lands after the submit has graded."""
    qw = build_quiz(world)
    attempt = engine.start_attempt(quiz=qw.quiz, student=world.cast.student)
    claims = engine.read_save_token(engine.save_token(attempt))
    slot = qw.slot_of("essay").pk
    told: list[tuple[int, str]] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def saver():
        try:
            barrier.wait()
            for seq in range(1, 201):
                try:
                    result = engine.save_answer_with_token(
                        claims=claims, uid=attempt.uid, slot_id=slot, response=f"lần {seq}", seq=seq
                    )
                    told.append((seq, result.status))
                except engine.AttemptError as exc:
                    told.append((seq, exc.code))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    def submitter():
        try:
            barrier.wait()
            engine.submit_attempt(attempt=Attempt.objects.get(pk=attempt.pk))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=saver), threading.Thread(target=submitter)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors, errors
    last_saved = max((seq for seq, status in told if status == "saved"), default=0)
    assert all(status == "finished" for seq, status in told if seq > last_saved)
    stored = AttemptAnswer.objects.filter(attempt=attempt, slot_id=slot).first()
    # what the student was last told was saved is exactly what was graded
    assert (stored.seq if stored else 0) == last_saved
    if last_saved:
        assert stored.response == f"lần {last_saved}" and stored.needs_grading
