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
from courses.models.quiz import Attempt, AttemptAnswer, AttemptState, GradingMethod, Quiz, QuizSlot, Review

__all__ = [
    "Assignment",
    "Attempt",
    "AttemptAnswer",
    "AttemptState",
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
    "GradingMethod",
    "Item",
    "ItemKind",
    "Quiz",
    "QuizSlot",
    "Review",
    "Section",
    "Submission",
    "SubmissionStatus",
    "Term",
]
