"""Score entry and rounding: the 0–10 scale of TT 22/2021 and the integer test scores of TT 27/2020.

TT 22 Điều 5: a score (điểm đánh giá) is on a 10-point scale, an integer or a decimal
taken to one decimal place. TT 27 Điều 7: primary periodic tests are marked on a 10-point scale without decimals.

Rounding rule (`round_score`): half up to one decimal, on Decimal — 6,65 → 6,7; 8,25 → 8,3; 7,72… → 7,7. This is
Vietnamese school rounding ("làm tròn số": if the first dropped digit is 5 or more, add one to the kept digit), which
for non-negative numbers is `decimal.ROUND_HALF_UP`. Never `round()` or float: `round(8.25, 1)` is 8.2 (banker's
rounding, half to even) and `round(2.65, 1)` is 2.6 (the binary float is 2.6499…).

Input helpers accept the Vietnamese decimal comma ("8,5") as well as a dot, and raise `ScoreError` with a stable
`code` a form can map to a translated message.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from enum import StrEnum

SCORE_MIN = Decimal(0)
SCORE_MAX = Decimal(10)
ONE_DECIMAL = Decimal("0.1")
TEST_SCORE_MIN = 0
TEST_SCORE_MAX = 10

_NUMBER = re.compile(r"(-?)([0-9]+)(?:[.,]([0-9]+))?")


class ScoreErrorCode(StrEnum):
    EMPTY = "empty"  # nothing entered
    NOT_A_NUMBER = "not-a-number"  # "abc", "8,5,1", "1e1", ",5", "NaN"
    OUT_OF_RANGE = "out-of-range"  # below 0 or above 10: "-1", "11", "10,5"
    TOO_MANY_DECIMALS = "too-many-decimals"  # more than one decimal place: "10,25", "7,75"
    NOT_AN_INTEGER = "not-an-integer"  # primary test score with a fraction: "8,5"


_MESSAGES = {
    ScoreErrorCode.EMPTY: "No score was entered.",
    ScoreErrorCode.NOT_A_NUMBER: "The score is not a number.",
    ScoreErrorCode.OUT_OF_RANGE: "The score must be between 0 and 10.",
    ScoreErrorCode.TOO_MANY_DECIMALS: "The score may have at most one decimal place.",
    ScoreErrorCode.NOT_AN_INTEGER: "The test score must be a whole number.",
}


class ScoreError(ValueError):
    """An invalid score. `code` is a `ScoreErrorCode`; `value` is what was given."""

    def __init__(self, code: ScoreErrorCode, value: object) -> None:
        self.code = code
        self.value = value
        super().__init__(f"{_MESSAGES[code]} ({value!r})")


def _to_decimal(value: str) -> Decimal:
    """Read "8,5" / "8.5" / "-1" as a Decimal (no range or precision check)."""
    text = value.strip().replace("\u2212", "-")  # a copy-pasted minus sign (U+2212)
    if not text:
        raise ScoreError(ScoreErrorCode.EMPTY, value)
    match = _NUMBER.fullmatch(text)
    if match is None:
        raise ScoreError(ScoreErrorCode.NOT_A_NUMBER, value)
    sign, whole, fraction = match.groups()
    return Decimal(f"{sign}{whole}.{fraction or '0'}")


def _check_type(value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal, str)):
        raise TypeError(f"a score must be a str, int or Decimal, not {type(value).__name__} (never float)")


def validate_score(value: Decimal | int) -> Decimal:
    """Check a stored score (TT 22): 0 ≤ value ≤ 10, at most one decimal. Returns it with exactly one decimal.

    Trailing zeros are fine (Decimal("8.50") → Decimal("8.5")); "10,25" is `too-many-decimals`, "10,5" `out-of-range`.
    """
    _check_type(value)
    try:
        number = Decimal(value)
    except InvalidOperation as error:  # pragma: no cover - Decimal(int | Decimal) cannot fail
        raise ScoreError(ScoreErrorCode.NOT_A_NUMBER, value) from error
    if not number.is_finite():
        raise ScoreError(ScoreErrorCode.NOT_A_NUMBER, value)
    if abs(number) > 1000:  # far out of range: report that before quantize() could overflow the context
        raise ScoreError(ScoreErrorCode.OUT_OF_RANGE, value)
    if number != number.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP):
        raise ScoreError(ScoreErrorCode.TOO_MANY_DECIMALS, value)
    if not SCORE_MIN <= number <= SCORE_MAX:
        raise ScoreError(ScoreErrorCode.OUT_OF_RANGE, value)
    return abs(number).quantize(ONE_DECIMAL) if number == 0 else number.quantize(ONE_DECIMAL)


def parse_score(value: str | int | Decimal) -> Decimal:
    """Parse a TT 22 score as a teacher types it: "8", "8,5", "8.5", " 10 " → Decimal with one decimal.

    Raises `ScoreError`: "" → empty; "abc" → not-a-number; "10,25" → too-many-decimals; "-1", "11" → out-of-range.
    Floats are refused with TypeError (use Decimal or the typed string).
    """
    _check_type(value)
    if isinstance(value, str):
        try:
            return validate_score(_to_decimal(value))
        except ScoreError as error:
            raise ScoreError(error.code, value) from None
    return validate_score(value)


def parse_test_score(value: str | int) -> int:
    """Parse a primary periodic-test score (TT 27 Điều 7): an integer 0–10. "8" → 8; "8,0" → 8.

    Raises `ScoreError`: "8,5" → not-an-integer; "11", "-1" → out-of-range; "" → empty; "abc" → not-a-number.
    """
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise TypeError(f"a test score must be a str or int, not {type(value).__name__}")
    number = _to_decimal(value) if isinstance(value, str) else Decimal(value)
    if abs(number) > 1000:
        raise ScoreError(ScoreErrorCode.OUT_OF_RANGE, value)
    if number != number.to_integral_value():
        raise ScoreError(ScoreErrorCode.NOT_AN_INTEGER, value)
    if not TEST_SCORE_MIN <= number <= TEST_SCORE_MAX:
        raise ScoreError(ScoreErrorCode.OUT_OF_RANGE, value)
    return int(number)


def round_score(value: Decimal) -> Decimal:
    """Round to one decimal, half up (the rounding rule above): Decimal("6.65") → Decimal("6.7")."""
    return value.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def weighted_mean(total: Decimal, weight: int) -> Decimal:
    """`total / weight` rounded once, half up, to one decimal.

    The division runs at 40 significant digits, so the single rounding is exact: the totals are multiples of 0,1 and
    the weights small integers, so a quotient that is not exactly on a …5 boundary is at least 1/(200 × weight)
    away from it — far more than 10⁻³⁸.
    """
    if weight <= 0:
        raise ValueError("weight must be positive")
    with localcontext() as context:
        context.prec = 40
        return round_score(total / Decimal(weight))


def format_score(value: Decimal) -> str:
    """Display a score the Vietnamese way, one decimal, decimal comma: Decimal("7.7") → "7,7", Decimal(8) → "8,0"."""
    return f"{round_score(value):.1f}".replace(".", ",")
