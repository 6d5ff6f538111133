"""Text and number normalisation used when grading typed answers.

Rules
-----
* :func:`squash_spaces` — every run of Unicode white space becomes one ASCII space; the ends
  are trimmed.
* :func:`strip_marks` — diacritic-insensitive form: NFD, drop combining marks (category Mn),
  ``đ``→``d`` and ``Đ``→``D``, back to NFC. Case is kept (case folding is a separate option).
* :func:`parse_number` — a typed number, Vietnamese or English style:

  - optional sign ``+``, ``-`` or ``−`` (U+2212); optional exponent ``e``/``E``;
  - a decimal separator may be a comma or a point;
  - if both a comma and a point occur, the last one is the decimal separator and the other is
    a thousands separator (``1.234,5`` and ``1,234.5`` are both 1234.5);
  - a separator that occurs more than once is a thousands separator (``1.234.567``);
  - a single separator that occurs once is the decimal separator (``1,5`` = ``1.5`` = 1.5,
    and so ``1,234`` is 1.234 — the Vietnamese convention);
  - thousands separators (also spaces, no-break and thin spaces) must split the integer part
    into groups of exactly three digits after the first group, otherwise the text is rejected.

  Returns a :class:`~decimal.Decimal` or ``None`` when the text is not a number (or its
  magnitude is beyond 1e±100, see :data:`question_bank.ir.MAX_EXPONENT`).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from question_bank.ir import MAX_EXPONENT

_SPACES = re.compile(r"\s+", re.UNICODE)
_GROUP_SPACES = "\u0020\u00a0\u202f\u2009"
_NUMBER_TEXT = re.compile(r"^(?P<sign>[+\-\u2212]?)(?P<body>[0-9][0-9.,]*|[.,][0-9]+)(?P<exp>[eE][+\-]?[0-9]+)?$")
_GROUPED = re.compile(r"^[0-9]{1,3}(?:\|[0-9]{3})+$")


def squash_spaces(value: str) -> str:
    """Collapse white space runs to one space and trim."""
    return _SPACES.sub(" ", value).strip()


def strip_marks(value: str) -> str:
    """Remove Vietnamese tones and marks, đ→d, keeping case ("Đường" → "Duong")."""
    value = value.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", value)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if unicodedata.category(c) != "Mn"))


def _ungroup(integer_part: str, separator: str) -> str | None:
    """``1|234|567`` style grouping check; returns the digits or None if groups are wrong."""
    marked = integer_part.replace(separator, "|")
    if "|" not in marked:
        return integer_part
    if not _GROUPED.match(marked):
        return None
    return marked.replace("|", "")


def parse_number(text: str) -> Decimal | None:
    """Parse a typed number by the rules in the module docstring; ``None`` if it is not one."""
    if not isinstance(text, str):
        return None
    raw = text.strip()
    if not raw:
        return None
    # Spaces inside a number are thousands separators only.
    spaced = any(ch in raw for ch in _GROUP_SPACES)
    if spaced:
        compact = raw
        for ch in _GROUP_SPACES:
            compact = compact.replace(ch, "|")
        sign = ""
        if compact[:1] in "+-\u2212":
            sign, compact = compact[0], compact[1:]
        head, sep, tail = compact.partition(",") if "," in compact else compact.partition(".")
        if not _GROUPED.match(head):
            return None
        raw = sign + head.replace("|", "") + sep + tail
        if "|" in raw:
            return None
    match = _NUMBER_TEXT.match(raw)
    if not match:
        return None
    body = match.group("body")
    commas, points = body.count(","), body.count(".")
    if commas and points:
        decimal_sep = "," if body.rfind(",") > body.rfind(".") else "."
        group_sep = "." if decimal_sep == "," else ","
        if body.count(decimal_sep) != 1:
            return None
        int_part, frac_part = body.split(decimal_sep)
        int_digits = _ungroup(int_part, group_sep)
        if int_digits is None or not frac_part.isdigit():
            return None
        body = f"{int_digits}.{frac_part}"
    elif commas > 1 or points > 1:
        sep = "," if commas else "."
        digits = _ungroup(body, sep)
        if digits is None:
            return None
        body = digits
    else:
        body = body.replace(",", ".")
        if body.endswith("."):
            body = body[:-1]
    sign = "-" if match.group("sign") in ("-", "\u2212") else ""
    try:
        value = Decimal(sign + body + (match.group("exp") or ""))
    except InvalidOperation:
        return None
    if not value.is_finite() or (value and not -MAX_EXPONENT <= value.adjusted() <= MAX_EXPONENT):
        return None
    return value
