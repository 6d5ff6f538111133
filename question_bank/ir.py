"""Intermediate representation (IR) of a question, independent of storage and of file formats.

Every importer produces :class:`QuestionData`; every exporter and every grader consumes it.
The IR is a frozen dataclass: collections are stored as tuples and every string (including the
strings nested in ``options``) is NFC-normalised on construction, so two questions that read
the same compare equal whatever keyboard or file produced them.

Field rules
-----------
* ``qtype`` is a key of :data:`question_bank.types.REGISTRY` (``single_choice``, ``numeric`` …).
* ``stem`` is the question text in ``stem_format`` (one of :data:`TEXT_FORMATS`).
* ``default_mark`` is the maximum number of points; ``penalty`` the Moodle-style penalty
  for each wrong try in adaptive mode (0..1). Both are :class:`~decimal.Decimal`.
* ``category_path`` is the Moodle category path split on single ``/`` (``//`` is an escaped
  slash inside a name), e.g. ``("$course$", "top", "Đại số", "Chương 1")``. The first
  element may be a Moodle context token; see :func:`category_names`.
* ``answers`` are :class:`Choice` items; ``fraction`` is in [-1, 1] (1 = full credit).
  ``tolerance`` is only used by numeric answers.
* ``options`` holds the type-specific settings documented on each question type class in
  :mod:`question_bank.qtypes`. Values are JSON-compatible (decimals as canonical strings)
  except ``cloze`` whose ``options["subquestions"]`` is a tuple of :class:`QuestionData`;
  :mod:`question_bank.serialize` turns any question into plain JSON and back.
* ``files`` are files embedded in the source (Moodle XML ``<file encoding="base64">``) and
  referenced from texts as ``@@PLUGINFILE@@/<path><name>``; sorted by (path, name), unique.
* ``source_line`` / ``source_ref`` tell a report where the question came from; they are
  excluded from equality so a question compares equal after an export/import round trip.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

TEXT_FORMATS: tuple[str, ...] = ("html", "markdown", "plain", "moodle")
"""Text formats, named as GIFT names them (``moodle`` is Moodle's "auto-format")."""

PLUGINFILE = "@@PLUGINFILE@@"
"""Prefix used in texts to reference an embedded file: ``@@PLUGINFILE@@/path/name.png``."""

CONTEXT_TOKENS = ("$system$", "$course$", "$module$", "$cat1$", "$cat2$")


def nfc(value: str) -> str:
    """NFC-normalise a string (Vietnamese text may arrive decomposed)."""
    return unicodedata.normalize("NFC", value) if value else value


MAX_EXPONENT = 100
"""Numbers must lie within 1e-100 … 1e100 in magnitude (or be 0): imported files cannot make
the canonical text of a number (:func:`dec_str`) arbitrarily long."""


def to_decimal(value: Any, default: Decimal | None = None) -> Decimal:
    """Turn a number or numeric string into a finite Decimal; ``default`` (or ValueError) otherwise."""
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, bool):
        result = Decimal(int(value))
    elif isinstance(value, int | float):
        result = Decimal(str(value))
    else:
        try:
            result = Decimal(str(value).strip().replace(",", "."))
        except (InvalidOperation, ValueError):
            if default is None:
                raise ValueError(f"not a number: {value!r}") from None
            return default
    if not result.is_finite() or (result and not -MAX_EXPONENT <= result.adjusted() <= MAX_EXPONENT):
        if default is None:
            raise ValueError(f"not a finite number of sensible size: {value!r}")
        return default
    return result


def dec_str(value: Decimal | int | float | str) -> str:
    """Canonical text of a decimal: no exponent, no trailing zeros ("0.50" → "0.5", "1E+1" → "10")."""
    d = to_decimal(value)
    if d == 0:
        return "0"
    text = format(d.normalize(), "f")
    return text


