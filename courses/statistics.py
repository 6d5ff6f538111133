"""Per-question statistics back to the bank: facility and discrimination of each question version.

From finished attempts that are fully graded (no essay still waiting), every answer to a version gives one
record for ``question_bank.statistics``: the question's score and the attempt's total, both in the units of
the version's default mark (a quiz may give the question other points; the scale does not change the
correlation, and facility is the mean fraction). Versions are counted across every quiz that used them.

Updated after a teacher grades an essay and after a regrade; ``manage.py quiz_statistics`` recomputes them
all (run it nightly, or after many attempts were submitted: automatic grading at submit does not, so a
school's exam start is not slowed down).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Q

from courses.models.quiz import FINISHED, Attempt, AttemptAnswer, QuizSlot
from question_bank.models import QuestionVersion
from question_bank.statistics import record_statistics

log = logging.getLogger(__name__)


def _records(version_ids: set[int] | None) -> dict[int, list[tuple[Decimal, Decimal]]]:
    """version id → [(attempt total, question score)] scaled to the version's default mark."""
    attempts = Attempt.objects.filter(state__in=FINISHED, needs_grading=False, score__isnull=False)
    if version_ids is not None:
        quizzes = QuizSlot.objects.filter(Q(version_id__in=version_ids) | Q(draw_category__isnull=False)).values(
            "quiz_id"
        )
        attempts = attempts.filter(quiz_id__in=quizzes)
    attempts = list(attempts.only("pk", "score", "variant"))
    wanted: dict[int, list[tuple[Attempt, int]]] = defaultdict(list)  # version → [(attempt, slot)]
    for attempt in attempts:
        for entry in attempt.variant:
            if version_ids is None or entry["version"] in version_ids:
                wanted[entry["version"]].append((attempt, entry["slot"]))
    if not wanted:
        return {}
    by_attempt = {a.pk: a for a in attempts}
    answers = {
        (a.attempt_id, a.slot_id): a
        for a in AttemptAnswer.objects.filter(attempt_id__in=list(by_attempt)).only(
            "attempt_id", "slot_id", "fraction", "points"
        )
    }
    points = dict(
        QuizSlot.objects.filter(pk__in={s for rows in wanted.values() for _a, s in rows}).values_list("pk", "points")
    )
    versions = QuestionVersion.objects.in_bulk(list(wanted))
    out: dict[int, list[tuple[Decimal, Decimal]]] = {}
    for vid, rows in wanted.items():
        version = versions.get(vid)
        if version is None:
            continue
        mark = Decimal(str(version.content.default_mark or 1))
        records = []
        for attempt, slot_id in rows:
            answer = answers.get((attempt.pk, slot_id))
            slot_points = points.get(slot_id) or Decimal(0)
            if answer is None or answer.fraction is None or not slot_points:
                continue
            scale = mark / slot_points
            records.append((attempt.score * scale, answer.fraction * mark))
        out[vid] = records
    return out


def update_statistics(version_ids: Iterable[int] | None = None) -> int:
    """Recompute the bank's statistics of these versions (all used versions if None); how many were written."""
    ids = None if version_ids is None else {int(v) for v in version_ids}
    if ids is not None and not ids:
        return 0
    records = _records(ids)
    versions = QuestionVersion.objects.in_bulk(list(records))
    for vid, rows in records.items():
        record_statistics(versions[vid], rows)
    log.info("question statistics updated", extra={"versions": len(records)})
    return len(records)


def versions_of_quiz(quiz) -> set[int]:
    """Every version frozen in the quiz's attempts (drawn ones included)."""
    return {e["version"] for variant in quiz.attempts.values_list("variant", flat=True) for e in variant}
