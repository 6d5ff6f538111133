"""The figures behind the dashboards: a student's, a teacher's and a school administrator's (docs/dashboards.md).

Every function runs a fixed number of queries whatever the number of students, items or attempts: rows are
grouped in the database (annotate/aggregate) or fetched once as values and combined here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from courses.models import (
    Assignment,
    Attempt,
    AttemptAnswer,
    Completion,
    Course,
    Enrolment,
    GradingMethod,
    Item,
    ItemKind,
    Quiz,
    QuizSlot,
    Submission,
    SubmissionStatus,
)
from courses.models.quiz import FINISHED, REVIEW_RANK
from lms import access
from lms.curriculum.models import Level, OfferingKind, SubjectOffering
from lms.orgs.models import Organisation, SchoolClass

TWO_PLACES = Decimal("0.01")
TEN = Decimal(10)
OVERDUE_WINDOW = timedelta(days=14)  # overdue work stays on a student's list this long


def _percent(part, whole) -> int:
    return round(100 * part / whole) if whole else 0


def number_text(value: Decimal | None) -> str:
    """A grade as Vietnamese write it: decimal comma, no trailing zeros (8,5 · 10 · 1,67)."""
    if value is None:
        return ""
    return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")


def _round(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _count_subquery(qs: QuerySet, group: str) -> Coalesce:
    """``Count`` of ``qs`` rows per ``group`` (an outer-ref filtered queryset) as an annotation."""
    counted = qs.values(group).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


# --- Grades from attempts ---------------------------------------------------------------------------


def grade_of(quiz: Quiz, attempts: list[dict]) -> Decimal | None:
    """The quiz grade out of ``quiz.max_grade`` from finished attempt rows (``number``, ``score``, ``max_score``).

    The same rule as ``courses.attempts.quiz_grade``, without a query per student.
    """
    rows = sorted((a for a in attempts if a["score"] is not None), key=lambda a: a["number"])
    if not rows:
        return None

    def scaled(a) -> Decimal:
        return (a["score"] / a["max_score"] * quiz.max_grade) if a["max_score"] else Decimal(0)

    method = quiz.grading_method
    if method == GradingMethod.FIRST:
        value = scaled(rows[0])
    elif method == GradingMethod.LAST:
        value = scaled(rows[-1])
    elif method == GradingMethod.AVERAGE:
        value = sum((scaled(a) for a in rows), Decimal(0)) / len(rows)
    else:
        value = max(scaled(a) for a in rows)
    return _round(value)


def score_visible(quiz: Quiz, now) -> bool:
    """Whether the quiz's review options let a student see their score now."""
    closed = bool(quiz.closes_at and now > quiz.closes_at)
    level = quiz.review_after_close if closed else quiz.review_after_submit
    return REVIEW_RANK.get(level, 0) >= 1


# --- Student ----------------------------------------------------------------------------------------


@dataclass
class DueEntry:
    item: Item
    course: Course
    due_at: object
    kind: str
    overdue: bool


@dataclass
class ResultEntry:
    item: Item
    course: Course
    kind: str
    at: object
    value: Decimal | None = None  # shown score, None when hidden or not graded yet
    out_of: Decimal | None = None
    comment: str = ""
    pending: bool = False  # waiting for the teacher
    hidden: bool = False  # the review options hide the score for now

    @property
    def value_text(self) -> str:
        return number_text(self.value)

    @property
    def out_of_text(self) -> str:
        return number_text(self.out_of)


def student_courses(user) -> list[Course]:
    """The student's active, not archived courses with ``done``, ``total`` and ``percent``: two more queries."""
    courses = list(
        Course.objects.filter(
            archived=False, pk__in=Enrolment.objects.filter(student=user, is_active=True).values("course")
        )
        .select_related("offering__subject", "offering__grade")
        .annotate(total=_count_subquery(Item.objects.filter(course=OuterRef("pk"), is_visible=True), "course"))
        .annotate(
            done=_count_subquery(
                Completion.objects.filter(student=user, item__course=OuterRef("pk"), item__is_visible=True),
                "item__course",
            )
        )
        .order_by("title")
    )
    for course in courses:
        course.percent = _percent(course.done, course.total)
    return courses


