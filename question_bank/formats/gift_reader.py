"""GIFT import, following Moodle's qformat_gift (see docs.moodle.org "GIFT format").

Rules implemented (a question is a block of lines; blank lines separate questions):
comments ``//`` (whole line; Moodle 4 ``[id:…]``/``[tag:…]`` read from them), ``$CATEGORY: path`` (a line
of its own: the question may follow on the next line, without a blank line),
``::title::``, ``[format]`` prefixes, escapes, the answer block ``{…}`` (the first ``{`` and the
first ``}``), missing word (text after the block → ``_____`` in the stem), general feedback
``####``, and the type decided as Moodle does: no braces → description; ``{}`` → essay;
``{#…}`` → numeric (``5:0.1``, ``1..5``, several ``=%w%`` answers, ``~#`` wrong-answer feedback);
a ``~`` → multiple choice (single if some ``=``, else several answers with ``%w%`` weights);
``=`` with ``->`` → matching; ``T``/``TRUE``/``F``/``FALSE`` (``#wrong#right`` feedbacks) →
true/false; otherwise → short answer. A second ``{``/``}`` after the answer block is
rejected as an unescaped brace.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

from question_bank.formats.base import ImportReport, Rejection, decode_text
from question_bank.formats.gift_syntax import (
    LMS_TOKEN,
    parse_weight,
    protect,
    read_meta_comment,
    restore,
    split_format,
)
from question_bank.ir import Choice, QuestionData, dec_str, split_category_path, to_decimal
from question_bank.textnorm import parse_number


class GiftError(ValueError):
    """A question that cannot be read; ``code`` is stable."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def blocks(text: str) -> list[tuple[int, list[str]]]:
    """(first line number, lines) of each block of non-blank lines."""
    result: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            if not current:
                start = number
            current.append(line)
        elif current:
            result.append((start, current))
            current = []
    if current:
        result.append((start, current))
    return result


CATEGORY_MARK = "$CATEGORY:"


