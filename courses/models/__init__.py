"""Online classes: courses, enrolments, sections and items, submissions, completion, the grade book."""

from courses.models.assignments import Assignment, Submission, SubmissionStatus
from courses.models.courses import Completion, Course, Enrolment, EnrolmentSource, Item, ItemKind, Section
from courses.models.grades import (
    ColumnKind,
    CommentValue,
    EntrySource,
    GradeColumn,
    GradeEntry,
    GradeEntryChange,
    Term,
)

__all__ = [
    "Assignment",
    "ColumnKind",
    "CommentValue",
    "Completion",
    "Course",
    "Enrolment",
    "EnrolmentSource",
    "EntrySource",
    "GradeColumn",
    "GradeEntry",
    "GradeEntryChange",
    "Item",
    "ItemKind",
    "Section",
    "Submission",
    "SubmissionStatus",
    "Term",
]
