"""The quiz attempt engine: start, save answers, submit, close at the deadline, and the quiz grade.

Rules
-----
* **Start** freezes the variant: the question version of every slot (a random slot draws an approved
  question from its category now), the order of questions (if shuffled) and of options. Refused when the
  quiz is not open, no attempts are left or the password is wrong. A student has at most one attempt in
  progress (a partial unique index), so two simultaneous "start" clicks give the same attempt.
* **Save** is idempotent and ordered by the client's sequence number: the row is updated only
  ``WHERE seq < new seq`` under a lock on the attempt, so a resent save changes nothing and a stale save
  (from another tab or a late retry) never overwrites a newer one. Saves are refused once the deadline plus
  ``QUIZ_GRACE_SECONDS`` (setting, default 30) has passed; the attempt is then closed with what was saved.
* **Submit** grades every answer with the question bank's type rules (partial credit, the 2025 Đúng–Sai
  table); essays wait for a teacher (``needs_grading``). Submitting twice is harmless.
* **Close**: ``close_overdue`` (and the task ``close_overdue_attempts``) finishes attempts whose deadline
  plus grace has passed, graded with what was saved.
* Responses are stored as the student sent them, in *shown* positions; they are mapped back to the
  authored order only for grading, so the order the student saw never reveals the authored order.
"""

from __future__ import annotations

import json
import logging
import random
import time
from dataclasses import dataclass
from datetime import UTC, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Count, Exists, Max, OuterRef
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from courses import variant_sets
from courses.models import Completion, Item, ItemKind
from courses.models.quiz import (
    FINISHED,
    Attempt,
    AttemptAnswer,
    AttemptState,
    GradingMethod,
    Quiz,
    QuizSlot,
)
from lms import access
from lms.text import nfc
from question_bank.ir import QuestionData
from question_bank.models import QuestionVersion
from question_bank.types import get_type

log = logging.getLogger(__name__)
CHOICE_TYPES = ("single_choice", "multiple_choice")
TWO_PLACES = Decimal("0.01")


class AttemptError(Exception):
    """A refused action; ``code`` is stable for the API, the message is for people (translated)."""

    def __init__(self, code: str, message: Any):
        super().__init__(str(message))
        self.code = code
        self.message = message


def grace() -> timedelta:
    return timedelta(seconds=int(getattr(settings, "QUIZ_GRACE_SECONDS", 30)))


# --- Building a quiz ----------------------------------------------------------------------------


def create_quiz(*, actor, section, title: str, instructions: str = "", **settings_) -> Quiz:
    """A quiz item at the end of ``section`` (``course.manage`` checked by ``add_item``)."""
    from courses.services import add_item

    with transaction.atomic():
        item = add_item(actor=actor, section=section, kind=ItemKind.QUIZ, title=title, instructions=instructions)
        quiz = Quiz(item=item, **settings_)
        quiz.full_clean()
        quiz.save()
    return quiz


def add_question(*, quiz: Quiz, version: QuestionVersion | None = None, points=1, category=None, tags="") -> QuizSlot:
    last = quiz.slots.aggregate(m=Max("order"))["m"] or 0
    return QuizSlot.objects.create(
        quiz=quiz, version=version, points=Decimal(str(points)), draw_category=category, draw_tags=tags, order=last + 1
    )


# --- Windows and counts ---------------------------------------------------------------------------


def is_open(quiz: Quiz, now=None) -> bool:
    now = now or timezone.now()
    return not (quiz.opens_at and now < quiz.opens_at) and not (quiz.closes_at and now > quiz.closes_at)


def is_closed(quiz: Quiz, now=None) -> bool:
    now = now or timezone.now()
    return bool(quiz.closes_at and now > quiz.closes_at)


def attempts_left(quiz: Quiz, student) -> int | None:
    if not quiz.attempts_allowed:
        return None
    return max(0, quiz.attempts_allowed - Attempt.objects.filter(quiz=quiz, student=student).count())