def _nfc_deep(value: Any) -> Any:
    """NFC-normalise every string inside nested lists/tuples/dicts; lists become tuples."""
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, Mapping):
        return {nfc(str(k)): _nfc_deep(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return tuple(_nfc_deep(v) for v in value)
    return value


@dataclass(frozen=True)
class Choice:
    """One answer alternative: text, credit ``fraction`` in [-1, 1], feedback, text format.

    For numeric answers ``text`` is the canonical number (:func:`dec_str`, e.g. "1.5") or ``*``
    for "any other answer", and ``tolerance`` the accepted absolute error (None for ``*`` and
    for every non-numeric answer). True/false answers are ``"true"`` then ``"false"``.
    """

    text: str
    fraction: Decimal = Decimal(0)
    feedback: str = ""
    format: str = "html"
    tolerance: Decimal | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", nfc(self.text))
        object.__setattr__(self, "feedback", nfc(self.feedback))
        object.__setattr__(self, "fraction", to_decimal(self.fraction))
        if self.tolerance is not None:
            object.__setattr__(self, "tolerance", to_decimal(self.tolerance))


@dataclass(frozen=True)
class EmbeddedFile:
    """A file carried inside an import file (``path`` starts and ends with ``/``)."""

    name: str
    path: str = "/"
    content: bytes = b""

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", nfc(self.name))
        path = nfc(self.path or "/")
        if not path.startswith("/"):
            path = "/" + path
        if not path.endswith("/"):
            path += "/"
        object.__setattr__(self, "path", path)

    @property
    def reference(self) -> str:
        """How texts point at this file."""
        return f"{PLUGINFILE}{self.path}{self.name}"


@dataclass(frozen=True)
class QuestionData:
    """A question in storage-independent form (see the module docstring for the rules)."""

    qtype: str
    name: str = ""
    stem: str = ""
    stem_format: str = "html"
    general_feedback: str = ""
    default_mark: Decimal = Decimal(1)
    penalty: Decimal = Decimal("0.3333333")
    idnumber: str = ""
    tags: tuple[str, ...] = ()
    category_path: tuple[str, ...] = ()
    answers: tuple[Choice, ...] = ()
    options: Mapping[str, Any] = field(default_factory=dict)
    files: tuple[EmbeddedFile, ...] = ()
    source_line: int | None = field(default=None, compare=False)
    source_ref: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        for name in ("qtype", "name", "stem", "general_feedback", "idnumber"):
            object.__setattr__(self, name, nfc(getattr(self, name)))
        if self.stem_format not in TEXT_FORMATS:
            raise ValueError(f"unknown text format {self.stem_format!r}")
        object.__setattr__(self, "default_mark", to_decimal(self.default_mark))
        object.__setattr__(self, "penalty", to_decimal(self.penalty))
        object.__setattr__(self, "tags", tuple(nfc(t) for t in self.tags))
        object.__setattr__(self, "category_path", tuple(nfc(c) for c in self.category_path))
        object.__setattr__(self, "answers", tuple(self.answers))
        object.__setattr__(self, "options", _freeze_options(self.options))
        unique = {(f.path, f.name): f for f in self.files}
        object.__setattr__(self, "files", tuple(unique[k] for k in sorted(unique)))

    def replace(self, **changes: Any) -> QuestionData:
        """A copy with some fields changed (``dataclasses.replace``)."""
        return dataclasses.replace(self, **changes)

    def option(self, key: str, default: Any = None) -> Any:
        """``options[key]`` or ``default``."""
        return self.options.get(key, default)


def _freeze_options(options: Mapping[str, Any] | None) -> dict[str, Any]:
    """Options with NFC strings and tuples; embedded :class:`QuestionData` are kept as they are."""
    frozen: dict[str, Any] = {}
    for key, value in (options or {}).items():
        if isinstance(value, list | tuple) and value and all(isinstance(v, QuestionData) for v in value):
            frozen[nfc(str(key))] = tuple(value)
        else:
            frozen[nfc(str(key))] = _nfc_deep(value)
    return frozen


def split_category_path(path: str) -> tuple[str, ...]:
    """Split a Moodle category path on ``/``; ``//`` is a slash inside a name. Empty parts dropped."""
    placeholder = "\x00"
    parts = path.strip().replace("//", placeholder).split("/")
    return tuple(p.replace(placeholder, "/").strip() for p in parts if p.strip())


def join_category_path(parts: Iterable[str]) -> str:
    """Inverse of :func:`split_category_path`."""
    return "/".join(p.replace("/", "//") for p in parts)


def category_names(path: Iterable[str]) -> tuple[str, ...]:
    """The human category names of a path: context tokens and the ``top`` root removed."""
    names = [p for p in path if p not in CONTEXT_TOKENS]
    if names and names[0] == "top":
        names = names[1:]
    return tuple(names)
