"""Choice-based types: single choice, multiple choice, true/false and the 2025 Đúng–Sai group."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from question_bank.ir import QuestionData, dec_str, to_decimal
from question_bank.qtypes.base import (
    ONE,
    ZERO,
    Grade,
    Problem,
    QuestionType,
    error,
    invalid_response,
    make_grade,
    warning,
)

CHOICE_OPTIONS: Mapping[str, Any] = {
    "shuffle": True,
    "answer_numbering": "abc",
    "correct_feedback": "",
    "partially_correct_feedback": "",
    "incorrect_feedback": "",
    "show_num_correct": False,
}
ANSWER_NUMBERING = ("abc", "ABCD", "123", "iii", "IIII", "none")

#: Points of a Đúng–Sai question by number of correctly judged statements (Quyết định 4068/QĐ-BGDĐT,
#: THPT exam from 2025): 0 → 0, 1 → 0.1, 2 → 0.25, 3 → 0.5, 4 → 1 of the question's points.
EXAM_2025_TRUE_FALSE_SCORING: tuple[str, ...] = ("0", "0.1", "0.25", "0.5", "1")


def default_scoring(statement_count: int) -> tuple[str, ...]:
    """The 2025 exam table for 4 statements; for another count a linear table k/n (a school may edit it)."""
    if statement_count == 4:
        return EXAM_2025_TRUE_FALSE_SCORING
    n = max(statement_count, 1)
    return tuple(dec_str((Decimal(k) / Decimal(n)).quantize(Decimal("0.0000001"))) for k in range(n + 1))


def _index(response: Any, count: int) -> int | None:
    if isinstance(response, bool) or not isinstance(response, int):
        return None
    return response if 0 <= response < count else None


def _check_numbering(data: QuestionData, options: Mapping[str, Any]) -> list[Problem]:
    numbering = data.options.get("answer_numbering", options["answer_numbering"])
    if numbering not in ANSWER_NUMBERING:
        return [error("numbering.unknown", f"unknown answer numbering {numbering!r}", "options.answer_numbering")]
    return []


class SingleChoice(QuestionType):
    """One answer is chosen. Credit = the chosen answer's fraction (negative floored at 0).

    Response: the index (int) of the chosen answer, or None.
    Options: ``shuffle``, ``answer_numbering`` (abc/ABCD/123/iii/IIII/none) and Moodle's combined
    feedbacks ``correct_feedback``, ``partially_correct_feedback``, ``incorrect_feedback``, ``show_num_correct``.
    """

    key = "single_choice"
    label = "Multiple choice (one answer)"
    options_defaults = CHOICE_OPTIONS

    def check(self, data: QuestionData) -> list[Problem]:
        problems = _check_numbering(data, CHOICE_OPTIONS)
        if len(data.answers) < 2:
            problems.append(error("answers.too_few", "at least two answers are needed", "answers"))
        if not any(a.fraction == ONE for a in data.answers):
            problems.append(error("answers.no_full_credit", "one answer must give full credit (100%)", "answers"))
        return problems

    def grade(self, data: QuestionData, response: Any) -> Grade:
        index = _index(response, len(data.answers))
        if index is None:
            return invalid_response("no answer chosen")
        answer = data.answers[index]
        return make_grade(answer.fraction, answer.feedback)


class MultipleChoice(QuestionType):
    """Several answers may be chosen; Moodle-style credit.

    Credit = sum of the fractions of the chosen answers (wrong answers may carry negative
    fractions such as -100%), clamped to [0, 1]. Positive fractions must add up to 100%.
    Response: an iterable of chosen indices (duplicates ignored). Options as :class:`SingleChoice`.
    """

    key = "multiple_choice"
    label = "Multiple choice (several answers)"
    options_defaults = CHOICE_OPTIONS

    def check(self, data: QuestionData) -> list[Problem]:
        problems = _check_numbering(data, CHOICE_OPTIONS)
        if len(data.answers) < 2:
            problems.append(error("answers.too_few", "at least two answers are needed", "answers"))
        positive = sum((a.fraction for a in data.answers if a.fraction > 0), ZERO)
        if abs(positive - ONE) > Decimal("0.0001"):
            problems.append(error("answers.positive_sum", "the positive fractions must add up to 100%", "answers"))
        return problems

    def grade(self, data: QuestionData, response: Any) -> Grade:
        if isinstance(response, str | bytes) or not isinstance(response, Iterable):
            return invalid_response()
        chosen: list[int] = []
        for item in response:
            index = _index(item, len(data.answers))
            if index is None:
                return invalid_response()
            if index not in chosen:
                chosen.append(index)
        total = sum((data.answers[i].fraction for i in chosen), ZERO)
        feedback = "\n".join(data.answers[i].feedback for i in sorted(chosen) if data.answers[i].feedback)
        return make_grade(total, feedback)


TRUE_TEXTS = frozenset({"true", "t", "đúng", "đ", "1"})
FALSE_TEXTS = frozenset({"false", "f", "sai", "s", "0"})


def read_bool(value: Any) -> bool | None:
    """A boolean response: a bool, or a text such as true/false, T/F, Đúng/Sai, 1/0."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        text = value.strip().casefold()
        if text in TRUE_TEXTS:
            return True
        if text in FALSE_TEXTS:
            return False
    return None


