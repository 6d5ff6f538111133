"""Typed-answer types: short answer, numeric, and the 2025 exam short numeric answer."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from question_bank.ir import Choice, QuestionData, nfc, to_decimal
from question_bank.qtypes.base import ONE, ZERO, Grade, Problem, QuestionType, error, invalid_response, make_grade
from question_bank.textnorm import parse_number, squash_spaces, strip_marks


def normalise_typed(value: str, case_sensitive: bool, ignore_diacritics: bool) -> str:
    """NFC, white space squashed, optionally marks stripped and case folded."""
    value = squash_spaces(nfc(value))
    if ignore_diacritics:
        value = strip_marks(value)
    if not case_sensitive:
        value = value.casefold()
    return value


def wildcard_tokens(pattern: str) -> list[str | None]:
    """Moodle short-answer pattern as tokens: a character, or None for ``*`` (``\\*`` is a literal star)."""
    tokens: list[str | None] = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("\\*", i):
            tokens.append("*")
            i += 2
        else:
            tokens.append(None if pattern[i] == "*" else pattern[i])
            i += 1
    return tokens


def wildcard_match(pattern: str, text: str) -> bool:
    """Whole-text match where ``*`` matches any text; O(len(pattern)·len(text)), no regex backtracking."""
    tokens = wildcard_tokens(pattern)
    t = p = 0
    star, mark = -1, 0
    while t < len(text):
        if p < len(tokens) and tokens[p] is not None and tokens[p] == text[t]:
            t, p = t + 1, p + 1
        elif p < len(tokens) and tokens[p] is None:
            star, mark = p, t
            p += 1
        elif star >= 0:
            p, mark = star + 1, mark + 1
            t = mark
        else:
            return False
    while p < len(tokens) and tokens[p] is None:
        p += 1
    return p == len(tokens)


class ShortAnswer(QuestionType):
    """A typed word or phrase compared with alternatives, in order; the first match gives its fraction.

    Both sides are NFC-normalised and white space is squashed. Options:
      * ``case_sensitive`` (False): compare case as typed;
      * ``ignore_diacritics`` (False): strip Vietnamese tones/marks and map đ→d before comparing.
    In an answer ``*`` matches any text (``\\*`` is a literal star).
    Response: the typed text.
    """

    key = "short_answer"
    label = "Short answer"
    options_defaults = {"case_sensitive": False, "ignore_diacritics": False}

    def check(self, data: QuestionData) -> list[Problem]:
        problems: list[Problem] = []
        if not data.answers:
            problems.append(error("answers.none", "at least one answer is needed", "answers"))
        elif not any(a.fraction == ONE for a in data.answers):
            problems.append(error("answers.no_full_credit", "one answer must give full credit (100%)", "answers"))
        for i, a in enumerate(data.answers):
            if not a.text.strip():
                problems.append(error("answer.empty", "an answer must not be empty", f"answers[{i}]"))
        return problems

    def grade(self, data: QuestionData, response: Any) -> Grade:
        if not isinstance(response, str):
            return invalid_response()
        case = bool(self.option(data, "case_sensitive"))
        fold = bool(self.option(data, "ignore_diacritics"))
        given = normalise_typed(response, case, fold)
        if not given:
            return invalid_response("no answer given")
        for answer in data.answers:
            if wildcard_match(normalise_typed(answer.text, case, fold), given):
                return make_grade(answer.fraction, answer.feedback)
        return make_grade(ZERO)


_NUMBER_THEN_UNIT = re.compile(
    r"^\s*(?P<num>[+\-\u2212]?[0-9.,\u0020\u00a0\u202f\u2009]*[0-9](?:[eE][+\-]?[0-9]+)?|[+\-\u2212]?[.,][0-9]+)\s*(?P<unit>.*?)\s*$"
)
_UNIT_THEN_NUMBER = re.compile(
    r"^\s*(?P<unit>.*?)\s*(?P<num>[+\-\u2212]?[0-9.,][0-9.,\u0020\u00a0\u202f\u2009]*(?:[eE][+\-]?[0-9]+)?)\s*$"
)


def split_number_unit(text: str, unit_left: bool = False) -> tuple[Decimal | None, str]:
    """Split "12,5 cm" into (Decimal("12.5"), "cm"); the number is read by :func:`parse_number`."""
    match = (_UNIT_THEN_NUMBER if unit_left else _NUMBER_THEN_UNIT).match(text)
    if not match:
        return None, ""
    return parse_number(match.group("num").strip()), squash_spaces(match.group("unit"))


class Numeric(QuestionType):
    """A number compared with answers ``value ± tolerance`` (absolute), first match wins; ``*`` matches any.

    Numbers may use a decimal comma or point and thousands separators (see
    :func:`question_bank.textnorm.parse_number`). Options:
      * ``units``: tuple of ``{"unit": "cm", "multiplier": "100"}``; the answer value is in the
        base unit (multiplier 1); a response in unit *u* is divided by its multiplier;
      * ``unit_grading_type``: 0 units not graded; 1 a missing/unknown unit multiplies the credit
        by (1 − ``unit_penalty``); 2 it subtracts ``unit_penalty`` (Moodle's unitgradingtype);
      * ``unit_penalty`` ("0.1"), ``show_units`` (Moodle's showunits, kept for export), ``units_left`` (False).
    Response: the typed text, e.g. "12,5 cm".
    """

    key = "numeric"
    label = "Numeric"
    options_defaults = {
        "units": (),
        "unit_grading_type": 0,
        "unit_penalty": "0.1",
        "show_units": 3,
        "units_left": False,
    }

    def check(self, data: QuestionData) -> list[Problem]:
        problems: list[Problem] = []
        if not data.answers:
            problems.append(error("answers.none", "at least one answer is needed", "answers"))
        elif not any(a.fraction == ONE for a in data.answers):
            problems.append(error("answers.no_full_credit", "one answer must give full credit (100%)", "answers"))
        for i, a in enumerate(data.answers):
            if a.text != "*" and parse_number(a.text) is None:
                problems.append(error("answer.not_number", "an answer must be a number or *", f"answers[{i}]"))
            if a.tolerance is not None and a.tolerance < 0:
                problems.append(error("answer.tolerance", "tolerance must not be negative", f"answers[{i}]"))
        units = self.option(data, "units") or ()
        names = [str(u.get("unit", "")) for u in units]
        if len(set(names)) != len(names) or any(not n.strip() for n in names):
            problems.append(error("units.names", "unit names must be unique and not empty", "options.units"))
        try:
            multipliers = [to_decimal(u.get("multiplier", 1)) for u in units]
            if multipliers and multipliers[0] != ONE:
                problems.append(error("units.base", "the first unit must have multiplier 1", "options.units"))
            if any(m <= 0 for m in multipliers):
                problems.append(error("units.multiplier", "unit multipliers must be positive", "options.units"))
            to_decimal(self.option(data, "unit_penalty"))
        except ValueError:
            problems.append(error("units.number", "unit multipliers and penalty must be numbers", "options.units"))
        return problems

    def _unit_factor(self, data: QuestionData, unit: str) -> Decimal | None:
        for u in self.option(data, "units") or ():
            if squash_spaces(str(u.get("unit", ""))) == unit:
                return to_decimal(u.get("multiplier", 1))
        return None

    def grade(self, data: QuestionData, response: Any) -> Grade:
        if not isinstance(response, str):
            return invalid_response()
        units: tuple[Mapping[str, Any], ...] = self.option(data, "units") or ()
        value, unit = split_number_unit(response, bool(self.option(data, "units_left")))
        if value is None:
            return invalid_response("not a number")
        unit_ok = True
        if unit:
            factor = self._unit_factor(data, unit) if units else None
            if factor is None:
                if not units:
                    return invalid_response("not a number")
                unit_ok = False
            else:
                value = value / factor
        elif units:
            unit_ok = False
        for answer in data.answers:
            if answer.text == "*" or self._matches(answer, value):
                fraction = answer.fraction
                grading = int(self.option(data, "unit_grading_type") or 0)
                if units and not unit_ok and grading:
                    penalty = to_decimal(self.option(data, "unit_penalty"))
                    fraction = fraction * (ONE - penalty) if grading == 1 else fraction - penalty
                return make_grade(fraction, answer.feedback)
        return make_grade(ZERO)

    @staticmethod
    def _matches(answer: Choice, value: Decimal) -> bool:
        target = parse_number(answer.text)
        return target is not None and abs(value - target) <= (answer.tolerance or ZERO)


_SHORT_2025 = re.compile(r"^-?[0-9]+(?:,[0-9]+)?$|^-?,[0-9]+$")


def normalise_short_2025(text: str) -> str:
    """Exam short answer as written: spaces removed, "." and "," both read as the decimal comma."""
    return re.sub(r"\s+", "", nfc(text)).replace(".", ",").replace("\u2212", "-")


class ShortNumeric2025(QuestionType):
    """The 2025 exam "trả lời ngắn": a number of at most ``max_chars`` (4) characters,
    counting the sign and the decimal comma (e.g. "-1,5", "0,25", "2025").

    The response is normalised by :func:`normalise_short_2025`; a response longer than
    ``max_chars`` or not of the form ``[-]digits[,digits]`` gets no credit. It is then compared
    exactly (as a decimal value, so "0,50" equals "0,5"; no tolerance) with each answer in turn.
    Response: the written text.
    """

    key = "short_numeric_2025"
    label = "Short numeric answer (2025 exam)"
    options_defaults = {"max_chars": 4}

    def _read(self, text: str, max_chars: int) -> Decimal | None:
        compact = normalise_short_2025(text)
        if not compact or len(compact) > max_chars or not _SHORT_2025.match(compact):
            return None
        return parse_number(compact)

    def check(self, data: QuestionData) -> list[Problem]:
        problems: list[Problem] = []
        max_chars = self.option(data, "max_chars")
        if not isinstance(max_chars, int) or isinstance(max_chars, bool) or max_chars < 1:
            return [error("max_chars.invalid", "max_chars must be a positive integer", "options.max_chars")]
        if not data.answers:
            problems.append(error("answers.none", "at least one answer is needed", "answers"))
        elif not any(a.fraction == ONE for a in data.answers):
            problems.append(error("answers.no_full_credit", "one answer must give full credit (100%)", "answers"))
        for i, a in enumerate(data.answers):
            if self._read(a.text, max_chars) is None:
                problems.append(
                    error(
                        "answer.format",
                        f"an answer must be a number of at most {max_chars} characters",
                        f"answers[{i}]",
                    )
                )
        return problems

    def grade(self, data: QuestionData, response: Any) -> Grade:
        if not isinstance(response, str):
            return invalid_response()
        max_chars = int(self.option(data, "max_chars") or 4)
        value = self._read(response, max_chars)
        if value is None:
            return invalid_response(f"write a number of at most {max_chars} characters")
        for answer in data.answers:
            if self._read(answer.text, max_chars) == value:
                return make_grade(answer.fraction, answer.feedback)
        return make_grade(ZERO)
