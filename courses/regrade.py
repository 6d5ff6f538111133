"""Regrade a quiz question after its question was fixed in the bank.

``regrade_slot`` switches one slot to another version of the same question — by default the question's newest
approved version, or any version the teacher chooses — rewrites the version in every attempt's frozen variant
for that slot, and regrades every finished attempt with it (in-progress attempts are graded with it at
submit). The option order a student saw is kept; when the fixed version has a different number of options
the old order no longer applies, and the regrade is refused (make a new quiz question instead).

Answers graded by hand (essays) keep the teacher's points. Each attempt's old and new total is recorded in
Wagtail's log (``courses.attempt.regrade``) and returned in the report; nothing changes half-way (one
transaction). The bank's statistics of the old and new versions are recomputed afterwards.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log as audit

from courses import attempts as engine
from courses.models.quiz import FINISHED, Attempt, AttemptAnswer, QuizSlot
from lms import access
from question_bank.models import QuestionStatus, QuestionVersion
from question_bank.types import get_type

log = logging.getLogger(__name__)
TWO_PLACES = Decimal("0.01")


class RegradeError(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass
class Change:
    attempt: Attempt
    old_score: Decimal | None
    new_score: Decimal | None


@dataclass
class RegradeReport:
    regraded: int = 0  # finished attempts looked at
    changes: list[Change] = field(default_factory=list)  # those whose total changed
    switched: int = 0  # attempts whose frozen version was replaced (in progress included)

    @property
    def changed(self) -> int:
        return len(self.changes)


def _option_count(version: QuestionVersion) -> int:
    data = version.content
    if data.qtype in engine.CHOICE_TYPES:
        return len(data.answers)
    if data.qtype == "ordering":
        return len(data.option("items", ()) or ())
    return 0


def newest_approved(question) -> QuestionVersion | None:
    if question.status != QuestionStatus.APPROVED:
        return None
    return question.current_version


def target_versions(slot: QuizSlot) -> list[QuestionVersion]:
    """The versions a manager may regrade this (fixed-version) slot with: every version of its question."""
    if slot.version_id is None:
        return []
    return list(slot.version.question.versions.order_by("-number"))


def _target_for(entry_version: QuestionVersion, chosen: QuestionVersion | None) -> QuestionVersion | None:
    if chosen is not None:
        return chosen
    return newest_approved(entry_version.question)


@transaction.atomic
def regrade_slot(*, actor, slot: QuizSlot, version: QuestionVersion | None = None) -> RegradeReport:
    """Switch the slot (and every attempt's frozen copy) to ``version`` or the newest approved one, and regrade."""
    quiz = slot.quiz
    if not access.can(actor, "course.manage", quiz.item.course):
        raise PermissionDenied(f"{actor} may not regrade {quiz!r}")
    slot = QuizSlot.objects.select_for_update(of=("self",)).select_related("version__question").get(pk=slot.pk)
    if version is not None:
        if slot.version_id is None or version.question_id != slot.version.question_id:
            raise RegradeError(_("Choose a version of this slot's question."))
    elif slot.version_id is not None and newest_approved(slot.version.question) is None:
        raise RegradeError(_("This question is not approved in the bank now; approve the fixed version first."))
    attempts = list(Attempt.objects.select_for_update().filter(quiz=quiz).order_by("pk"))
    frozen = QuestionVersion.objects.select_related("question__current_version").in_bulk(
        {e["version"] for a in attempts for e in a.variant if e["slot"] == slot.pk} | {slot.version_id or 0}
    )
    report = RegradeReport()
    if slot.version_id is not None:
        new_slot_version = _target_for(slot.version, version)
        _check_compatible(slot.version, new_slot_version)
        if new_slot_version.pk != slot.version_id:
            slot.version = new_slot_version
            slot.save(update_fields=["version"])
    now = timezone.now()
    for attempt in attempts:
        entry = next((e for e in attempt.variant if e["slot"] == slot.pk), None)
        if entry is None:
            continue
        old = frozen[entry["version"]]
        new = _target_for(old, version)
        if new is None:
            continue  # a drawn question no longer approved: keep what the student had
        _check_compatible(old, new)
        if new.pk != old.pk:
            entry["version"] = new.pk
            attempt.save(update_fields=["variant"])
            report.switched += 1
        if attempt.state not in FINISHED:
            continue
        report.regraded += 1
        old_score = attempt.score
        _regrade_answer(attempt, slot, entry, new, now)
        rows = list(attempt.answers.all())
        attempt.score = sum((a.points or Decimal(0) for a in rows), Decimal(0)).quantize(
            TWO_PLACES, rounding=ROUND_HALF_UP
        )
        attempt.needs_grading = any(a.needs_grading for a in rows)
        attempt.save(update_fields=["score", "needs_grading"])
        if attempt.score != old_score:
            report.changes.append(Change(attempt, old_score, attempt.score))
            audit(
                attempt,
                "courses.attempt.regrade",
                user=actor,
                data={
                    "slot": slot.pk,
                    "old_version": old.pk,
                    "new_version": new.pk,
                    "old_score": None if old_score is None else str(old_score),
                    "new_score": str(attempt.score),
                },
            )
    log.info(
        "quiz slot regraded",
        extra={"slot": slot.pk, "regraded": report.regraded, "changed": report.changed, "switched": report.switched},
    )
    versions = {v.pk for v in frozen.values()} | {slot.version_id} - {None}

    def refresh():
        from courses.statistics import update_statistics

        update_statistics(versions | {e["version"] for a in attempts for e in a.variant if e["slot"] == slot.pk})

    transaction.on_commit(refresh)
    return report


def _check_compatible(old: QuestionVersion, new: QuestionVersion) -> None:
    if new.qtype != old.qtype and (old.qtype in engine.CHOICE_TYPES or new.qtype in engine.CHOICE_TYPES):
        raise RegradeError(_("The fixed version has another question type; regrading would misread the answers."))
    if _option_count(old) != _option_count(new):
        raise RegradeError(
            _("The fixed version has a different number of options, so the students' answers cannot be mapped to it.")
        )


def _regrade_answer(attempt: Attempt, slot: QuizSlot, entry: dict, version: QuestionVersion, now) -> None:
    answer = AttemptAnswer.objects.filter(attempt=attempt, slot=slot).first()
    if answer is None:
        answer = AttemptAnswer(attempt=attempt, slot=slot, response=None, seq=0, saved_at=now)
    if get_type(version.qtype).manual and not answer.needs_grading and answer.points is not None:
        if answer.response not in (None, ""):
            return  # a teacher's points stay
    fraction, points, manual, feedback = engine.grade_answer(
        version.content, entry["order"], answer.response, slot.points
    )
    if manual and answer.response in (None, ""):
        fraction, points, manual = Decimal(0), Decimal(0), False
    answer.fraction, answer.points, answer.needs_grading, answer.feedback = fraction, points, manual, feedback
    answer.save()