# --- Start ----------------------------------------------------------------------------------------


def _draw(slot: QuizSlot, taken: set[int], rng: random.Random) -> QuestionVersion:
    from question_bank.models import Question, QuestionStatus

    questions = Question.objects.filter(
        status=QuestionStatus.APPROVED, category=slot.draw_category, current_version__isnull=False
    )
    for tag in [t.strip() for t in slot.draw_tags.split(",") if t.strip()]:
        questions = questions.filter(tags__name=tag)
    ids = [v for v in questions.values_list("current_version_id", flat=True).distinct() if v not in taken]
    if not ids:
        raise AttemptError("no_questions", _("This quiz has no questions to draw; tell your teacher."))
    return QuestionVersion.objects.get(pk=rng.choice(sorted(ids)))


def _option_order(quiz: Quiz, data: QuestionData, rng: random.Random) -> list[int]:
    if data.qtype in CHOICE_TYPES:
        order = list(range(len(data.answers)))
        if quiz.shuffle_options and data.option("shuffle", True):
            rng.shuffle(order)
        return order
    if data.qtype == "ordering":
        n = len(data.option("items", ()) or ())
        order = list(range(n))
        while n > 1 and order == list(range(n)):  # never show the items in the right order
            rng.shuffle(order)
        return order
    return []


def freeze_variant(quiz: Quiz, rng: random.Random | None = None) -> list[dict]:
    rng = rng or random.SystemRandom()
    slots = list(quiz.slots.select_related("version"))
    if not slots:
        raise AttemptError("no_questions", _("This quiz has no questions yet."))
    slots = variant_sets.slots_for_attempt(quiz, slots, rng)  # a set quiz: one variant (mã đề) per attempt
    if quiz.shuffle_questions:
        rng.shuffle(slots)
    variant, taken = [], {s.version_id for s in slots if s.version_id}
    for slot in slots:
        version = slot.version or _draw(slot, taken, rng)
        taken.add(version.pk)
        variant.append({"slot": slot.pk, "version": version.pk, "order": _option_order(quiz, version.content, rng)})
    return variant


def start_attempt(*, quiz: Quiz, student, password: str = "", now=None) -> Attempt:
    """The student's attempt in progress, or a new one (see the module docstring for refusals)."""
    now = now or timezone.now()
    current = Attempt.objects.filter(quiz=quiz, student=student, state=AttemptState.IN_PROGRESS).first()
    if current is not None:
        if close_if_overdue(current, now=now):
            current.refresh_from_db()
        else:
            return current
    if not is_open(quiz, now):
        raise AttemptError("closed", _("This quiz is not open now."))
    if quiz.password and nfc(password or "") != nfc(quiz.password):
        raise AttemptError("password", _("The quiz password is not right."))
    taken = Attempt.objects.filter(quiz=quiz, student=student).aggregate(count=Count("pk"), last=Max("number"))
    if quiz.attempts_allowed and taken["count"] >= quiz.attempts_allowed:
        raise AttemptError("no_attempts_left", _("You have no attempts left for this quiz."))
    variant = freeze_variant(quiz)
    deadline = None
    if quiz.time_limit_minutes:
        deadline = now + timedelta(minutes=quiz.time_limit_minutes)
    if quiz.closes_at:
        deadline = min(deadline, quiz.closes_at) if deadline else quiz.closes_at
    points = dict(quiz.slots.values_list("pk", "points"))
    number = (taken["last"] or 0) + 1
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                quiz=quiz,
                student=student,
                number=number,
                started_at=now,
                deadline=deadline,
                variant=variant,
                max_score=sum((points[v["slot"]] for v in variant), Decimal(0)),
            )
    except IntegrityError:  # a simultaneous start of the same student won
        attempt = Attempt.objects.filter(quiz=quiz, student=student, state=AttemptState.IN_PROGRESS).first()
        if attempt is None:
            raise
        return attempt
    if deadline is not None:
        transaction.on_commit(lambda: schedule_close(attempt.pk, deadline + grace()))
    log.info("quiz attempt started", extra={"attempt": attempt.pk, "quiz": quiz.pk})
    return attempt


