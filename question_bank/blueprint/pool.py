"""Candidate questions for a blueprint: what the engine needs to know about each one.

The engine never reads a database. A :class:`Candidate` carries the question's id (any
hashable the caller uses: a question-version id in the bank), the blueprint row it fits
(topic or outcome), its cognitive level in the blueprint's scheme, its item format, how many
options (or Đúng–Sai statements) it has and whether they may be shuffled, and the key in
original option order. :func:`candidate_from_question` builds one from a
:class:`~question_bank.ir.QuestionData` with the rules of the registered question types.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from question_bank.blueprint.matrix import ESSAY, FORMAT_OF_QTYPE, MC, SHORT, TF
from question_bank.ir import Choice, QuestionData, dec_str
from question_bank.qtypes.base import ONE
from question_bank.types import REGISTRY


@dataclass(frozen=True)
class Candidate:
    """One question that may fill a cell.

    * ``option_count``: answers of a multiple-choice item, statements of a Đúng–Sai item, else 0;
    * ``shuffle``: whether the options (statements) may be reordered on a paper;
    * ``correct``: for multiple choice the indices of the answers that earn credit; for
      Đúng–Sai one bool per statement (True = the statement is true); else empty;
    * ``answers``: accepted answers of a short-answer item (printed in the key);
    * ``data``: the question itself, when the caller has it (the print view shows it).
    """

    id: Hashable
    row: str
    level: str
    format: str
    option_count: int = 0
    shuffle: bool = False
    correct: tuple[Any, ...] = ()
    answers: tuple[str, ...] = ()
    data: QuestionData | None = None

    @property
    def sort_key(self) -> tuple[str, str]:
        """A stable order for ids of any type (the pool's order must not change the result)."""
        return (type(self.id).__name__, str(self.id))


def format_of(data: QuestionData) -> str | None:
    """The 2024-template format of a question, or None for types a paper does not use."""
    return FORMAT_OF_QTYPE.get(data.qtype)


def _answer_text(qtype: str, answer: Choice) -> str:
    """An accepted answer as the key prints it: numbers with a decimal comma and their tolerance."""
    if qtype != "numeric" or answer.text == "*":
        return answer.text
    text = answer.text.replace(".", ",")
    if answer.tolerance:
        text += " ± " + dec_str(answer.tolerance).replace(".", ",")
    return text


def candidate_from_question(id: Hashable, data: QuestionData, *, row: str, level: str) -> Candidate | None:
    """A candidate from a question, or None when its type has no 2024-template format.

    Shuffling follows the question: choice types read their ``shuffle`` option (default from
    the type's ``options_defaults``); Đúng–Sai statements may always be reordered (whether
    they are is a generation setting); short answers and essays have nothing to shuffle.
    """
    fmt = format_of(data)
    if fmt is None:
        return None
    qtype = REGISTRY[data.qtype]
    if fmt == MC:
        shuffle = bool(qtype.option(data, "shuffle"))
        if data.qtype == "single_choice":
            correct = tuple(i for i, a in enumerate(data.answers) if a.fraction == ONE)
        else:
            correct = tuple(i for i, a in enumerate(data.answers) if a.fraction > 0)
        return Candidate(id, row, level, fmt, len(data.answers), shuffle, correct, (), data)
    if fmt == TF:
        statements = tuple(data.options.get("statements", ()))
        correct = tuple(bool(st.get("correct")) for st in statements)
        return Candidate(id, row, level, fmt, len(statements), True, correct, (), data)
    if fmt == SHORT:
        answers = tuple(_answer_text(data.qtype, a) for a in data.answers if a.fraction == ONE)
        return Candidate(id, row, level, fmt, 0, False, (), answers, data)
    return Candidate(id, row, level, ESSAY, 0, False, (), (), data)
