"""Moodle's embedded-answer (cloze / multianswer) syntax, read and written.

A part is ``{weight:TYPE:alternatives}``; ``weight`` (default 1) is the part's mark.
TYPE (short names in brackets):

* ``SHORTANSWER`` (SA, MW), ``SHORTANSWER_C`` (SAC, MWC — case sensitive) → short_answer;
* ``NUMERICAL`` (NM) → numeric, alternatives ``value:tolerance``;
* ``MULTICHOICE`` (MC, drop-down), ``MULTICHOICE_V`` (MCV, vertical), ``MULTICHOICE_H`` (MCH,
  horizontal) and the shuffled ``_S``/``_VS``/``_HS`` (MCS, MCVS, MCHS) → single_choice;
* ``MULTIRESPONSE`` (MR), ``MULTIRESPONSE_H`` (MRH) and shuffled ``_S``/``_HS`` (MRS, MRHS) →
  multiple_choice.

Alternatives are separated by ``~``; each is ``[=|%n%]answer[#feedback]`` (``=`` is 100%,
``%50%`` a weight, nothing 0%). ``\\}``, ``\\#``, ``\\~``, ``\\\\``, ``\\/`` and ``\\"`` are literal
characters, and a ``#`` right after ``&`` is part of an HTML entity. Texts are HTML: entities are
decoded when read and ``& < >`` escaped when written. As in Moodle, multi-response positive
weights are scaled to add up to 100%, and when no ``%n%`` weight is given each wrong answer
gets −1/(number of right answers).
"""

from __future__ import annotations

import html
import re
from decimal import Decimal

from question_bank.ir import Choice, QuestionData, dec_str, to_decimal
from question_bank.qtypes.structured import PLACEHOLDER
from question_bank.textnorm import parse_number

_TYPES: dict[str, tuple[str, dict[str, object]]] = {}
for _names, _qtype, _opts in (
    (("SHORTANSWER", "SA", "MW"), "short_answer", {"case_sensitive": False}),
    (("SHORTANSWER_C", "SAC", "MWC"), "short_answer", {"case_sensitive": True}),
    (("NUMERICAL", "NM"), "numeric", {}),
    (("MULTICHOICE", "MC"), "single_choice", {"display": "dropdown", "shuffle": False}),
    (("MULTICHOICE_S", "MCS"), "single_choice", {"display": "dropdown", "shuffle": True}),
    (("MULTICHOICE_V", "MCV"), "single_choice", {"display": "vertical", "shuffle": False}),
    (("MULTICHOICE_VS", "MCVS"), "single_choice", {"display": "vertical", "shuffle": True}),
    (("MULTICHOICE_H", "MCH"), "single_choice", {"display": "horizontal", "shuffle": False}),
    (("MULTICHOICE_HS", "MCHS"), "single_choice", {"display": "horizontal", "shuffle": True}),
    (("MULTIRESPONSE", "MR"), "multiple_choice", {"display": "vertical", "shuffle": False}),
    (("MULTIRESPONSE_S", "MRS"), "multiple_choice", {"display": "vertical", "shuffle": True}),
    (("MULTIRESPONSE_H", "MRH"), "multiple_choice", {"display": "horizontal", "shuffle": False}),
    (("MULTIRESPONSE_HS", "MRHS"), "multiple_choice", {"display": "horizontal", "shuffle": True}),
):
    for _name in _names:
        _TYPES[_name] = (_qtype, _opts)

_START = re.compile(r"\{([0-9]*(?:\.[0-9]+)?):(" + "|".join(sorted(_TYPES, key=len, reverse=True)) + r"):")
_FRACTION = re.compile(r"^(=|%(-?[0-9]+(?:[.,][0-9]*)?)%)")
_NUMERIC = re.compile(
    r"^\s*(-?(?:[0-9]+[.,]?[0-9]*|[.,][0-9]+)(?:[eE][-+]?[0-9]+)?)\s*(?::\s*(-?(?:[0-9]+[.,]?[0-9]*|[.,][0-9]+)(?:[eE][-+]?[0-9]+)?))?\s*$"
)
_UNESCAPE = re.compile(r"\\([}#~\\/\"])")


class ClozeError(ValueError):
    """An embedded part that cannot be read."""


def _scan(text: str, start: int) -> tuple[list[str], int]:
    """Split the alternatives of a part starting at ``start``; return them and the index after ``}``."""
    alternatives: list[str] = []
    current: list[str] = []
    i = start
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            current.append(text[i : i + 2])
            i += 2
            continue
        if ch == "}":
            alternatives.append("".join(current))
            return alternatives, i + 1
        if ch == "~":
            alternatives.append("".join(current))
            current = []
        else:
            current.append(ch)
        i += 1
    raise ClozeError("an embedded answer is not closed with }")


def _split_feedback(alternative: str) -> tuple[str, str]:
    i = 0
    while i < len(alternative):
        if alternative[i] == "\\":
            i += 2
            continue
        if alternative[i] == "#" and not alternative[:i].endswith("&"):
            return alternative[:i], alternative[i + 1 :]
        i += 1
    return alternative, ""


