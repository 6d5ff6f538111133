"""Import a question file into the bank, and export questions from it, with a report.

Import: the file is read by the registered format (:mod:`question_bank.formats`), which never
raises and reports each unreadable question by line or element. Each readable question is then
saved in its own transaction (its categories, question row, version 1 and tags): a question
that fails leaves nothing behind and is reported like a parse rejection. A file that cannot be
read at all imports nothing. With ``strict`` a file with any rejected question imports nothing.

Export: questions (a queryset the caller has filtered by what the user may see) are turned back
into the IR with their bank metadata (category path, tags, ID number) and written by the format.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.utils.html import strip_tags

from lms.access import can
from question_bank import formats, services
from question_bank.formats.base import ExportResult, ImportReport
from question_bank.ir import QuestionData, category_names
from question_bank.models import Question, QuestionCategory, QuestionStatus, SharingScope

CLI_FORMATS = {"gift": "gift", "moodle-xml": "moodle_xml", "aiken": "aiken", "qti21": "qti21"}
"""Format names on the command line and in the admin → keys of the format registry."""


@dataclass(frozen=True)
class ReportRow:
    """One question of a file: imported (with its id) or rejected (with the reason)."""

    where: int | str
    line: int | None
    imported: bool
    reason: str = ""
    code: str = ""
    question_id: int | None = None
    title: str = ""

    @property
    def location(self) -> str:
        if isinstance(self.where, int):
            return f"line {self.where}" if self.where else "file"
        return f"{self.where} (line {self.line})" if self.line else str(self.where)


@dataclass
class BankImport:
    rows: list[ReportRow] = field(default_factory=list)
    file_error: bool = False

    @property
    def imported(self) -> list[ReportRow]:
        return [r for r in self.rows if r.imported]

    @property
    def rejected(self) -> list[ReportRow]:
        return [r for r in self.rows if not r.imported]

    @property
    def ok(self) -> bool:
        return not self.rejected


def title_of(question: QuestionData) -> str:
    text = question.name or " ".join(strip_tags(question.stem).split())
    return text[:80] + ("…" if len(text) > 80 else "")


def parse(format_name: str, data: bytes | str) -> ImportReport:
    """Read a file without saving anything (the admin's preview)."""
    return formats.import_questions(CLI_FORMATS.get(format_name, format_name), data)


def rows_of(report: ImportReport) -> list[ReportRow]:
    """A parse report as rows in file order (the preview shows the same rows as the import)."""
    rows = [
        ReportRow(q.source_ref or q.source_line or "", q.source_line, True, title=title_of(q)) for q in report.questions
    ]
    rows += [ReportRow(r.line_or_element, r.line, False, r.reason, r.code) for r in report.rejected]
    return sorted(rows, key=lambda r: r.line or 0)


def import_into_bank(
    *,
    format_name: str,
    data: bytes | str,
    actor,
    owner=None,
    school=None,
    base_category: QuestionCategory | None = None,
    sharing_scope: str = SharingScope.SCHOOL,
    status: str = QuestionStatus.DRAFT,
    metadata: dict | None = None,
    strict: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> BankImport:
    """Parse and save; returns a row per question (see the module docstring)."""
    owner = owner or actor
    if school is None:
        schools = services.authoring_schools(owner)
        school = schools[0] if schools else None
    if actor is not None and not can(actor, "question.create", school):
        raise PermissionDenied("question.create refused")
    report = parse(format_name, data)
    result = BankImport()
    if any(r.line_or_element == 0 for r in report.rejected):
        result.rows = [ReportRow(r.line_or_element, r.line, False, r.reason, r.code) for r in report.rejected]
        result.file_error = True
        return result
    parse_rows = [ReportRow(r.line_or_element, r.line, False, r.reason, r.code) for r in report.rejected]
    if strict and parse_rows:
        result.rows = parse_rows
        return result
    total = len(report.questions)
    saved: list[ReportRow] = []
    categories: dict[tuple[str, ...], QuestionCategory] = {}
    with transaction.atomic() if strict else nullcontext():
        for index, question in enumerate(report.questions, start=1):
            where = question.source_ref or question.source_line or index
            try:
                with transaction.atomic():
                    names = category_names(question.category_path)
                    category = categories.get(names)
                    if category is None:
                        category = services.category_for_path(school, names, base_category) if names else None
                        category = category or base_category or services.default_category(school)
                    saved_question = services.create_question(
                        actor=actor,
                        owner=owner,
                        school=school,
                        data=question,
                        category=category,
                        sharing_scope=sharing_scope,
                        status=status,
                        **(metadata or {}),
                    )
                    categories[names] = category
                saved.append(
                    ReportRow(
                        where, question.source_line, True, question_id=saved_question.pk, title=title_of(question)
                    )
                )
            except (ValidationError, PermissionDenied, DatabaseError, ValueError) as exc:
                reason = "; ".join(getattr(exc, "messages", None) or [str(exc)])
                saved.append(
                    ReportRow(where, question.source_line, False, reason, "save.failed", title=title_of(question))
                )
                if strict:
                    # All or nothing: undo the questions saved so far and report them as not imported.
                    transaction.set_rollback(True)
                    undone = [
                        ReportRow(r.where, r.line, False, "not imported: another question failed", "strict")
                        if r.imported
                        else r
                        for r in saved
                    ]
                    result.rows = sorted(parse_rows + undone, key=lambda r: r.line or 0)
                    return result
            if progress is not None:
                progress(index, total)
    result.rows = sorted(parse_rows + saved, key=lambda r: r.line or 0)
    return result


def export_data(question: Question) -> QuestionData:
    """A question's current version with its bank metadata, ready for a file format."""
    content = question.current_version.content
    return content.replace(
        category_path=("$course$", "top", *question.category.names()),
        tags=tuple(sorted(question.tags.names())),
        idnumber=question.idnumber,
    )


def export_from_bank(format_name: str, questions: Iterable[Question]) -> ExportResult:
    """Write questions (in the given order) with a registered format."""
    data = [export_data(q) for q in questions if q.current_version_id]
    return formats.export_questions(CLI_FORMATS.get(format_name, format_name), data)
