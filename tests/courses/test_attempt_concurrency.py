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