def _clean(text: str) -> str:
    return html.unescape(_UNESCAPE.sub(r"\1", text)).strip()


def _part(weight: str, type_name: str, alternatives: list[str]) -> QuestionData:
    qtype, opts = _TYPES[type_name]
    answers: list[Choice] = []
    specific = False
    for raw in alternatives:
        fraction = Decimal(0)
        match = _FRACTION.match(raw)
        if match:
            if match.group(1) == "=":
                fraction = Decimal(1)
            else:
                fraction, specific = to_decimal(match.group(2)) / 100, True
            raw = raw[match.end() :]
        answer_raw, feedback_raw = _split_feedback(raw)
        text, feedback = _clean(answer_raw), _clean(feedback_raw)
        if not text:
            raise ClozeError("an embedded answer alternative is empty")
        tolerance = None
        if qtype == "numeric" and text != "*":
            numeric = _NUMERIC.match(text)
            if not numeric:
                raise ClozeError(f"not a number in a NUMERICAL part: {text!r}")
            text = dec_str(parse_number(numeric.group(1)) or 0)
            tolerance = abs(parse_number(numeric.group(2)) or Decimal(0)) if numeric.group(2) else Decimal(0)
        answers.append(Choice(text, fraction, feedback, "html", tolerance))
    if qtype == "multiple_choice":
        answers = _scale_multiresponse(answers, specific)
    return QuestionData(qtype=qtype, default_mark=to_decimal(weight or "1"), answers=tuple(answers), options=dict(opts))


def _scale_multiresponse(answers: list[Choice], specific: bool) -> list[Choice]:
    total = sum((a.fraction for a in answers if a.fraction > 0), Decimal(0))
    if not total:
        return answers
    scaled = []
    for a in answers:
        fraction = a.fraction
        if fraction > 0:
            fraction = (fraction / total).quantize(Decimal("0.0000001"))
        elif not specific:
            fraction = (-1 / total).quantize(Decimal("0.0000001"))
        scaled.append(Choice(a.text, fraction, a.feedback, a.format, a.tolerance))
    return scaled


def parse_cloze(text: str) -> tuple[str, tuple[QuestionData, ...]]:
    """(stem with ``{#k}`` placeholders, parts) of a cloze question text."""
    out: list[str] = []
    parts: list[QuestionData] = []
    position = 0
    for _guard in range(len(text) + 1):
        match = _START.search(text, position)
        if not match:
            break
        alternatives, end = _scan(text, match.end())
        parts.append(_part(match.group(1), match.group(2), alternatives))
        out.append(text[position : match.start()] + "{#" + str(len(parts)) + "}")
        position = end
    out.append(text[position:])
    return "".join(out), tuple(parts)


def _escape(text: str) -> str:
    text = html.escape(text, quote=False)
    return re.sub(r'([}#~\\/"])', r"\\\1", text)


def type_name(part: QuestionData) -> str:
    """The long TYPE name that writes ``part``."""
    if part.qtype == "short_answer":
        return "SHORTANSWER_C" if part.options.get("case_sensitive") else "SHORTANSWER"
    if part.qtype == "numeric":
        return "NUMERICAL"
    display = part.options.get("display", "dropdown")
    shuffle = bool(part.options.get("shuffle", False))
    if part.qtype == "multiple_choice":
        base = "MULTIRESPONSE_H" if display == "horizontal" else "MULTIRESPONSE"
        return base + ("S" if base.endswith("_H") and shuffle else "_S" if shuffle else "")
    base = {"vertical": "MULTICHOICE_V", "horizontal": "MULTICHOICE_H"}.get(str(display), "MULTICHOICE")
    if not shuffle:
        return base
    return base + "S" if base != "MULTICHOICE" else "MULTICHOICE_S"


def format_part(part: QuestionData) -> str:
    """One part in cloze syntax."""
    alternatives = []
    explicit = part.qtype == "multiple_choice"
    for a in part.answers:
        if part.qtype == "numeric" and a.text != "*":
            body = f"{a.text}:{dec_str(a.tolerance or 0)}"
        else:
            body = _escape(a.text)
        if a.fraction == 1 and not explicit:
            prefix = "="
        elif a.fraction == 0 and not explicit and not body.startswith(("=", "%")):
            prefix = ""
        else:
            prefix = f"%{dec_str(a.fraction * 100)}%"
        feedback = "#" + _escape(a.feedback) if a.feedback else ""
        alternatives.append(prefix + body + feedback)
    return "{" + dec_str(part.default_mark) + ":" + type_name(part) + ":" + "~".join(alternatives) + "}"


def format_cloze(stem: str, parts: tuple[QuestionData, ...]) -> str:
    """A stem with ``{#k}`` placeholders back in cloze syntax."""

    def replace(match: re.Match[str]) -> str:
        k = int(match.group(1))
        return format_part(parts[k - 1]) if 1 <= k <= len(parts) else match.group(0)

    return PLACEHOLDER.sub(replace, stem)
