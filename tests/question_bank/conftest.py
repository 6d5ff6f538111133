"""Helpers for the question bank's database tests."""

from __future__ import annotations

import pytest

from lms.curriculum.models import Grade, Subject, Topic
from question_bank.ir import Choice, QuestionData
from question_bank.models import CognitiveLevel


def mcq(stem: str = "Số nào là số nguyên tố?", name: str = "", tags: tuple[str, ...] = ()) -> QuestionData:
    return QuestionData(
        qtype="single_choice",
        name=name,
        stem=stem,
        answers=(Choice("2", 1), Choice("4", 0), Choice("6", 0), Choice("9", 0)),
        tags=tags,
    )


def level(scheme: str, code: str) -> CognitiveLevel:
    return CognitiveLevel.objects.get(scheme__slug=scheme, code=code)


@pytest.fixture
def toan6(curriculum):
    """Toán, grade 6 and one of its topics with an outcome."""
    subject = Subject.objects.get(slug="toan")
    grade = Grade.objects.get(number=6)
    topic = Topic.objects.filter(subject=subject, grade=grade, outcomes__isnull=False).first()
    if topic is None:
        topic = Topic.objects.filter(subject=subject, grade=grade).first()
    return subject, grade, topic
