"""Aiken import (single-answer multiple choice), as Moodle's qformat_aiken reads it.

Format::

    Question text (one or more lines)
    A. First option          (or "A) First option"; a capital letter, "." or ")", a space)
    B. Second option
    ANSWER: B

Rules: the question text is every line before the first option (joined with a space);
options follow in letter order A, B, C…; ``ANSWER:`` (any case, spaces allowed) names one of
the option letters and ends the question; blank lines are ignored. A question with fewer
than two options, an option out of letter order, an ``ANSWER`` that names no option, or a
question that ends without ``ANSWER`` is rejected with its first line number; reading goes
on with the next question. Texts are plain text (``stem_format="plain"``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from question_bank.formats.base import ImportReport, decode_text
from question_bank.ir import Choice, QuestionData

OPTION = re.compile(r"^([A-Z])[.)][ \t]+(.*)$")
ANSWER = re.compile(r"^ANSWER\s*:\s*(.*)$", re.IGNORECASE)


@dataclass
class _Pending:
    line: int
    stem: list[str] = field(default_factory=list)
    options: list[str] = field(default_factory=list)
    error: tuple[str, str] | None = None


def import_aiken(data: bytes | str) -> ImportReport:
    """Read an Aiken file; see the module docstring for the rules and error codes."""
    text, failure = decode_text(data)
    report = ImportReport()
    if text is None:
        if failure is not None:
            report.rejected.append(failure)
        return report
    pending: _Pending | None = None
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line:
            continue
        answer = ANSWER.match(line)
        option = OPTION.match(line)
        if answer:
            if pending is None:
                report.reject(number, "ANSWER line without a question", "aiken.orphan_answer")
                continue
            _finish(report, pending, answer.group(1).strip(), number)
            pending = None
        elif option:
            if pending is None or not pending.stem:
                pending = pending or _Pending(number)
                pending.error = pending.error or (
                    "aiken.no_question",
                    f"line {number}: option before any question text",
                )
            letter = option.group(1)
            expected = chr(ord("A") + len(pending.options))
            if letter != expected and pending.error is None:
                pending.error = ("aiken.option_order", f"line {number}: option {letter} where {expected} was expected")
            pending.options.append(option.group(2).strip())
        else:
            if pending is not None and pending.options:
                report.reject(pending.line, f"line {number}: question has no ANSWER line", "aiken.missing_answer")
                pending = None
            if pending is None:
                pending = _Pending(number)
            pending.stem.append(line)
    if pending is not None:
        report.reject(pending.line, "the file ends before the ANSWER line", "aiken.missing_answer")
    return report


def _finish(report: ImportReport, pending: _Pending, letter_text: str, number: int) -> None:
    if pending.error:
        report.reject(pending.line, pending.error[1], pending.error[0])
        return
    if len(pending.options) < 2:
        report.reject(pending.line, "a question needs at least two options", "aiken.too_few_options")
        return
    letter = letter_text[:1].upper()
    if len(letter_text.strip()) != 1 or not "A" <= letter <= "Z" or ord(letter) - ord("A") >= len(pending.options):
        report.reject(pending.line, f"line {number}: ANSWER {letter_text!r} names no option", "aiken.bad_answer")
        return
    right = ord(letter) - ord("A")
    stem = " ".join(pending.stem)
    answers = tuple(
        Choice(text, Decimal(1 if i == right else 0), "", "plain") for i, text in enumerate(pending.options)
    )
    question = QuestionData(
        qtype="single_choice",
        name=stem[:50],
        stem=stem,
        stem_format="plain",
        answers=answers,
        options={"shuffle": True, "answer_numbering": "ABCD"},
        source_line=pending.line,
        source_ref=f"line {pending.line}",
    )
    report.accept(question, pending.line)
