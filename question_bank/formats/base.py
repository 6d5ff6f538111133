"""Shared pieces of the file formats: reports, rejections, decoding, validation of parsed questions.

An importer never raises on bad input: it returns an :class:`ImportReport` whose ``rejected``
list says, for each bad question, where it was (a line number for text formats, an element
path such as ``/quiz/question[3]`` for XML, with its ``line``), why, and a stable ``code``.
A file that cannot be read at all gives one rejection with ``line_or_element=0``.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from question_bank.ir import QuestionData
from question_bank.types import validate

MAX_IMPORT_BYTES = 50 * 1024 * 1024
"""Files larger than this are refused (a file-level rejection), whatever the format."""


@dataclass(frozen=True)
class Rejection:
    """A question (or the whole file, ``line_or_element=0``) that was not imported or exported.

    Imports: ``line_or_element`` is a line number (text formats) or an element path such as
    ``/quiz/question[3]`` (XML); ``line`` is the line number when known. Exports:
    ``line_or_element`` is the index of the question in the exported sequence.
    """

    line_or_element: int | str
    reason: str
    code: str
    line: int | None = None


@dataclass
class ImportReport:
    """What an import produced: the questions read and the ones rejected."""

    questions: list[QuestionData] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing was rejected."""
        return not self.rejected

    def reject(self, where: int | str, reason: str, code: str, line: int | None = None) -> None:
        """Record a rejection; for text formats ``where`` is the line number and also fills ``line``."""
        if line is None and isinstance(where, int) and where > 0:
            line = where
        self.rejected.append(Rejection(where, reason, code, line))

    def accept(self, question: QuestionData, where: int | str, line: int | None = None) -> None:
        """Validate a parsed question; keep it or reject it with its first errors."""
        errors = [p for p in validate(question) if p.is_error]
        if errors:
            reason = "; ".join(f"{p.field}: {p.message}" if p.field else p.message for p in errors[:3])
            self.reject(where, reason, f"invalid.{errors[0].code}", line)
        else:
            self.questions.append(question)


@dataclass(frozen=True)
class ExportResult:
    """An export: the file content, the questions the format could not express (``skipped``,
    ``line_or_element`` = index in the input) and what was written with a loss (``warnings``)."""

    content: str | bytes
    skipped: list[Rejection] = field(default_factory=list)
    warnings: list[Rejection] = field(default_factory=list)


@dataclass(frozen=True)
class FormatSpec:
    """A registered file format."""

    key: str
    label: str
    extensions: tuple[str, ...]
    importer: Callable[[bytes | str], ImportReport] | None = None
    exporter: Callable[[Sequence[QuestionData]], ExportResult] | None = None


def file_rejection(reason: str, code: str) -> ImportReport:
    """A report for a file that cannot be read at all."""
    report = ImportReport()
    report.reject(0, reason, code)
    return report


def decode_text(data: bytes | str) -> tuple[str | None, Rejection | None]:
    """Decode an uploaded text file: UTF-8 (BOM optional) or UTF-16 with a BOM; nothing else.

    Returns (text, None) or (None, rejection). Line ends are normalised to ``\\n``.
    """
    if isinstance(data, str):
        text = data
    else:
        if len(data) > MAX_IMPORT_BYTES:
            return None, Rejection(0, "the file is too large", "file.too_large")
        try:
            if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
                text = data.decode("utf-16")
            else:
                text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            return None, Rejection(0, f"the file is not UTF-8 text (byte {exc.start})", "file.encoding")
    text = text.removeprefix("\ufeff")
    if "\x00" in text:
        return None, Rejection(0, "the file contains NUL characters (binary file?)", "file.binary")
    return text.replace("\r\n", "\n").replace("\r", "\n"), None