def student_due(user, courses: list[Course], *, now=None, limit: int = 20) -> list[DueEntry]:
    """Assignments not handed in and quizzes not done with a due or close date, soonest first; overdue marked."""
    now = now or timezone.now()
    since = now - OVERDUE_WINDOW
    assignments = (
        Assignment.objects.filter(item__course__in=courses, item__is_visible=True, due_at__gte=since)
        .exclude(pk__in=Submission.objects.filter(student=user).values("assignment"))
        .select_related("item__course")
        .order_by("due_at")[:limit]
    )
    quizzes = (
        Quiz.objects.filter(item__course__in=courses, item__is_visible=True, closes_at__gte=since)
        .exclude(item__in=Completion.objects.filter(student=user).values("item"))
        .select_related("item__course")
        .order_by("closes_at")[:limit]
    )
    entries = [DueEntry(a.item, a.item.course, a.due_at, ItemKind.ASSIGNMENT, a.due_at < now) for a in assignments] + [
        DueEntry(q.item, q.item.course, q.closes_at, ItemKind.QUIZ, q.closes_at < now) for q in quizzes
    ]
    entries.sort(key=lambda e: e.due_at)
    return entries[:limit]


def student_results(user, courses: list[Course], *, now=None, limit: int = 10) -> list[ResultEntry]:
    """The student's latest finished quiz attempts and graded hand-ins, newest first (their own only)."""
    now = now or timezone.now()
    attempts = (
        Attempt.objects.filter(student=user, state__in=FINISHED, quiz__item__course__in=courses)
        .select_related("quiz__item__course")
        .order_by("-finished_at")[:limit]
    )
    submissions = (
        Submission.objects.filter(student=user, status=SubmissionStatus.GRADED, assignment__item__course__in=courses)
        .select_related("assignment__item__course")
        .order_by("-graded_at")[:limit]
    )
    entries = []
    for attempt in attempts:
        quiz = attempt.quiz
        entry = ResultEntry(quiz.item, quiz.item.course, ItemKind.QUIZ, attempt.finished_at, out_of=quiz.max_grade)
        if not score_visible(quiz, now):
            entry.hidden = True
        elif attempt.needs_grading:
            entry.pending = True
        elif attempt.score is not None:
            entry.value = grade_of(quiz, [{"number": 1, "score": attempt.score, "max_score": attempt.max_score}])
        entries.append(entry)
    for submission in submissions:
        item = submission.assignment.item
        entries.append(
            ResultEntry(
                item,
                item.course,
                ItemKind.ASSIGNMENT,
                submission.graded_at or submission.submitted_at,
                value=submission.score,
                out_of=TEN if submission.score is not None else None,
                comment=submission.get_comment_result_display() if submission.comment_result else "",
            )
        )
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries[:limit]


# --- Teacher ----------------------------------------------------------------------------------------


def _newest_submissions(course_filter: Q) -> QuerySet[Submission]:
    """Each student's latest hand-in per assignment."""
    newer = Submission.objects.filter(
        assignment=OuterRef("assignment"), student=OuterRef("student"), number__gt=OuterRef("number")
    )
    return Submission.objects.filter(course_filter).exclude(Exists(newer))


def waiting_counts(course_ids) -> dict[int, int]:
    """Latest hand-ins not graded yet, per course: one query."""
    rows = (
        _newest_submissions(Q(assignment__item__course__in=course_ids))
        .filter(status=SubmissionStatus.SUBMITTED)
        .values("assignment__item__course")
        .annotate(n=Count("pk"))
    )
    return {row["assignment__item__course"]: row["n"] for row in rows}


