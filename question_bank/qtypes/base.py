"""Base classes shared by every question type: :class:`Problem`, :class:`Grade`, :class:`QuestionType`.

Scoring and rounding
--------------------
* All arithmetic uses :class:`~decimal.Decimal`; no float ever enters a score.
* A grader returns ``Grade.fraction`` in [0, 1]: negative totals (wrong choices with negative
  credit) are floored at 0 and totals above 1 are capped at 1.
* The fraction is rounded to :data:`FRACTION_PLACES` (7, as Moodle stores fractions) with
  ROUND_HALF_UP. Points for a question are ``fraction × max points`` rounded with
  ROUND_HALF_UP to :data:`POINT_PLACES` (2, the precision of Vietnamese marks such as 0,25),
  see :meth:`Grade.points`.
* A grader never raises on a malformed response: it answers fraction 0 with feedback.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, ClassVar

from question_bank.ir import QuestionData, to_decimal

FRACTION_PLACES = 7
POINT_PLACES = 2
ZERO = Decimal(0)
ONE = Decimal(1)


def quantize_fraction(value: Decimal) -> Decimal:
    """Round a fraction to 7 places, half up."""
    return value.quantize(Decimal(1).scaleb(-FRACTION_PLACES), rounding=ROUND_HALF_UP)


def clamp01(value: Decimal) -> Decimal:
    """Limit to [0, 1]."""
    return max(ZERO, min(ONE, value))


@dataclass(frozen=True)
class Problem:
    """A validation finding. ``code`` is stable (the UI translates it); ``field`` points at the data."""

    code: str
    message: str
    field: str = ""
    severity: str = "error"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


@dataclass(frozen=True)
class Grade:
    """Result of grading one response.

    ``correct`` is True (full credit), False (no credit), None (partial or not gradable);
    ``needs_manual`` asks a teacher to grade (essay).
    """

    fraction: Decimal
    feedback: str = ""
    correct: bool | None = None
    needs_manual: bool = False

    def points(self, max_points: Decimal | int | str, places: int = POINT_PLACES) -> Decimal:
        """``fraction × max_points`` rounded half up to ``places`` decimals."""
        value = self.fraction * to_decimal(max_points)
        return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def make_grade(fraction: Decimal, feedback: str = "") -> Grade:
    """Clamp, round, and derive ``correct`` from the fraction."""
    value = quantize_fraction(clamp01(fraction))
    correct: bool | None = True if value == ONE else False if value == ZERO else None
    return Grade(fraction=value, feedback=feedback, correct=correct)


def invalid_response(reason: str = "invalid response") -> Grade:
    """The grade of a response that cannot be read: no credit."""
    return Grade(fraction=ZERO, feedback=reason, correct=False)


class QuestionType:
    """One question type. Subclasses set ``key``/``label`` and implement the two methods.

    ``options_defaults`` documents the options the type reads (with their defaults);
    ``gradable`` is False for types that never produce marks (description).
    """

    key: ClassVar[str] = ""
    label: ClassVar[str] = ""
    options_defaults: ClassVar[Mapping[str, Any]] = {}
    gradable: ClassVar[bool] = True
    manual: ClassVar[bool] = False

    def validate(self, data: QuestionData) -> list[Problem]:
        """Problems that make the question unusable (errors) or doubtful (warnings)."""
        problems = self.common_problems(data)
        problems.extend(self.check(data))
        return problems

    def check(self, data: QuestionData) -> list[Problem]:
        """Type-specific checks; override."""
        return []

    def grade(self, data: QuestionData, response: Any) -> Grade:
        """Grade a response; override."""
        raise NotImplementedError

    def option(self, data: QuestionData, key: str) -> Any:
        """An option value, falling back to this type's default."""
        return data.options.get(key, self.options_defaults.get(key))

    def common_problems(self, data: QuestionData) -> list[Problem]:
        """Checks every type shares: type key, marks, fractions."""
        problems: list[Problem] = []
        if data.qtype != self.key:
            problems.append(Problem("qtype.mismatch", f"question type {data.qtype!r} is not {self.key!r}", "qtype"))
        if data.default_mark < 0:
            problems.append(Problem("mark.negative", "default mark must not be negative", "default_mark"))
        if not ZERO <= data.penalty <= ONE:
            problems.append(Problem("penalty.range", "penalty must be between 0 and 1", "penalty"))
        for i, answer in enumerate(data.answers):
            if not -ONE <= answer.fraction <= ONE:
                problems.append(Problem("fraction.range", "answer fraction must be between -1 and 1", f"answers[{i}]"))
        return problems


def error(code: str, message: str, field: str = "") -> Problem:
    """Shorthand for an error problem."""
    return Problem(code, message, field)


def warning(code: str, message: str, field: str = "") -> Problem:
    """Shorthand for a warning problem."""
    return Problem(code, message, field, severity="warning")