class TrueFalse(QuestionType):
    """A statement judged true or false.

    ``answers`` are exactly ``Choice("true", …)`` and ``Choice("false", …)`` (this order); the
    one with fraction 1 is correct; each carries the feedback shown when it is chosen.
    Response: bool (or a text read by :func:`read_bool`).
    """

    key = "true_false"
    label = "True/False"

    def check(self, data: QuestionData) -> list[Problem]:
        texts = [a.text for a in data.answers]
        if texts != ["true", "false"]:
            return [error("truefalse.answers", "answers must be 'true' then 'false'", "answers")]
        if sorted(a.fraction for a in data.answers) != [ZERO, ONE]:
            return [error("truefalse.fractions", "exactly one of true/false gives full credit", "answers")]
        return []

    def correct_value(self, data: QuestionData) -> bool:
        """True when the statement is true."""
        return bool(data.answers) and data.answers[0].fraction == ONE

    def grade(self, data: QuestionData, response: Any) -> Grade:
        value = read_bool(response)
        if value is None or len(data.answers) != 2:
            return invalid_response("no answer chosen")
        answer = data.answers[0 if value else 1]
        return make_grade(answer.fraction, answer.feedback)


class TrueFalseGroup(QuestionType):
    """The 2025 exam "Đúng–Sai" question: one stem, statements a), b), c), d) each judged true/false.

    Options:
      * ``statements``: tuple of ``{"text": str, "correct": bool, "feedback": str}``;
      * ``scoring``: tuple of decimal strings; ``scoring[k]`` is the fraction of the question's
        points earned with ``k`` correctly judged statements. Default (4 statements) is the
        exam table 0 / 0.1 / 0.25 / 0.5 / 1, kept as data so a school can correct it.
    Response: a sequence with one bool (or None = unanswered) per statement; an unanswered
    statement counts as not correct.
    """

    key = "true_false_group"
    label = "True/False group (2025 exam, Đúng–Sai)"
    options_defaults = {"statements": (), "scoring": EXAM_2025_TRUE_FALSE_SCORING}

    def scoring(self, data: QuestionData) -> tuple[Decimal, ...]:
        """The scoring table as decimals."""
        statements = data.options.get("statements", ())
        table = data.options.get("scoring") or default_scoring(len(statements))
        return tuple(to_decimal(v) for v in table)

    def check(self, data: QuestionData) -> list[Problem]:
        problems: list[Problem] = []
        statements = data.options.get("statements", ())
        if not statements:
            return [error("statements.none", "at least one statement is needed", "options.statements")]
        for i, st in enumerate(statements):
            if not isinstance(st, Mapping) or not str(st.get("text", "")).strip():
                problems.append(error("statement.text", "a statement needs a text", f"options.statements[{i}]"))
            elif not isinstance(st.get("correct"), bool):
                problems.append(
                    error("statement.correct", "a statement must be true or false", f"options.statements[{i}]")
                )
        try:
            table = self.scoring(data)
        except ValueError:
            return [*problems, error("scoring.number", "scoring values must be numbers", "options.scoring")]
        if len(table) != len(statements) + 1:
            problems.append(error("scoring.length", "scoring needs one value per count 0..n", "options.scoring"))
        if any(not ZERO <= v <= ONE for v in table):
            problems.append(error("scoring.range", "scoring values must be between 0 and 1", "options.scoring"))
        if list(table) != sorted(table):
            problems.append(error("scoring.order", "scoring must not decrease", "options.scoring"))
        if table and table[-1] != ONE:
            problems.append(warning("scoring.max", "all statements correct should give full credit", "options.scoring"))
        if len(statements) != 4:
            problems.append(warning("statements.count", "the 2025 exam uses 4 statements", "options.statements"))
        return problems

    def grade(self, data: QuestionData, response: Any) -> Grade:
        statements = data.options.get("statements", ())
        if isinstance(response, str | bytes) or not isinstance(response, Sequence) or len(response) != len(statements):
            return invalid_response()
        table = self.scoring(data)
        if len(table) != len(statements) + 1:
            return invalid_response("scoring table does not fit the statements")
        right = 0
        feedback: list[str] = []
        for st, given in zip(statements, response, strict=True):
            value = None if given is None else read_bool(given)
            if value is not None and value == st.get("correct"):
                right += 1
            if st.get("feedback"):
                feedback.append(str(st["feedback"]))
        return make_grade(table[right], "\n".join(feedback))