def _questions(parts: list[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
    """Blocks split at ``$CATEGORY:`` lines (stripped lines; a category line is a part of its own).

    Moodle's files put a blank line after a category line, but a question on the very next line
    is common in hand-written files: it belongs to the new category and must not be swallowed
    into the category's path. Comment lines go with the question after them.
    """
    result: list[tuple[int, list[str]]] = []
    for start, lines in parts:
        current: list[str] = []
        current_start = start
        for number, raw in enumerate(lines, start=start):
            line = raw.strip()
            if line.startswith(CATEGORY_MARK):
                if any(not text.startswith("//") for text in current):
                    result.append((current_start, current))
                result.append((number, [line]))
                current, current_start = [], number + 1
                continue
            if not current:
                current_start = number
            current.append(line)
        if current:
            result.append((current_start, current))
    return result


def import_gift(data: bytes | str) -> ImportReport:
    """Read a GIFT file; bad questions are rejected with their line, the others kept."""
    text, failure = decode_text(data)
    report = ImportReport()
    if text is None:
        report.rejected.append(failure or Rejection(0, "unreadable file", "file.encoding"))
        return report
    category: tuple[str, ...] = ()
    for start, lines in _questions(blocks(text)):
        if lines[0].startswith(CATEGORY_MARK):
            category = split_category_path(restore(protect(lines[0][len(CATEGORY_MARK) :])))
            continue
        comments = "\n".join(line for line in lines if line.startswith("//"))
        body = [(start + i, line) for i, line in enumerate(lines) if not line.startswith("//")]
        if not body:
            continue
        line_no = body[0][0]
        joined = protect("\n".join(line for _, line in body).strip())
        try:
            question = read_question(joined, comments, category, line=line_no)
        except GiftError as exc:
            report.reject(line_no, str(exc), exc.code)
            continue
        except (ValueError, ArithmeticError) as exc:
            report.reject(line_no, f"cannot read the question: {exc}", "gift.syntax")
            continue
        report.accept(question, line_no)
    return report


def _extension(comments: str) -> dict[str, Any]:
    for line in comments.split("\n"):
        match = LMS_TOKEN.match(line.strip())
        if match:
            try:
                value = json.loads(match.group(1).replace("\\]", "]"))
            except ValueError:
                raise GiftError("gift.extension", "the [lms:…] comment is not valid JSON") from None
            if isinstance(value, dict):
                return value
    return {}


def read_question(text: str, comments: str, category: tuple[str, ...], line: int | None = None) -> QuestionData:
    """One protected question block (comments removed) → QuestionData (from ``line`` of its file)."""
    name = ""
    if text.startswith("::"):
        text = text[2:]
        end = text.find("::")
        if end >= 0:
            name = restore(text[:end]).strip()
            text = text[end + 2 :].strip()
    start, finish = text.find("{"), text.find("}")
    description = start < 0 and finish < 0
    if description:
        stem_raw, answer_text = text, ""
    elif start < 0 or finish < 0 or finish < start:
        raise GiftError("gift.brace", "unbalanced or unescaped { } in the question")
    else:
        answer_text = text[start + 1 : finish].strip()
        after = text[finish + 1 :]
        if "{" in after or "}" in after:
            raise GiftError("gift.brace", "a second { } block: escape braces in texts as \\{ \\}")
        filler = "" if not after.strip() else "_____"
        stem_raw = text[:start] + filler + after
    general_raw = ""
    gf = answer_text.rfind("####")
    if gf >= 0:
        general_raw, answer_text = answer_text[gf + 4 :], answer_text[:gf].strip()
    stem_format, stem = split_format(stem_raw, "moodle")
    _gf_format, general = split_format(general_raw, stem_format)
    if not name:
        name = _default_name(stem)
    idnumber, tags = read_meta_comment(comments)
    ext = _extension(comments)
    base = QuestionData(
        qtype="description",
        name=name,
        stem=stem,
        stem_format=stem_format,
        general_feedback=general,
        idnumber=idnumber,
        tags=tuple(tags),
        category_path=category,
        source_line=line,
        source_ref=f"line {line}" if line is not None else "",
    )
    if description:
        question = base.replace(default_mark=Decimal(0), penalty=Decimal(0))
    else:
        question = _typed(base, answer_text)
    return apply_extension(question, ext)


def _default_name(stem: str) -> str:
    """Moodle's default name: the question text without tags, shortened to 50 characters."""
    plain = " ".join(re.sub(r"<[^>]*>", " ", stem).split())
    return plain[:50] or "question"


def _typed(base: QuestionData, answer_text: str) -> QuestionData:
    fmt = base.stem_format
    if answer_text == "":
        return base.replace(qtype="essay", options=dict(_ESSAY_DEFAULTS))
    if answer_text.startswith("#"):
        return base.replace(qtype="numeric", answers=tuple(_numeric_answers(answer_text[1:], fmt)))
    if "~" in answer_text:
        single = "=" in answer_text
        answers = _choices(answer_text, fmt)
        return base.replace(
            qtype="single_choice" if single else "multiple_choice",
            answers=tuple(answers),
            options={"shuffle": True, "answer_numbering": "abc"},
        )
    if "=" in answer_text and "->" in answer_text:
        return base.replace(qtype="matching", options={"subquestions": _pairs(answer_text, fmt), "shuffle": True})
    head = answer_text.split("#", 1)[0].strip() if "#" in answer_text[1:] else answer_text
    if head in ("T", "TRUE", "F", "FALSE"):
        return _true_false(base, answer_text)
    answers = [_weighted(part, fmt, default=Decimal(1)) for part in _parts(answer_text, "=")]
    if not answers:
        raise GiftError("gift.no_answers", "no answer in { }")
    return base.replace(qtype="short_answer", answers=tuple(answers))


_ESSAY_DEFAULTS: dict[str, Any] = {
    "response_format": "editor",
    "response_required": True,
    "response_field_lines": 15,
    "attachments": 0,
    "grader_info": "",
    "response_template": "",
}


def _parts(text: str, separator: str) -> list[str]:
    parts = text.split(separator)
    if parts and not parts[0].strip():
        parts = parts[1:]
    return [p.strip() for p in parts]


def _feedback_split(text: str, fmt: str) -> tuple[str, str, str]:
    """(format, text, feedback) of ``text#feedback``."""
    body, _, feedback = text.partition("#")
    answer_format, answer = split_format(body, fmt)
    _fb_format, fb = split_format(feedback, fmt)
    return answer_format, answer, fb


def _weighted(part: str, fmt: str, default: Decimal) -> Choice:
    fraction = default
    weight = parse_weight(part)
    if weight is not None:
        fraction = to_decimal(weight[0]) / 100
        part = weight[1]
    answer_format, answer, feedback = _feedback_split(part, fmt)
    return Choice(answer, fraction, feedback, answer_format)


def _choices(answer_text: str, fmt: str) -> list[Choice]:
    parts = _parts(answer_text.replace("=", "~="), "~")
    if len(parts) < 2:
        raise GiftError("gift.too_few_answers", "a multiple-choice question needs at least two answers")
    answers = []
    for part in parts:
        if part.startswith("="):
            answers.append(_weighted(part[1:], fmt, Decimal(1)))
        else:
            answers.append(_weighted(part, fmt, Decimal(0)))
    return answers


def _pairs(answer_text: str, fmt: str) -> tuple[dict[str, str], ...]:
    parts = _parts(answer_text, "=")
    if len(parts) < 2:
        raise GiftError("gift.too_few_answers", "a matching question needs at least two pairs")
    pairs = []
    for part in parts:
        if "->" not in part:
            raise GiftError("gift.matching", "each matching pair must be written  =question -> answer")
        left, right = part.split("->", 1)
        left_format, left_text = split_format(left, fmt)
        pairs.append({"text": left_text, "answer": restore(right).strip(), "format": left_format})
    return tuple(pairs)


def _true_false(base: QuestionData, answer_text: str) -> QuestionData:
    bits = [*answer_text.split("#", 2), "", ""]
    value = bits[0].strip() in ("T", "TRUE")
    wrong = split_format(bits[1], base.stem_format)[1]
    right = split_format(bits[2], base.stem_format)[1]
    fmt = base.stem_format
    true = Choice("true", Decimal(1 if value else 0), right if value else wrong, fmt)
    false = Choice("false", Decimal(0 if value else 1), wrong if value else right, fmt)
    return base.replace(qtype="true_false", answers=(true, false), penalty=Decimal(1))


def _numeric_answers(answer_text: str, fmt: str) -> list[Choice]:
    wrong_feedback = None
    if "~" in answer_text:
        answer_text, wrong = answer_text.split("~", 1)
        wrong_feedback = _feedback_split(wrong, fmt)[2]
    answers: list[Choice] = []
    for part in _parts(answer_text, "="):
        choice = _weighted(part, fmt, Decimal(1))
        answers.append(_numeric_value(choice))
    if not answers:
        raise GiftError("gift.no_answers", "a numeric question needs an answer")
    if wrong_feedback is not None:
        answers.append(Choice("*", Decimal(0), wrong_feedback, fmt))
    return answers


def _number(text: str) -> Decimal:
    value = parse_number(text.strip())
    if value is None:
        raise GiftError("gift.not_number", f"not a number: {text.strip()!r}")
    return value


def _numeric_value(choice: Choice) -> Choice:
    text = choice.text
    if text.strip() == "*":
        return Choice("*", choice.fraction, choice.feedback, choice.format)
    if text.find("..") > 0:
        low, high = (_number(t) for t in text.split("..", 1))
        value = (low + high) / 2
        tolerance = abs(high - value)
    elif text.find(":") > 0:
        value_text, tolerance_text = text.split(":", 1)
        value, tolerance = _number(value_text), abs(_number(tolerance_text))
    else:
        value, tolerance = _number(text), Decimal(0)
    return Choice(dec_str(value), choice.fraction, choice.feedback, choice.format, tolerance)


def apply_extension(question: QuestionData, ext: dict[str, Any]) -> QuestionData:
    """Apply the ``// [lms:{…}]`` comment: our types carried through Moodle-compatible GIFT."""
    if not ext:
        return question
    changes: dict[str, Any] = {}
    for key in ("default_mark", "penalty"):
        if key in ext:
            changes[key] = to_decimal(ext[key])
    if isinstance(ext.get("general_feedback"), str):
        changes["general_feedback"] = ext["general_feedback"]
    options = dict(question.options)
    options.update(ext.get("options") or {})
    qtype = ext.get("qtype", question.qtype)
    if qtype == "true_false_group" and question.qtype == "matching":
        statements = tuple(
            {"text": s["text"], "correct": s["answer"] == "Đúng", "feedback": ""}
            for s in options.pop("subquestions", ())
        )
        options.pop("shuffle", None)
        options = {"statements": statements, **options}
    elif qtype == "short_numeric_2025" and question.qtype == "numeric":
        changes["answers"] = tuple(
            Choice(a.text.replace(".", ","), a.fraction, a.feedback, a.format)
            for a in question.answers
            if a.text != "*"
        )
    elif qtype != question.qtype:
        raise GiftError("gift.extension", f"the [lms:…] comment names type {qtype!r} for a {question.qtype} question")
    return question.replace(qtype=qtype, options=options, **changes)
