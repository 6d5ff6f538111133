"""The registry of question file formats — the one place that lists them.

``FORMATS[key]`` is a :class:`~question_bank.formats.base.FormatSpec` with an ``importer``
(``bytes | str -> ImportReport``, never raising on bad input) and/or an ``exporter``
(``Sequence[QuestionData] -> ExportResult``).

=============  ======  ======  ==========================================
key            import  export  notes
=============  ======  ======  ==========================================
``gift``       yes     yes     Moodle GIFT text (``.gift``, ``.txt``)
``aiken``      yes     no      Aiken single-answer multiple choice
``moodle_xml`` yes     yes     Moodle XML ``<quiz>``
``qti21``      no      yes     IMS QTI 2.1 content package (zip)
=============  ======  ======  ==========================================
"""

from __future__ import annotations

from collections.abc import Sequence

from question_bank.formats.aiken import import_aiken
from question_bank.formats.base import ExportResult, FormatSpec, ImportReport, Rejection, file_rejection
from question_bank.formats.gift import export_gift, import_gift
from question_bank.formats.moodle_xml import export_moodle_xml, import_moodle_xml
from question_bank.formats.qti21 import export_qti21
from question_bank.ir import QuestionData

__all__ = ["FORMATS", "ExportResult", "FormatSpec", "ImportReport", "Rejection", "export_questions", "import_questions"]

FORMATS: dict[str, FormatSpec] = {
    spec.key: spec
    for spec in (
        FormatSpec("gift", "GIFT (Moodle)", (".gift", ".txt"), import_gift, export_gift),
        FormatSpec("aiken", "Aiken", (".txt",), import_aiken, None),
        FormatSpec("moodle_xml", "Moodle XML", (".xml",), import_moodle_xml, export_moodle_xml),
        FormatSpec("qti21", "IMS QTI 2.1 package", (".zip",), None, export_qti21),
    )
}


def import_questions(format_key: str, data: bytes | str) -> ImportReport:
    """Import with a registered format; an unknown or export-only format is a file-level rejection."""
    spec = FORMATS.get(format_key)
    if spec is None or spec.importer is None:
        return file_rejection(f"no importer for format {format_key!r}", "format.unknown")
    return spec.importer(data)


def export_questions(format_key: str, questions: Sequence[QuestionData]) -> ExportResult:
    """Export with a registered format (KeyError for an unknown or import-only format)."""
    spec = FORMATS.get(format_key)
    if spec is None or spec.exporter is None:
        raise KeyError(format_key)
    return spec.exporter(questions)
