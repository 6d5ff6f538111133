"""Import a question file into the bank, and export questions from it, with a report.

Import: the file is read by the registered format (:mod:`question_bank.formats`), which never
raises and reports each unreadable question by line or element. The readable questions are then
saved ``CHUNK`` at a time in bulk (``services.create_questions_bulk``: a few queries per chunk,
whatever its size); a chunk that fails is rolled back and saved one question per savepoint
(its categories, question row, version 1 and tags), so a question that fails leaves nothing
behind and is reported like a parse rejection. A file that cannot be
read at all imports nothing. With ``strict`` a file with any rejected question imports nothing.

Export: questions (a queryset the caller has filtered by what the user may see) are turned back
into the IR with their bank metadata (category path, tags, ID number) and written by the format.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils.html import strip_tags

from lms.access import can
from question_bank import formats, services
from question_bank.formats.base import ExportResult, ImportReport
from question_bank.ir import QuestionData, category_names
from question_bank.models import Question, QuestionCategory, QuestionStatus, SharingScope

CHUNK = 500
"""Questions saved between two commits (each question is a savepoint of its own)."""

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
    fixed = {
        "actor": actor,
        "owner": owner,
        "school": school,
        "sharing_scope": sharing_scope,
        "status": status,
        "audience": services.audience_path(school, sharing_scope),
        **(metadata or {}),
    }
    # Strict: one transaction for the file. Otherwise a commit every CHUNK questions, and each
    # question its own savepoint inside, so a failing one leaves nothing and the others stay.
    with transaction.atomic() if strict else nullcontext():
        for start in range(0, total, CHUNK):
            with nullcontext() if strict else transaction.atomic():
                batch = report.questions[start : start + CHUNK]
                rows = _save_bulk(batch, start, categories, base_category, fixed)
                if rows is not None:
                    saved.extend(rows)
                    if progress is not None:
                        progress(start + len(batch), total)
                    continue
                for index, question in enumerate(batch, start=start + 1):
                    row = _save_one(question, index, categories, base_category, fixed)
                    saved.append(row)
                    if strict and not row.imported:
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


def _save_bulk(
    batch: list[QuestionData], start: int, categories: dict, base_category, fixed: dict
) -> list[ReportRow] | None:
    """Save a chunk in bulk (services.create_questions_bulk); None if any of them fails,
    leaving nothing of the chunk, so the caller saves them one by one and reports each."""
    if not connection.features.can_return_rows_from_bulk_insert:
        return None
    known = dict(categories)
    try:
        with transaction.atomic():
            items = []
            for question in batch:
                names = category_names(question.category_path)
                if names not in categories:
                    category = services.category_for_path(fixed["school"], names, base_category) if names else None
                    categories[names] = category or base_category or services.default_category(fixed["school"])
                items.append((question, categories[names]))
            # The format's ImportReport.accept validated every parsed question already.
            created = services.create_questions_bulk(items, validated=True, **fixed)
    except (ValidationError, PermissionDenied, DatabaseError, ValueError):
        categories.clear()
        categories.update(known)
        return None
    return [
        ReportRow(q.source_ref or q.source_line or start + i, q.source_line, True, question_id=c.pk, title=title_of(q))
        for i, (q, c) in enumerate(zip(batch, created, strict=True), start=1)
    ]


def _save_one(question: QuestionData, index: int, categories: dict, base_category, fixed: dict) -> ReportRow:
    """Save one parsed question in its own savepoint; a row saying what happened."""
    where = question.source_ref or question.source_line or index
    try:
        with transaction.atomic():
            school = fixed["school"]
            names = category_names(question.category_path)
            category = categories.get(names)
            if category is None:
                category = services.category_for_path(school, names, base_category) if names else None
                category = category or base_category or services.default_category(school)
            saved = services.create_question(data=question, category=category, **fixed)
            categories[names] = category
    except (ValidationError, PermissionDenied, DatabaseError, ValueError) as exc:
        reason = "; ".join(getattr(exc, "messages", None) or [str(exc)])
        return ReportRow(where, question.source_line, False, reason, "save.failed", title=title_of(question))
    return ReportRow(where, question.source_line, True, question_id=saved.pk, title=title_of(question))


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
