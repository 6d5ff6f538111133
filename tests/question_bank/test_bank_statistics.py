"""Facility and discrimination of a question version, on worked numbers."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from question_bank import services
from question_bank.statistics import compute, record_statistics
from tests.question_bank.conftest import mcq


def test_worked_example():
    figures = compute([(10, 1), (8, 1), (6, 0), (4, 0)], 1)
    assert figures.attempts == 4
    assert figures.facility == 0.5
    assert figures.discrimination == pytest.approx(3 / math.sqrt(13))
    assert round(figures.discrimination, 4) == 0.8321


def test_a_question_the_weak_students_get_right_discriminates_negatively():
    figures = compute([(Decimal("9.5"), 0), (8, 0), (Decimal("5.25"), Decimal("0.5")), (3, Decimal("0.5"))], "0.5")
    assert figures.facility == 0.5
    assert figures.discrimination < 0


def test_partial_credit_facility():
    # Scores 0.25, 0.5, 1 and 0.25 of a 1-point Đúng–Sai item: mean 0.5.
    assert compute([(7, "0.25"), (8, "0.5"), (9, 1), (3, "0.25")], 1).facility == 0.5


def test_undefined_cases_are_none_not_errors():
    assert compute([], 1) == compute([], 1)
    assert compute([], 1).facility is None
    assert compute([(5, 1)], 1).discrimination is None
    assert compute([(5, 1), (7, 1)], 1).discrimination is None  # everybody right
    assert compute([(5, 0), (6, 1)], 1).discrimination is None  # same rest-of-test score
    assert compute([(5, 0), (6, 1)], 0).facility is None


@pytest.mark.django_db
def test_statistics_are_stored_per_version(cast):
    question = services.create_question(actor=cast.teacher, data=mcq())
    row = record_statistics(question.current_version, [(10, 1), (8, 1), (6, 0), (4, 0)])
    assert (row.attempts, row.facility, round(row.discrimination, 4)) == (4, 0.5, 0.8321)
    again = record_statistics(question.current_version, [(10, 1), (2, 0)])
    assert again.pk == row.pk and again.attempts == 2