def taught_courses(user) -> list[Course]:
    """Courses the user teaches (not archived) with students, progress and what waits for grading: 5 queries."""
    courses = list(
        Course.objects.filter(teachers=user, archived=False)
        .select_related("offering__subject", "offering__grade", "school_class")
        .annotate(
            students=_count_subquery(Enrolment.objects.filter(course=OuterRef("pk"), is_active=True), "course"),
            total=_count_subquery(Item.objects.filter(course=OuterRef("pk"), is_visible=True), "course"),
            completions=_count_subquery(
                Completion.objects.filter(
                    item__course=OuterRef("pk"),
                    item__is_visible=True,
                    student__in=Enrolment.objects.filter(course=OuterRef(OuterRef("pk")), is_active=True).values(
                        "student"
                    ),
                ),
                "item__course",
            ),
            attempts_to_grade=_count_subquery(
                Attempt.objects.filter(quiz__item__course=OuterRef("pk"), state__in=FINISHED, needs_grading=True),
                "quiz__item__course",
            ),
        )
        .order_by("-school_year", "title")
    )
    waiting = waiting_counts([c.pk for c in courses])
    for course in courses:
        course.waiting = waiting.get(course.pk, 0)
        course.percent = _percent(course.completions, course.total * course.students)
    return courses


@dataclass
class StudentRow:
    student: object
    done: int = 0
    percent: int = 0
    quiz_grades: list = field(default_factory=list)  # one per quiz column: Decimal | None
    assignment_grades: list = field(default_factory=list)  # one per assignment column: text
    average: Decimal | None = None


@dataclass
class WorkStatus:
    item: Item
    not_started: list  # students
    started: int = 0


@dataclass
class CourseResults:
    students: list[StudentRow]
    quizzes: list[Item]
    assignments: list[Item]
    total: int
    waiting: int
    attempts_to_grade: int
    not_started: list[WorkStatus]
    class_average: Decimal | None = None


def course_results(course: Course) -> CourseResults:
    """Per student: progress, quiz grades, assignment grades and their average; who has not started what."""
    enrolled = [
        e.student
        for e in Enrolment.objects.filter(course=course, is_active=True)
        .select_related("student")
        .order_by("student__full_name", "student__username")
    ]
    items = list(
        Item.objects.filter(course=course, is_visible=True)
        .select_related("quiz", "assignment")
        .order_by("section__order", "section_id", "order", "pk")
    )
    quizzes = [i for i in items if i.kind == ItemKind.QUIZ and hasattr(i, "quiz")]
    assignments = [i for i in items if i.kind == ItemKind.ASSIGNMENT and hasattr(i, "assignment")]
    done = defaultdict(int)
    for row in (
        Completion.objects.filter(item__in=[i.pk for i in items])
        .values("student")
        .annotate(n=Count("pk"))
        .values_list("student", "n")
    ):
        done[row[0]] = row[1]
    attempts = defaultdict(list)  # (quiz_id, student_id) -> finished rows
    started = set()  # (quiz_id, student_id)
    for row in Attempt.objects.filter(quiz__item__course=course).values(
        "quiz_id", "student_id", "number", "score", "max_score", "state", "needs_grading"
    ):
        key = (row["quiz_id"], row["student_id"])
        started.add(key)
        if row["state"] in FINISHED:
            attempts[key].append(row)
    newest = {
        (s.assignment_id, s.student_id): s
        for s in _newest_submissions(Q(assignment__item__course=course)).only(
            "assignment_id", "student_id", "status", "score", "comment_result", "number"
        )
    }
    rows, averages = [], []
    for student in enrolled:
        row = StudentRow(student, done=done.get(student.pk, 0))
        row.percent = _percent(row.done, len(items))
        marks = []
        for item in quizzes:
            grade = grade_of(item.quiz, attempts.get((item.quiz.pk, student.pk), []))
            pending = any(a["needs_grading"] for a in attempts.get((item.quiz.pk, student.pk), []))
            row.quiz_grades.append({"value": grade, "pending": pending})
            if grade is not None and item.quiz.max_grade:
                marks.append(grade / item.quiz.max_grade * TEN)
        for item in assignments:
            submission = newest.get((item.assignment.pk, student.pk))
            cell = {"value": None, "comment": "", "submitted": submission is not None, "pending": False}
            if submission is not None:
                if submission.status == SubmissionStatus.GRADED:
                    cell["value"] = submission.score
                    cell["comment"] = submission.get_comment_result_display() if submission.comment_result else ""
                    if submission.score is not None:
                        marks.append(submission.score)
                else:
                    cell["pending"] = submission.status == SubmissionStatus.SUBMITTED
            row.assignment_grades.append(cell)
        if marks:
            row.average = _round(sum(marks, Decimal(0)) / len(marks))
            averages.append(row.average)
        rows.append(row)
    not_started = []
    for item in quizzes:
        missing = [s for s in enrolled if (item.quiz.pk, s.pk) not in started]
        not_started.append(WorkStatus(item, missing, len(enrolled) - len(missing)))
    for item in assignments:
        missing = [s for s in enrolled if (item.assignment.pk, s.pk) not in newest]
        not_started.append(WorkStatus(item, missing, len(enrolled) - len(missing)))
    waiting = sum(1 for s in newest.values() if s.status == SubmissionStatus.SUBMITTED)
    to_grade = sum(1 for rows_ in attempts.values() for a in rows_ if a["needs_grading"])
    return CourseResults(
        students=rows,
        quizzes=quizzes,
        assignments=assignments,
        total=len(items),
        waiting=waiting,
        attempts_to_grade=to_grade,
        not_started=not_started,
        class_average=_round(sum(averages, Decimal(0)) / len(averages)) if averages else None,
    )


