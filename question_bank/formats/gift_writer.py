"""GIFT export, written as Moodle's exporter writes it, so Moodle can import the file.

Native GIFT covers single/multiple choice, true/false, short answer, numeric, matching, essay
and description. Our 2025 exam types are written as their nearest Moodle type (Đúng–Sai as a
matching question whose answers are "Đúng"/"Sai"; the short numeric answer as numeric) plus a
``// [lms:{json}]`` comment with what GIFT cannot say (type, options, marks). Importing the
file here gives back the same :class:`QuestionData`. Ordering and cloze questions cannot be
written in GIFT and are reported in ``ExportResult.skipped``; so are texts GIFT cannot escape
(``->`` in a matching question's left side or in a short answer).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from question_bank.formats.base import ExportResult, Rejection
from question_bank.formats.gift_reader import GiftError, apply_extension, read_question
from question_bank.formats.gift_syntax import escape, protect, write_meta_comment, write_text
from question_bank.ir import QuestionData, dec_str, join_category_path
from question_bank.textnorm import parse_number

NATIVE = (
    "single_choice",
    "multiple_choice",
    "true_false",
    "short_answer",
    "numeric",
    "matching",
    "essay",
    "description",
)
CARRIED = {"true_false_group": "matching", "short_numeric_2025": "numeric"}


class CannotWrite(ValueError):
    """The question cannot be expressed in GIFT."""


def export_gift(questions: Sequence[QuestionData]) -> ExportResult:
    """Write questions as GIFT text; see the module docstring for what is skipped."""
    out: list[str] = []
    skipped: list[Rejection] = []
    warnings: list[Rejection] = []
    category: tuple[str, ...] = ()
    for index, question in enumerate(questions):
        try:
            block = write_question(question)
        except CannotWrite as exc:
            skipped.append(Rejection(index, str(exc), "gift.cannot_write"))
            continue
        if question.category_path != category:  # an empty path returns to the default category
            out.append(f"$CATEGORY: {join_category_path(question.category_path)}\n\n")
            category = question.category_path
        out.append(block + "\n")
        if question.files:
            warnings.append(Rejection(index, "GIFT cannot carry embedded files; left out", "gift.files_dropped"))
    return ExportResult("".join(out), skipped, warnings)


def write_question(q: QuestionData) -> str:
    """One question as a GIFT block (comment lines, then the question), ending with a new line."""
    if q.qtype not in NATIVE and q.qtype not in CARRIED:
        raise CannotWrite(f"GIFT has no {q.qtype} questions")
    body = "::" + escape(q.name) + "::" + write_text(q.stem, q.stem_format, "moodle") + _answer_block(q)
    meta = write_meta_comment(q.idnumber, q.tags)
    extension = _extension(q, body, meta)
    comment = "// [lms:" + json.dumps(extension, ensure_ascii=False).replace("]", "\\]") + "]\n" if extension else ""
    return meta + comment + body + "\n"


def _answer_block(q: QuestionData) -> str:
    fmt = q.stem_format
    general = "####" + write_text(q.general_feedback, fmt, fmt) if q.general_feedback else ""
    kind = CARRIED.get(q.qtype, q.qtype)
    if kind == "description":
        return ""
    if kind == "essay":
        return "{" + general + "}"
    if kind == "true_false":
        return "{" + _true_false(q) + general + "}"
    lines: list[str]
    if kind in ("single_choice", "multiple_choice"):
        lines = _choice_lines(q)
    elif kind == "short_answer":
        if any("->" in a.text for a in q.answers):
            raise CannotWrite("GIFT cannot write '->' in a short answer")
        lines = [
            f"={_weight(a.fraction)}{write_text(a.text, a.format, fmt)}{_feedback(a.feedback, fmt)}" for a in q.answers
        ]
    elif kind == "numeric":
        return (
            "{#\n" + "".join(f"\t{line}\n" for line in _numeric_lines(q)) + (f"\t{general}\n" if general else "") + "}"
        )
    else:
        lines = _matching_lines(q)
    return "{\n" + "".join(f"\t{line}\n" for line in lines) + (f"\t{general}\n" if general else "") + "}"


def _weight(fraction: Decimal) -> str:
    return "%" + dec_str(fraction * 100) + "%"


def _feedback(text: str, fmt: str) -> str:
    return "#" + write_text(text, fmt, fmt) if text else ""


def _choice_lines(q: QuestionData) -> list[str]:
    single = q.qtype == "single_choice"
    lines: list[str] = []
    used_equals = False
    for a in q.answers:
        text = write_text(a.text, a.format, q.stem_format)
        if single and a.fraction == 1 and not used_equals:
            marker, used_equals = ("=%100%" if text.startswith("%") else "="), True
        elif a.fraction == 0 and not text.startswith("%"):
            marker = "~"
        else:
            marker = "~" + _weight(a.fraction)
        lines.append(marker + text + _feedback(a.feedback, q.stem_format))
    return lines


def _true_false(q: QuestionData) -> str:
    true, false = ((*q.answers, None, None))[:2]
    if true is None or false is None:
        raise CannotWrite("a true/false question needs its two answers")
    value = true.fraction == 1
    right, wrong = (true.feedback, false.feedback) if value else (false.feedback, true.feedback)
    text = "TRUE" if value else "FALSE"
    fmt = q.stem_format
    if wrong:
        text += "#" + write_text(wrong, fmt, fmt)
    elif right:
        text += "#"
    if right:
        text += "#" + write_text(right, fmt, fmt)
    return text


def _numeric_lines(q: QuestionData) -> list[str]:
    lines = []
    answers = list(q.answers)
    last_star = answers[-1] if answers and answers[-1].text == "*" and answers[-1].fraction == 0 else None
    for a in answers[:-1] if last_star else answers:
        value = a.text.replace(",", ".") if q.qtype == "short_numeric_2025" else a.text
        if value == "*":
            lines.append(f"={_weight(a.fraction)}*{_feedback(a.feedback, q.stem_format)}")
        else:
            tolerance = dec_str(a.tolerance or 0)
            lines.append(f"={_weight(a.fraction)}{escape(value)}:{tolerance}{_feedback(a.feedback, q.stem_format)}")
    if last_star:
        lines.append("~#" + write_text(last_star.feedback, q.stem_format, q.stem_format))
    return lines


def _matching_lines(q: QuestionData) -> list[str]:
    if q.qtype == "true_false_group":
        subs = [
            {"text": s["text"], "answer": "Đúng" if s["correct"] else "Sai", "format": q.stem_format}
            for s in q.options.get("statements", ())
        ]
    else:
        subs = list(q.options.get("subquestions", ()))
    lines = []
    for s in subs:
        left = str(s.get("text", ""))
        if "->" in left:
            raise CannotWrite("GIFT cannot write '->' in the left side of a matching pair")
        lines.append(
            "="
            + write_text(left, str(s.get("format", q.stem_format)), q.stem_format)
            + " -> "
            + escape(str(s["answer"]))
        )
    return lines


def _extension(q: QuestionData, body: str, meta: str) -> dict[str, Any]:
    """What a plain GIFT import of ``body`` would not give back."""
    extension: dict[str, Any] = {}
    if q.qtype in CARRIED:
        extension["qtype"] = q.qtype
    try:
        parsed = apply_extension(read_question(protect(body), meta, q.category_path), extension)
    except GiftError as exc:
        raise CannotWrite(f"GIFT cannot express this question: {exc}") from None
    options = {k: _plain(v) for k, v in q.options.items() if parsed.options.get(k) != v}
    if options:
        extension["options"] = options
    for key in ("default_mark", "penalty"):
        if getattr(parsed, key) != getattr(q, key):
            extension[key] = dec_str(getattr(q, key))
    if parsed.general_feedback != q.general_feedback.strip():
        extension["general_feedback"] = q.general_feedback
    if not _same_answers(q, parsed) or parsed.stem != q.stem.strip():
        raise CannotWrite("GIFT cannot express this question's texts or answers exactly")
    return extension


def _same_answers(q: QuestionData, parsed: QuestionData) -> bool:
    """Answers read back equal, up to surrounding white space, text format and a missing tolerance."""
    if len(q.answers) != len(parsed.answers):
        return False
    numeric = q.qtype in ("numeric", "short_numeric_2025")
    for mine, back in zip(q.answers, parsed.answers, strict=True):
        same_text = (
            parse_number(mine.text) == parse_number(back.text)
            if numeric and mine.text != "*"
            else mine.text.strip() == back.text
        )
        if not same_text or mine.fraction != back.fraction or mine.feedback.strip() != back.feedback:
            return False
        if (mine.tolerance or 0) != (back.tolerance or 0):
            return False
    return True


def _plain(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, Decimal):
        return dec_str(value)
    return value
