"""Structured types: matching, ordering, essay, description and cloze (embedded answers)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from question_bank.ir import QuestionData, nfc
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
from question_bank.textnorm import squash_spaces


class Matching(QuestionType):
    """Pairs: each sub-question (left) must be matched with its answer (right).

    Options: ``subquestions``: tuple of ``{"text": str, "answer": str, "format": str}``; an entry
    with an empty text is an extra wrong answer (distractor), as in Moodle; ``shuffle`` (True).
    Credit = matched sub-questions / sub-questions with text (answers compared after NFC and
    white-space squashing). Response: mapping of sub-question index → chosen answer text.
    """

    key = "matching"
    label = "Matching"
    options_defaults = {"subquestions": (), "shuffle": True}

    @staticmethod
    def pairs(data: QuestionData) -> list[tuple[int, Mapping[str, Any]]]:
        """(index, sub-question) for the sub-questions that have a text."""
        return [(i, s) for i, s in enumerate(data.options.get("subquestions", ())) if str(s.get("text", "")).strip()]

    def check(self, data: QuestionData) -> list[Problem]:
        problems: list[Problem] = []
        subs = data.options.get("subquestions", ())
        if len(self.pairs(data)) < 2:
            problems.append(error("subquestions.too_few", "at least two pairs are needed", "options.subquestions"))
        for i, s in enumerate(subs):
            if not str(s.get("answer", "")).strip():
                problems.append(error("subquestion.answer", "every pair needs an answer", f"options.subquestions[{i}]"))
        if len({squash_spaces(str(s.get("answer", ""))) for s in subs}) < 3:
            problems.append(
                warning("answers.few", "Moodle needs at least three distinct answers", "options.subquestions")
            )
        return problems

    def grade(self, data: QuestionData, response: Any) -> Grade:
        if not isinstance(response, Mapping):
            return invalid_response()
        pairs = self.pairs(data)
        if not pairs:
            return invalid_response("no pairs")
        right = 0
        for index, sub in pairs:
            given = response.get(index)
            if isinstance(given, str) and squash_spaces(nfc(given)) == squash_spaces(str(sub.get("answer", ""))):
                right += 1
        return make_grade(Decimal(right) / Decimal(len(pairs)))


ORDER_GRADING = ("all_or_nothing", "absolute_position")


class Ordering(QuestionType):
    """Put items in the right order.

    Options: ``items``: tuple of item texts in the correct order; ``grading``:
    ``all_or_nothing`` (default) or ``absolute_position`` (credit = items in their correct
    position / items); ``shuffle`` (True). Response: a sequence of item indices (a permutation).
    """

    key = "ordering"
    label = "Ordering"
    options_defaults = {"items": (), "grading": "all_or_nothing", "shuffle": True}

    def check(self, data: QuestionData) -> list[Problem]:
        problems: list[Problem] = []
        items = data.options.get("items", ())
        if len(items) < 2:
            problems.append(error("items.too_few", "at least two items are needed", "options.items"))
        if any(not str(i).strip() for i in items):
            problems.append(error("item.empty", "an item must not be empty", "options.items"))
        if self.option(data, "grading") not in ORDER_GRADING:
            problems.append(
                error("grading.unknown", "grading must be all_or_nothing or absolute_position", "options.grading")
            )
        return problems

    def grade(self, data: QuestionData, response: Any) -> Grade:
        n = len(data.options.get("items", ()))
        if isinstance(response, str | bytes) or not isinstance(response, Sequence):
            return invalid_response()
        order = list(response)
        if sorted(order) != list(range(n)) or any(isinstance(i, bool) for i in order) or n == 0:
            return invalid_response("the response must order every item once")
        in_place = sum(1 for position, item in enumerate(order) if position == item)
        if self.option(data, "grading") == "absolute_position":
            return make_grade(Decimal(in_place) / Decimal(n))
        return make_grade(ONE if in_place == n else ZERO)


class Essay(QuestionType):
    """A written answer graded by a teacher (``needs_manual``).

    Options (Moodle's): ``response_format`` ("editor"), ``response_required`` (True),
    ``response_field_lines`` (15), ``attachments`` (0), ``grader_info`` (""), ``response_template`` ("").
    """

    key = "essay"
    label = "Essay"
    manual = True
    options_defaults = {
        "response_format": "editor",
        "response_required": True,
        "response_field_lines": 15,
        "attachments": 0,
        "grader_info": "",
        "response_template": "",
    }

    def grade(self, data: QuestionData, response: Any) -> Grade:
        return Grade(fraction=ZERO, feedback="", correct=None, needs_manual=True)


class Description(QuestionType):
    """Text shown between questions; never graded (``default_mark`` should be 0)."""

    key = "description"
    label = "Description"
    gradable = False

    def check(self, data: QuestionData) -> list[Problem]:
        return (
            [] if data.default_mark == 0 else [warning("mark.description", "a description has no mark", "default_mark")]
        )

    def grade(self, data: QuestionData, response: Any) -> Grade:
        return Grade(fraction=ZERO, feedback="", correct=None)


PLACEHOLDER = re.compile(r"\{#(\d+)\}")
CLOZE_SUBTYPES = ("single_choice", "multiple_choice", "short_answer", "numeric")
CLOZE_DISPLAYS = ("dropdown", "vertical", "horizontal")


class Cloze(QuestionType):
    """Embedded answers (Moodle "cloze"/multianswer).

    The stem holds placeholders ``{#1}`` … ``{#n}``; ``options["subquestions"]`` is a tuple of
    :class:`QuestionData` (single_choice, multiple_choice, short_answer or numeric), the k-th
    for ``{#k}``; each sub-question's ``default_mark`` is its weight. Choice sub-questions have
    ``options["display"]`` in dropdown/vertical/horizontal. Each part is graded by its own type;
    credit = Σ weight·fraction / Σ weight. Response: mapping k → part response (1-based), or a
    sequence in part order.
    """

    key = "cloze"
    label = "Embedded answers (Cloze)"
    options_defaults = {"subquestions": ()}

    def __init__(self, lookup: Callable[[str], QuestionType]) -> None:
        self._lookup = lookup

    def check(self, data: QuestionData) -> list[Problem]:
        problems: list[Problem] = []
        subs = data.options.get("subquestions", ())
        if not subs:
            return [error("cloze.empty", "a cloze question needs at least one embedded answer", "options.subquestions")]
        found = [int(m) for m in PLACEHOLDER.findall(data.stem)]
        if found != list(range(1, len(subs) + 1)):
            problems.append(error("cloze.placeholders", "the stem must hold {#1}…{#n} once each, in order", "stem"))
        for k, sub in enumerate(subs, start=1):
            if not isinstance(sub, QuestionData) or sub.qtype not in CLOZE_SUBTYPES:
                problems.append(
                    error("cloze.subtype", "unsupported embedded question type", f"options.subquestions[{k}]")
                )
                continue
            if sub.options.get("display", "dropdown") not in CLOZE_DISPLAYS:
                problems.append(error("cloze.display", "unknown display", f"options.subquestions[{k}]"))
            for p in self._lookup(sub.qtype).validate(sub):
                problems.append(Problem(p.code, p.message, f"options.subquestions[{k}].{p.field}", p.severity))
        return problems

    def grade(self, data: QuestionData, response: Any) -> Grade:
        subs: Sequence[QuestionData] = data.options.get("subquestions", ())
        if isinstance(response, Mapping):
            parts = [response.get(k) for k in range(1, len(subs) + 1)]
        elif isinstance(response, Sequence) and not isinstance(response, str | bytes) and len(response) == len(subs):
            parts = list(response)
        else:
            return invalid_response()
        total_weight = sum((s.default_mark for s in subs), ZERO)
        if total_weight <= 0:
            return invalid_response("the embedded answers have no weight")
        earned = ZERO
        feedback: list[str] = []
        for sub, part in zip(subs, parts, strict=True):
            grade = self._lookup(sub.qtype).grade(sub, part)
            earned += sub.default_mark * grade.fraction
            if grade.feedback:
                feedback.append(grade.feedback)
        return make_grade(earned / total_weight, "\n".join(feedback))