def schedule_close(attempt_id: int, when) -> None:
    """Ask the task backend to close the attempt at its deadline (when it can defer; the sweep catches the rest)."""
    backend = close_attempt.get_backend()
    if not backend.supports_defer:
        return
    close_attempt.using(run_after=when).enqueue(attempt_id)


# --- Save -----------------------------------------------------------------------------------------


@dataclass
class SaveResult:
    status: str  # "saved", "duplicate" (this seq was already saved), "stale" (a newer save is there)
    seq: int
    saved_at: Any


MAX_RESPONSE_CHARS = 20_000


def save_answer(*, attempt: Attempt | SaveTarget, slot_id: int, response: Any, seq: int, now=None) -> SaveResult:
    """Store ``response`` for the slot if ``seq`` is newer than what is stored (see the module docstring).

    On SQLite (the embedded mode) a write that meets another writer's lock is retried for up to ~5 s:
    SQLite has no row locks, and its busy timeout does not cover every case (shared-cache test databases).
    """
    return _retrying_locked(lambda: _save_answer(attempt=attempt, slot_id=slot_id, response=response, seq=seq, now=now))


def _retrying_locked(write):
    """``write()``, retried with backoff while SQLite reports its database locked (up to ~5 s)."""
    for wait in [0.01 * 2**i for i in range(9)] + [None]:
        try:
            return write()
        except OperationalError as exc:
            if wait is None or connection.vendor != "sqlite" or "locked" not in str(exc):
                raise
            time.sleep(wait)
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class SaveTarget:
    """What the save path needs of an attempt: its key and frozen variant (an ``Attempt`` also fits)."""

    pk: int
    variant: list


def save_target(uid, student, now=None) -> SaveTarget | None:
    """The student's own attempt, if they may still write to it, in one query (the hot path of an exam).

    They may while enrolled in the course and while the quiz item is visible and not past its "available
    until"; prerequisites and opening time were checked when the attempt started. Anyone else gets None.
    """
    now = now or timezone.now()
    from courses.models import Enrolment

    enrolled = Enrolment.objects.filter(course=OuterRef("quiz__item__course"), student=student, is_active=True)
    rows = list(
        Attempt.objects.filter(uid=uid, student=student, quiz__item__is_visible=True)
        .filter(Exists(enrolled))
        .exclude(quiz__item__available_until__lt=now)
        .values_list("pk", "variant")[:1]
    )
    return SaveTarget(*rows[0]) if rows else None


# The ordered write: one statement, kept only if the stored answer is older (see the module docstring).
# PostgreSQL and SQLite (3.24+) both understand it; it runs under the lock on the attempt row.
_UPSERT = (
    "INSERT INTO {answer} (attempt_id, slot_id, response, seq, saved_at, needs_grading, feedback) "
    "VALUES (%s, %s, %s, %s, %s, %s, '') "
    "ON CONFLICT (attempt_id, slot_id) DO UPDATE "
    "SET response = excluded.response, seq = excluded.seq, saved_at = excluded.saved_at "
    "WHERE {answer}.seq < excluded.seq"
)


def _lock_attempt(cursor, pk: int) -> tuple[str, Any]:
    """State and deadline of the attempt, locked until the transaction ends (SQLite locks the whole file)."""
    table = connection.ops.quote_name(Attempt._meta.db_table)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    cursor.execute(f"SELECT state, deadline FROM {table} WHERE id = %s{lock}", [pk])  # noqa: S608 (names are ours)
    row = cursor.fetchone()
    if row is None:
        raise AttemptError("finished", _("This attempt is already finished; the answer was not saved."))
    state, deadline = row
    return state, _aware(deadline)


