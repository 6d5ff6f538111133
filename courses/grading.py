"""The grade book stored: columns from the Circular 22 rules, audited entries, assignment feeds, averages.

The averages are computed by the pure rules in ``courses.gradebook`` (never re-implemented here).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from courses.gradebook import (
    CommentAssessments,
    CommentResult,
    Incomplete,
    ScoreError,
    ScoreErrorCode,
    SemesterScores,
    comment_semester_result,
    comment_year_result,
    format_score,
    parse_score,
    regular_assessment_count,
    semester_average,
    year_average,
)
from courses.models import (
    ColumnKind,
    CommentValue,
    Course,
    Enrolment,
    EntrySource,
    GradeColumn,
    GradeEntry,
    GradeEntryChange,
    Item,
    ItemKind,
    Submission,
    SubmissionStatus,
    Term,
)
from courses.services import CourseError, _require
from lms.text import fold


def is_comment_assessed(course: Course) -> bool:
    return course.offering.subject.assessment == "comment"


def required_regular(course: Course) -> int:
    """Số ĐĐGtx per semester for the course's subject (TT 22 Điều 6.2)."""
    return regular_assessment_count(course.offering.periods_per_year, comment_only=is_comment_assessed(course))


@transaction.atomic
def ensure_columns(*, actor, course: Course) -> list[GradeColumn]:
    """The columns the circular requires for both terms: n × ĐĐGtx, ĐĐGgk, ĐĐGck. Idempotent."""
    _require(actor, "course.manage", course)
    wanted = []
    for term in Term:
        wanted += [(term, ColumnKind.REGULAR, n) for n in range(1, required_regular(course) + 1)]
        wanted += [(term, ColumnKind.MIDTERM, 1), (term, ColumnKind.FINAL, 1)]
    existing = set(course.grade_columns.values_list("term", "kind", "position"))
    GradeColumn.objects.bulk_create(
        [
            GradeColumn(course=course, term=term, kind=kind, position=pos)
            for term, kind, pos in wanted
            if (term, kind, pos) not in existing
        ]
    )
    return ordered(course.grade_columns.all())


def score_error_message(error: ScoreError) -> str:
    return {
        ScoreErrorCode.EMPTY: _("No score was entered."),
        ScoreErrorCode.NOT_A_NUMBER: _("The score is not a number."),
        ScoreErrorCode.OUT_OF_RANGE: _("The score must be between 0 and 10."),
        ScoreErrorCode.TOO_MANY_DECIMALS: _("The score may have at most one decimal place."),
        ScoreErrorCode.NOT_AN_INTEGER: _("The score must be a whole number."),
    }[error.code]


_COMMENT_WORDS = {
    "d": CommentValue.ACHIEVED,
    "dat": CommentValue.ACHIEVED,
    "cd": CommentValue.NOT_ACHIEVED,
    "chua dat": CommentValue.NOT_ACHIEVED,
    "chua-dat": CommentValue.NOT_ACHIEVED,
}


def parse_entry(column: GradeColumn, raw: str) -> tuple[Decimal | None, str]:
    """A typed cell → (score, comment result). "" clears. Raises CourseError with a message for the teacher."""
    raw = (raw or "").strip()
    if not raw:
        return None, ""
    if column.comment_assessed:
        value = _COMMENT_WORDS.get(" ".join(fold(raw).replace(".", " ").split()))
        if value is None:
            raise CourseError(_("Enter Đ (Đạt) or CĐ (Chưa đạt)."))
        return None, value
    try:
        return parse_score(raw), ""
    except ScoreError as error:
        raise CourseError(score_error_message(error)) from None


def _value_text(score: Decimal | None, comment: str) -> str:
    if score is not None:
        return format_score(score)
    return {"dat": "Đạt", "chua-dat": "Chưa đạt"}.get(comment, "")


def _write(entry: GradeEntry, score, comment, *, actor, source: str, override: bool) -> bool:
    old = _value_text(entry.score, entry.comment_result) if entry.pk else ""
    new = _value_text(score, comment)
    if entry.pk and old == new and entry.is_override == override:
        return False
    entry.score, entry.comment_result = score, comment
    entry.source, entry.is_override, entry.updated_by = source, override, actor
    entry.save()
    if old != new:
        GradeEntryChange.objects.create(entry=entry, changed_by=actor, old_value=old, new_value=new, source=source)
    return True


def _check_student(course: Course, student) -> None:
    if not Enrolment.objects.filter(course=course, student=student).exists():
        raise CourseError(_("This student is not in the course."))


@transaction.atomic
def set_entry(*, actor, column: GradeColumn, student, raw: str) -> GradeEntry | None:
    """A teacher types a value in a cell. In a column an assignment feeds, it becomes an override."""
    _require(actor, "course.manage", column.course)
    _check_student(column.course, student)
    score, comment = parse_entry(column, raw)
    entry = GradeEntry.objects.select_for_update().filter(column=column, student=student).first()
    if entry is None:
        if score is None and not comment:
            return None
        entry = GradeEntry(column=column, student=student)
    override = column.source_item_id is not None and (score is not None or bool(comment))
    _write(entry, score, comment, actor=actor, source=EntrySource.MANUAL, override=override)
    return entry


