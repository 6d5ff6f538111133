"""The registry of question types — the one place that lists them.

Each entry is a :class:`~question_bank.qtypes.base.QuestionType` with ``key``, ``label`` (English;
the UI translates), ``validate(data) -> list[Problem]`` and ``grade(data, response) -> Grade``.
Response shapes and options are documented on each class. Rounding: see :mod:`question_bank.qtypes.base`.

Usage::

    from question_bank.types import get_type
    grade = get_type(q.qtype).grade(q, response)
"""

from __future__ import annotations

from question_bank.ir import QuestionData
from question_bank.qtypes.base import Grade, Problem, QuestionType
from question_bank.qtypes.choice import (
    EXAM_2025_TRUE_FALSE_SCORING,
    MultipleChoice,
    SingleChoice,
    TrueFalse,
    TrueFalseGroup,
)
from question_bank.qtypes.structured import Cloze, Description, Essay, Matching, Ordering
from question_bank.qtypes.typed import Numeric, ShortAnswer, ShortNumeric2025

__all__ = [
    "EXAM_2025_TRUE_FALSE_SCORING",
    "REGISTRY",
    "Grade",
    "Problem",
    "QuestionType",
    "UnknownQuestionType",
    "choices",
    "get_type",
    "grade",
    "register",
    "validate",
]


class UnknownQuestionType(KeyError):
    """Raised by :func:`get_type` for a key that is not registered."""


REGISTRY: dict[str, QuestionType] = {}


def register(qtype: QuestionType) -> QuestionType:
    """Add a type to the registry (a key may be registered once)."""
    if not qtype.key or qtype.key in REGISTRY:
        raise ValueError(f"question type key {qtype.key!r} is empty or already registered")
    REGISTRY[qtype.key] = qtype
    return qtype


def get_type(key: str) -> QuestionType:
    """The registered type for ``key``."""
    try:
        return REGISTRY[key]
    except KeyError:
        raise UnknownQuestionType(key) from None


def choices() -> list[tuple[str, str]]:
    """(key, English label) pairs, in registry order, for form fields."""
    return [(t.key, t.label) for t in REGISTRY.values()]


def validate(data: QuestionData) -> list[Problem]:
    """Problems of a question; an unknown type is itself a problem."""
    if data.qtype not in REGISTRY:
        return [Problem("qtype.unknown", f"unknown question type {data.qtype!r}", "qtype")]
    return REGISTRY[data.qtype].validate(data)


def grade(data: QuestionData, response: object) -> Grade:
    """Grade a response with the question's type."""
    return get_type(data.qtype).grade(data, response)


for _qtype in (
    SingleChoice(),
    MultipleChoice(),
    TrueFalse(),
    TrueFalseGroup(),
    ShortAnswer(),
    Numeric(),
    ShortNumeric2025(),
    Matching(),
    Ordering(),
    Essay(),
    Cloze(get_type),
    Description(),
):
    register(_qtype)