@dataclass
class QuestionStats:
    slot: QuizSlot
    label: str
    answers: int
    mean_points: Decimal | None
    facility: int | None  # mean fraction of the points, in %
    right_share: int | None  # share of answers with full marks, in %
    pending: int


def item_analysis(quiz: Quiz) -> tuple[int, list[QuestionStats]]:
    """Per question of a quiz, over finished attempts: answers, mean points, facility and share right. 3 queries."""
    finished = Attempt.objects.filter(quiz=quiz, state__in=FINISHED)
    attempt_count = finished.count()
    stats = {
        row["slot"]: row
        for row in AttemptAnswer.objects.filter(attempt__in=finished)
        .values("slot")
        .annotate(
            n=Count("pk", filter=Q(needs_grading=False)),
            mean_points=Avg("points", filter=Q(needs_grading=False)),
            mean_fraction=Avg("fraction", filter=Q(needs_grading=False)),
            right=Count("pk", filter=Q(needs_grading=False, fraction__gte=1)),
            pending=Count("pk", filter=Q(needs_grading=True)),
        )
    }
    result = []
    for slot in (
        QuizSlot.objects.filter(quiz=quiz).select_related("version", "draw_category", "paper").order_by("order", "pk")
    ):
        row = stats.get(slot.pk, {})
        n = row.get("n", 0)
        if slot.version_id:
            label = slot.version.name or slot.version.plain_text[:80]
        else:
            label = str(slot.draw_category)
        result.append(
            QuestionStats(
                slot=slot,
                label=label,
                answers=n,
                mean_points=_round(Decimal(row["mean_points"])) if n and row.get("mean_points") is not None else None,
                facility=round(100 * row["mean_fraction"]) if n and row.get("mean_fraction") is not None else None,
                right_share=_percent(row["right"], n) if n else None,
                pending=row.get("pending", 0),
            )
        )
    return attempt_count, result


# --- School administrators ------------------------------------------------------------------------


def overview_roots(user) -> list[Organisation]:
    """The organisations whose figures the user may see: the subtrees they administer (all, for a superuser)."""
    if user.is_superuser:
        return list(Organisation.get_root_nodes())
    return access.administered_roots(user)


def delivered_lessons(now) -> QuerySet[Item]:
    """Lessons delivered online: visible lesson items already available, completed by at least one student."""
    return Item.objects.filter(
        Q(available_from__isnull=True) | Q(available_from__lte=now),
        kind=ItemKind.LESSON,
        is_visible=True,
        course__archived=False,
    ).filter(Exists(Completion.objects.filter(item=OuterRef("pk"))))


@dataclass
class LevelRow:
    level: Level
    lessons: int = 0
    pairs_total: int = 0
    pairs_online: int = 0

    @property
    def share(self) -> int:
        return _percent(self.pairs_online, self.pairs_total)