def _aware(value):
    """A datetime read by a raw query: SQLite gives text or a naive datetime, in UTC."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value


def _checked(response: Any, seq: int) -> str:
    """The response as stored JSON, or a refusal for a bad sequence number or an oversized answer."""
    if isinstance(seq, bool) or not isinstance(seq, int) or not 0 < seq < 2**62:
        raise AttemptError("bad_seq", _("The answer could not be saved (bad sequence number)."))
    encoded = json.dumps(response, ensure_ascii=False)
    if len(encoded) > MAX_RESPONSE_CHARS:
        raise AttemptError("too_long", _("This answer is too long."))
    return encoded


def _write(cursor, *, pk: int, variant: list, state: str, deadline, slot_id: int, encoded: str, seq: int, now):
    """The ordered write on a locked attempt; None when the deadline (plus grace) has passed."""
    if slot_id not in {v["slot"] for v in variant}:
        raise AttemptError("bad_slot", _("This question is not part of the attempt."))
    if state != AttemptState.IN_PROGRESS:
        raise AttemptError("finished", _("This attempt is already finished; the answer was not saved."))
    if deadline and now > deadline + grace():
        return None
    answer_table = connection.ops.quote_name(AttemptAnswer._meta.db_table)
    saved_at = connection.ops.adapt_datetimefield_value(now)
    cursor.execute(_UPSERT.format(answer=answer_table), [pk, slot_id, encoded, seq, saved_at, False])
    if cursor.rowcount == 1:
        return SaveResult("saved", seq, now)
    current = AttemptAnswer.objects.filter(attempt_id=pk, slot_id=slot_id)
    current_seq, current_at = current.values_list("seq", "saved_at").get()
    return SaveResult("duplicate" if current_seq == seq else "stale", current_seq, current_at)


def _save_answer(*, attempt, slot_id: int, response: Any, seq: int, now=None) -> SaveResult:
    now = now or timezone.now()
    encoded = _checked(response, seq)
    if slot_id not in {v["slot"] for v in attempt.variant}:
        raise AttemptError("bad_slot", _("This question is not part of the attempt."))
    with transaction.atomic(), connection.cursor() as cursor:
        state, deadline = _lock_attempt(cursor, attempt.pk)
        result = _write(
            cursor,
            pk=attempt.pk,
            variant=attempt.variant,
            state=state,
            deadline=deadline,
            slot_id=slot_id,
            encoded=encoded,
            seq=seq,
            now=now,
        )
    if result is not None:
        return result
    close_if_overdue(attempt, now=now)
    raise AttemptError("time_up", _("Time is up: the answer arrived after the deadline and was not saved."))


# --- Save with the attempt's token (the exam's hot path) -------------------------------------------
#
# Starting or opening an attempt gives its student a signed token naming the attempt, the student and the
# attempt's questions. A save that carries it is one SQL statement, without the session: the ordered upsert
# whose SELECT checks what the session path checks (the student is active and enrolled, the quiz item is
# visible and available, the attempt is theirs, in progress and within its deadline plus grace) and holds a
# share lock on the attempt row, so a submit (which locks it for update) waits for the save or the save sees
# the submitted state. Only when nothing was written does a second query tell why. The token lets only its
# student write answers to that one attempt; it expires after SAVE_TOKEN_MAX_AGE and with the attempt. A
# save without a valid token falls back to the session.

SAVE_TOKEN_SALT = "courses.attempts.save"  # noqa: S105 (a namespace for the signature, not a secret)
SAVE_TOKEN_MAX_AGE = 12 * 3600


def save_token(attempt: Attempt) -> str:
    slots = [v["slot"] for v in attempt.variant]
    return signing.dumps([attempt.pk, attempt.student_id, slots], salt=SAVE_TOKEN_SALT, compress=True)


@dataclass(frozen=True)
class TokenClaims:
    attempt: int
    student: int
    slots: frozenset[int]


def read_save_token(token: str) -> TokenClaims | None:
    """What a valid, unexpired token names; None for anything else."""
    if not token or len(token) > 4000:
        return None
    try:
        claims = signing.loads(token, salt=SAVE_TOKEN_SALT, max_age=SAVE_TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    if not (isinstance(claims, list) and len(claims) == 3 and isinstance(claims[2], list)):
        return None
    pk, student, slots = claims
    if not all(type(v) is int for v in [pk, student, *slots]):
        return None
    return TokenClaims(pk, student, frozenset(slots))


def _writable_sql(select: str, *, also: str = "") -> str:
    """SELECT ``select`` of the attempt if its student may write to it now.

    Parameters: those of ``also`` (more conditions on the attempt ``a``), then id, uid, student, now.
    """
    q = connection.ops.quote_name
    from courses.models import Enrolment
    from lms.accounts.models import User

    return (
        f"SELECT {select} FROM {q(Attempt._meta.db_table)} a "  # noqa: S608 (names are ours)
        f"JOIN {q(Quiz._meta.db_table)} qz ON qz.id = a.quiz_id "
        f"JOIN {q(Item._meta.db_table)} i ON i.id = qz.item_id "
        f"JOIN {q(User._meta.db_table)} u ON u.id = a.student_id "
        f"WHERE {also}a.id = %s AND a.uid = %s AND a.student_id = %s AND u.is_active AND i.is_visible "
        "AND (i.available_until IS NULL OR i.available_until >= %s) "
        f"AND EXISTS (SELECT 1 FROM {q(Enrolment._meta.db_table)} e "
        "WHERE e.course_id = i.course_id AND e.student_id = a.student_id AND e.is_active)"
    )


def _token_upsert_sql() -> str:
    answer = connection.ops.quote_name(AttemptAnswer._meta.db_table)
    lock = " FOR SHARE OF a" if connection.features.has_select_for_update_of else ""
    select = _writable_sql(
        "a.id, %s, %s, %s, %s, %s, ''", also="a.state = %s AND (a.deadline IS NULL OR a.deadline >= %s) AND "
    )
    return (
        f"INSERT INTO {answer} (attempt_id, slot_id, response, seq, saved_at, needs_grading, feedback) "
        f"{select}{lock} "
        "ON CONFLICT (attempt_id, slot_id) DO UPDATE "
        "SET response = excluded.response, seq = excluded.seq, saved_at = excluded.saved_at "
        f"WHERE {answer}.seq < excluded.seq"
    )


def _prepared_cursor():
    """A cursor whose statements PostgreSQL plans once per connection (planning is most of the save's cost).

    Django's psycopg cursors bind parameters on the client, so they are never prepared; this one binds on
    the server and prepares when settings allow (``DATABASE_PREPARE_THRESHOLD``). Other engines, and
    PostgreSQL with preparing turned off, get the ordinary cursor. It is logged like any other.
    """
    if (
        connection.vendor != "postgresql"
        or connection.settings_dict.get("OPTIONS", {}).get("prepare_threshold") is None
    ):
        return connection.cursor()
    import psycopg

    connection.ensure_connection()
    raw = psycopg.Cursor(connection.connection)
    return connection.make_debug_cursor(raw) if connection.queries_logged else connection.make_cursor(raw)


def save_answer_with_token(*, claims: TokenClaims, uid, slot_id: int, response: Any, seq: int, now=None):
    """Like ``save_answer`` for the attempt a valid token names; None if that attempt is not writable (404)."""
    now = now or timezone.now()
    encoded = _checked(response, seq)
    if slot_id not in claims.slots:
        raise AttemptError("bad_slot", _("This question is not part of the attempt."))
    ops = connection.ops
    uid_value = Attempt._meta.get_field("uid").get_db_prep_value(uid, connection)
    who = [claims.attempt, uid_value, claims.student, ops.adapt_datetimefield_value(now)]
    params = [slot_id, encoded, seq, ops.adapt_datetimefield_value(now), False]
    params += [AttemptState.IN_PROGRESS.value, ops.adapt_datetimefield_value(now - grace()), *who]

    def write():
        with _prepared_cursor() as cursor:
            cursor.execute(_token_upsert_sql(), params)
            if cursor.rowcount == 1:
                return SaveResult("saved", seq, now)
            # Nothing written: say why (not writable, finished, late, or an older save).
            cursor.execute(_writable_sql("a.state, a.deadline"), who)
            return cursor.fetchone()

    row = _retrying_locked(write)
    if isinstance(row, SaveResult):
        return row
    if row is None:
        return None
    state, deadline = row[0], _aware(row[1])
    if state != AttemptState.IN_PROGRESS:
        raise AttemptError("finished", _("This attempt is already finished; the answer was not saved."))
    if deadline and now > deadline + grace():
        close_if_overdue(Attempt(pk=claims.attempt), now=now)
        raise AttemptError("time_up", _("Time is up: the answer arrived after the deadline and was not saved."))
    current = AttemptAnswer.objects.filter(attempt_id=claims.attempt, slot_id=slot_id)
    current_seq, current_at = current.values_list("seq", "saved_at").get()
    return SaveResult("duplicate" if current_seq == seq else "stale", current_seq, current_at)


# --- Grading --------------------------------------------------------------------------------------


def to_authored(data: QuestionData, order: list[int], response: Any) -> Any:
    """A response in shown positions → the authored indices the question type grades."""
    if not order or response is None:
        return response

    def back(i):
        return order[i] if isinstance(i, int) and not isinstance(i, bool) and 0 <= i < len(order) else -1

    if data.qtype == "single_choice":
        return back(response)
    if data.qtype in ("multiple_choice", "ordering") and isinstance(response, list):
        return [back(i) for i in response]
    return response


def _normalise_matching(response: Any) -> Any:
    if isinstance(response, dict):  # JSON keys are strings; the type wants sub-question indices
        out = {}
        for k, v in response.items():
            try:
                out[int(k)] = v
            except (TypeError, ValueError):
                continue
        return out
    return response


def grade_answer(data: QuestionData, order: list[int], response: Any, points: Decimal):
    """(fraction, points, needs_manual, feedback) for one answer."""
    qtype = get_type(data.qtype)
    if not qtype.gradable:
        return Decimal(0), Decimal(0), False, ""
    if qtype.manual:
        return None, None, True, ""
    if data.qtype in ("matching", "cloze"):
        response = _normalise_matching(response)
    grade = qtype.grade(data, to_authored(data, order, response))
    if grade.needs_manual:
        return None, None, True, grade.feedback
    return grade.fraction, grade.points(points), False, grade.feedback


def _finish(attempt: Attempt, state: str, now) -> None:
    """Grade and finish a locked attempt in progress."""
    slots = {s.pk: s for s in QuizSlot.objects.filter(pk__in=[v["slot"] for v in attempt.variant])}
    versions = QuestionVersion.objects.in_bulk([v["version"] for v in attempt.variant])
    answers = {a.slot_id: a for a in attempt.answers.all()}
    total, pending = Decimal(0), False
    for entry in attempt.variant:
        slot = slots[entry["slot"]]
        data = versions[entry["version"]].content
        answer = answers.get(slot.pk)
        if answer is None:
            answer = AttemptAnswer(attempt=attempt, slot=slot, response=None, seq=0, saved_at=now)
        fraction, points, manual, feedback = grade_answer(data, entry["order"], answer.response, slot.points)
        if manual and answer.response in (None, ""):
            fraction, points, manual = Decimal(0), Decimal(0), False  # nothing to grade
        answer.fraction, answer.points, answer.needs_grading, answer.feedback = fraction, points, manual, feedback
        answer.save()
        pending |= manual
        total += points or 0
    attempt.score = total.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
    attempt.needs_grading = pending
    attempt.state = state
    attempt.finished_at = now
    attempt.save(update_fields=["score", "needs_grading", "state", "finished_at"])
    Completion.objects.get_or_create(item=attempt.quiz.item, student=attempt.student)


def submit_attempt(*, attempt: Attempt, now=None) -> Attempt:
    now = now or timezone.now()
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().select_related("quiz__item", "student").get(pk=attempt.pk)
        if locked.state == AttemptState.IN_PROGRESS:
            late = locked.deadline and now > locked.deadline + grace()
            _finish(locked, AttemptState.CLOSED if late else AttemptState.SUBMITTED, now)
            log.info("quiz attempt finished", extra={"attempt": locked.pk, "state": locked.state})
    return locked


def close_if_overdue(attempt: Attempt, now=None) -> bool:
    """Finish an attempt whose deadline plus grace has passed, with what was saved. True if it did."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().select_related("quiz__item", "student").get(pk=attempt.pk)
        if locked.state != AttemptState.IN_PROGRESS or not locked.deadline or now <= locked.deadline + grace():
            return False
        _finish(locked, AttemptState.CLOSED, now)
    log.info("quiz attempt closed at its deadline", extra={"attempt": attempt.pk})
    return True


def close_overdue(now=None) -> int:
    """Close every attempt past its deadline plus grace; the number closed."""
    now = now or timezone.now()
    ids = Attempt.objects.filter(state=AttemptState.IN_PROGRESS, deadline__lt=now - grace()).values_list(
        "pk", flat=True
    )
    return sum(1 for pk in list(ids) if close_if_overdue(Attempt(pk=pk), now=now))


def grade_manually(*, actor, answer: AttemptAnswer, points, feedback: str = "") -> Attempt:
    """A teacher grades an essay answer; the attempt's score is recomputed."""
    attempt = answer.attempt
    if not access.can(actor, "course.manage", attempt.quiz.item.course):
        raise PermissionDenied(f"{actor} may not grade {attempt!r}")
    slot_points = answer.slot.points
    value = Decimal(str(points)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
    if not Decimal(0) <= value <= slot_points:
        raise AttemptError("bad_points", _("Give between 0 and %(max)s points.") % {"max": slot_points})
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        answer.points, answer.needs_grading, answer.feedback = value, False, feedback
        answer.fraction = (value / slot_points).quantize(Decimal("0.0000001")) if slot_points else Decimal(0)
        answer.save()
        rows = list(locked.answers.all())
        locked.score = sum((a.points or Decimal(0) for a in rows), Decimal(0))
        locked.needs_grading = any(a.needs_grading for a in rows)
        locked.save(update_fields=["score", "needs_grading"])
    return locked


# --- The quiz grade -------------------------------------------------------------------------------


def quiz_grade(quiz: Quiz, student) -> Decimal | None:
    """The student's grade out of ``quiz.max_grade`` by the grading method; None before a finished attempt."""
    finished = list(
        Attempt.objects.filter(quiz=quiz, student=student, state__in=FINISHED, score__isnull=False).order_by("number")
    )
    if not finished:
        return None

    def scaled(a: Attempt) -> Decimal:
        return (a.score / a.max_score * quiz.max_grade) if a.max_score else Decimal(0)

    method = quiz.grading_method
    if method == GradingMethod.FIRST:
        value = scaled(finished[0])
    elif method == GradingMethod.LAST:
        value = scaled(finished[-1])
    elif method == GradingMethod.AVERAGE:
        value = sum((scaled(a) for a in finished), Decimal(0)) / len(finished)
    else:
        value = max(scaled(a) for a in finished)
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def quiz_items_of(course) -> list[Item]:
    return list(course.items.filter(kind=ItemKind.QUIZ).select_related("quiz"))


# --- Tasks ----------------------------------------------------------------------------------------


@task()
def close_attempt(attempt_id: int) -> bool:
    """Close one attempt at its deadline (enqueued at start with ``run_after``); harmless if already finished."""
    attempt = Attempt.objects.filter(pk=attempt_id).first()
    return bool(attempt and close_if_overdue(attempt))


@task()
def close_overdue_attempts() -> int:
    """The sweep: close every overdue attempt (run it every minute; catches what a deferred task missed)."""
    return close_overdue()