@transaction.atomic
def link_column(*, actor, column: GradeColumn, item: Item | None) -> None:
    """Let an assignment feed a column (or none); grades already given flow in at once."""
    _require(actor, "course.manage", column.course)
    if item is not None and (
        item.course_id != column.course_id or item.kind not in (ItemKind.ASSIGNMENT, ItemKind.QUIZ)
    ):
        raise CourseError(_("Choose an assignment of this course."))
    column.source_item = item
    column.save(update_fields=["source_item"])
    if item is None:
        return
    if item.kind == ItemKind.QUIZ:
        from courses.quiz_feed import feed_linked_column

        feed_linked_column(column=column, actor=actor)
        return
    for submission in Submission.objects.filter(assignment__item=item, status=SubmissionStatus.GRADED).order_by(
        "number"
    ):
        _feed(column, submission, actor)


def feed_from_assignment(*, actor, submission: Submission) -> None:
    for column in GradeColumn.objects.filter(source_item=submission.assignment.item).select_related(
        "course__offering__subject"
    ):
        _feed(column, submission, actor)


def _feed(column: GradeColumn, submission: Submission, actor) -> None:
    if column.comment_assessed:
        score, comment = None, submission.comment_result
    else:
        score, comment = submission.score, ""
    feed_column(actor=actor, column=column, student=submission.student, score=score, comment_result=comment)


@transaction.atomic
def feed_column(
    *,
    actor,
    column: GradeColumn,
    student,
    score: Decimal | None,
    comment_result: str = "",
    source=EntrySource.ASSIGNMENT,
) -> None:
    """An activity's grade flows into a column it feeds (assignments now; quizzes the same way).

    Audited like a manual entry; a teacher's manual override in that column is never replaced. Nothing to write
    (no score, no rating) leaves the column as it is.
    """
    if score is None and not comment_result:
        return
    entry = GradeEntry.objects.select_for_update().filter(column=column, student=student).first()
    if entry is not None and entry.is_override:
        return  # a teacher's manual entry wins over the activity
    entry = entry or GradeEntry(column=column, student=student)
    _write(entry, score, comment_result, actor=actor, source=source, override=False)


# --- The table and the averages -------------------------------------------------------


@dataclass
class StudentRow:
    student: object
    cells: dict[int, GradeEntry | None] = field(default_factory=dict)
    results: dict[str, object] = field(default_factory=dict)  # "1", "2", "year" → Decimal | CommentResult | Incomplete


def result_text(value) -> str:
    if isinstance(value, Decimal):
        return format_score(value)
    if isinstance(value, CommentResult):
        return value.official_name
    return ""


def student_results(course: Course, columns: list[GradeColumn], cells: dict[int, GradeEntry | None]) -> dict:
    required = required_regular(course)
    comment = is_comment_assessed(course)
    results: dict[str, object] = {}
    for term in Term:
        term_columns = [c for c in columns if c.term == term]
        regular = [cells.get(c.pk) for c in term_columns if c.kind == ColumnKind.REGULAR]
        midterm = next((cells.get(c.pk) for c in term_columns if c.kind == ColumnKind.MIDTERM), None)
        final = next((cells.get(c.pk) for c in term_columns if c.kind == ColumnKind.FINAL), None)
        if comment:
            results[str(int(term))] = comment_semester_result(
                CommentAssessments(
                    tuple(CommentResult(e.comment_result) for e in regular if e and e.comment_result)[:required],
                    CommentResult(midterm.comment_result) if midterm and midterm.comment_result else None,
                    CommentResult(final.comment_result) if final and final.comment_result else None,
                ),
                required_regular=required,
            )
        else:
            results[str(int(term))] = semester_average(
                SemesterScores(
                    tuple(e.score for e in regular if e and e.score is not None)[:required],
                    midterm.score if midterm else None,
                    final.score if final else None,
                ),
                required,
            )
    if comment:
        results["year"] = comment_year_result(results["2"])
    else:
        results["year"] = year_average(results["1"], results["2"])
    return results


KIND_ORDER = {ColumnKind.REGULAR: 0, ColumnKind.MIDTERM: 1, ColumnKind.FINAL: 2}


def ordered(columns) -> list[GradeColumn]:
    """Grade-book order: per term, ĐĐGtx 1…n, then ĐĐGgk, then ĐĐGck."""
    return sorted(columns, key=lambda c: (c.term, KIND_ORDER[c.kind], c.position))


def gradebook(course: Course) -> tuple[list[GradeColumn], list[StudentRow]]:
    columns = ordered(course.grade_columns.select_related("source_item", "course__offering__subject"))
    students = [
        e.student
        for e in Enrolment.objects.filter(course=course, is_active=True)
        .select_related("student")
        .order_by("student__full_name", "student__username")
    ]
    entries = {}
    for entry in GradeEntry.objects.filter(column__course=course):
        entries[(entry.student_id, entry.column_id)] = entry
    rows = []
    for student in students:
        cells = {c.pk: entries.get((student.pk, c.pk)) for c in columns}
        rows.append(StudentRow(student, cells, student_results(course, columns, cells)))
    return columns, rows


def incomplete_text(value) -> str:
    return _("incomplete") if isinstance(value, Incomplete) else ""