@dataclass
class Overview:
    org: Organisation
    school_year: str | None
    schools: int
    active_courses: int
    students: int
    lessons: int
    levels: list[LevelRow]
    pairs_total: int
    pairs_online: int
    attempts_7: int
    attempts_30: int
    submissions_7: int
    submissions_30: int
    school_rows: list = field(default_factory=list)

    @property
    def share(self) -> int:
        return _percent(self.pairs_online, self.pairs_total)


SCHOOL_ROWS_LIMIT = 200


def overview(org: Organisation, *, school_year: str | None = None, now=None) -> Overview:
    """Online activity of the schools under ``org`` (``org`` itself if it is a school). A fixed number of queries."""
    now = now or timezone.now()
    under = Q(path__startswith=org.path)
    schools = Organisation.objects.filter(under, unit_type__is_school=True)
    courses = Course.objects.filter(school__in=schools, archived=False)
    classes = SchoolClass.objects.filter(school__in=schools)
    if school_year is None:
        school_year = classes.order_by("-school_year").values_list("school_year", flat=True).first()
    active = courses.filter(Exists(Enrolment.objects.filter(course=OuterRef("pk"), is_active=True)))
    students = Enrolment.objects.filter(course__in=courses, is_active=True).values("student").distinct().count()
    lessons = delivered_lessons(now).filter(course__school__in=schools)
    levels = {level.pk: LevelRow(level) for level in Level.objects.order_by("order")}
    for row in lessons.values("course__offering__grade__level").annotate(n=Count("pk")):
        levels[row["course__offering__grade__level"]].lessons = row["n"]
    # The Decision 131 KPI: (class, compulsory subject) pairs of the school year taught online.
    compulsory = dict(
        SubjectOffering.objects.filter(kind=OfferingKind.COMPULSORY)
        .values("grade")
        .annotate(n=Count("pk"))
        .values_list("grade", "n")
    )
    for row in classes.filter(school_year=school_year).values("grade", "grade__level").annotate(n=Count("pk")):
        levels[row["grade__level"]].pairs_total += row["n"] * compulsory.get(row["grade"], 0)
    online_pairs = (
        courses.filter(
            school_year=school_year,
            school_class__school_year=school_year,
            offering__kind=OfferingKind.COMPULSORY,
            pk__in=lessons.values("course"),
        )
        .values_list("school_class", "offering__subject", "offering__grade__level")
        .distinct()
    )
    for _class, _subject, level in online_pairs:
        levels[level].pairs_online += 1
    attempts = Attempt.objects.filter(quiz__item__course__school__in=schools).aggregate(
        d7=Count("pk", filter=Q(started_at__gte=now - timedelta(days=7))),
        d30=Count("pk", filter=Q(started_at__gte=now - timedelta(days=30))),
    )
    submissions = Submission.objects.filter(assignment__item__course__school__in=schools).aggregate(
        d7=Count("pk", filter=Q(submitted_at__gte=now - timedelta(days=7))),
        d30=Count("pk", filter=Q(submitted_at__gte=now - timedelta(days=30))),
    )
    shown_levels = [row for row in levels.values() if row.lessons or row.pairs_total or row.pairs_online]
    result = Overview(
        org=org,
        school_year=school_year,
        schools=schools.count(),
        active_courses=active.count(),
        students=students,
        lessons=sum(row.lessons for row in shown_levels),
        levels=shown_levels,
        pairs_total=sum(row.pairs_total for row in shown_levels),
        pairs_online=sum(row.pairs_online for row in shown_levels),
        attempts_7=attempts["d7"],
        attempts_30=attempts["d30"],
        submissions_7=submissions["d7"],
        submissions_30=submissions["d30"],
    )
    if not org.is_school:
        result.school_rows = list(
            schools.annotate(
                active_courses=_count_subquery(active.filter(school=OuterRef("pk")), "school"),
                lessons=_count_subquery(lessons.filter(course__school=OuterRef("pk")), "course__school"),
                attempts_30=_count_subquery(
                    Attempt.objects.filter(
                        quiz__item__course__school=OuterRef("pk"), started_at__gte=now - timedelta(days=30)
                    ),
                    "quiz__item__course__school",
                ),
            ).order_by("name")[:SCHOOL_ROWS_LIMIT]
        )
    return result
