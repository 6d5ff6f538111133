"""Building a quiz: its settings and questions, for course managers (pages: courses/views/quiz_builder.py).

Rules
-----
* Only a course manager (``course.manage``) builds; everything else raises ``PermissionDenied``.
* Questions come from the bank, only the current versions of approved questions the teacher may use
  (``question_bank.services.approved_versions(user=…)``): picked one by one, drawn at random from a
  category (optionally with tags; each slot draws one when an attempt starts), or copied from one variant
  (mã đề) of a blueprint's generated paper set with the variant's points.
* Once a student has started an attempt, the questions are frozen: adding, removing, reordering or
  changing points is refused (``BuilderError``). Settings (dates, time limit, review…) may still change, and
  a wrong question is fixed with a regrade (``courses.regrade``).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from courses.models.quiz import Attempt, Quiz, QuizSlot
from lms import access

MAX_POINTS = Decimal("100")


class BuilderError(Exception):
    """A refused change; the message is for people (translated)."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def _require(actor, quiz: Quiz) -> None:
    if not access.can(actor, "course.manage", quiz.item.course):
        raise PermissionDenied(f"{actor} may not build {quiz!r}")


def has_attempts(quiz: Quiz) -> bool:
    return Attempt.objects.filter(quiz=quiz).exists()


def _require_unlocked(quiz: Quiz) -> None:
    if has_attempts(quiz):
        raise BuilderError(
            _(
                "Students have already started this quiz, so its questions can no longer change. "
                "To fix a wrong question, use “Regrade”."
            )
        )


def parse_points(raw) -> Decimal:
    """Points from a form ("1,5" or "1.5"); ``BuilderError`` unless 0 < points ≤ 100 with 2 decimals at most."""
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise BuilderError(_("Points must be a number, for example 1 or 0,5.")) from None
    if not value.is_finite() or value <= 0 or value > MAX_POINTS or value != value.quantize(Decimal("0.01")):
        raise BuilderError(_("Points must be more than 0 and at most 100, with at most two decimals."))
    return value


def usable_versions(actor):
    from question_bank.services import approved_versions

    return approved_versions(user=actor)


def _append(quiz: Quiz, **fields) -> QuizSlot:
    last = quiz.slots.aggregate(m=Max("order"))["m"] or 0
    return QuizSlot.objects.create(quiz=quiz, order=last + 1, **fields)


@transaction.atomic
def add_versions(*, actor, quiz: Quiz, version_ids, points) -> list[QuizSlot]:
    """Add the picked versions (each once; ones already in the quiz are skipped) at the end."""
    _require(actor, quiz)
    _require_unlocked(quiz)
    points = parse_points(points)
    ids = [int(v) for v in dict.fromkeys(version_ids)]
    if not ids:
        raise BuilderError(_("Choose at least one question."))
    usable = set(usable_versions(actor).filter(pk__in=ids).values_list("pk", flat=True))
    if len(usable) != len(ids):
        raise BuilderError(_("Some of the chosen questions are not approved questions you may use."))
    present = set(quiz.slots.filter(version_id__in=ids).values_list("version_id", flat=True))
    return [_append(quiz, version_id=v, points=points) for v in ids if v not in present]


def categories_for(actor):
    """Categories holding approved questions the teacher may use (for random draws)."""
    from question_bank.access import questions_usable_by
    from question_bank.models import QuestionCategory

    ids = questions_usable_by(actor).values("category_id")
    return QuestionCategory.objects.filter(pk__in=ids).order_by("path")


def draw_pool_size(actor, category, tags: list[str]) -> int:
    from question_bank.access import questions_usable_by

    questions = questions_usable_by(actor).filter(category=category, current_version__isnull=False)
    for tag in tags:
        questions = questions.filter(tags__name=tag)
    return questions.distinct().count()


@transaction.atomic
def add_draw(*, actor, quiz: Quiz, category, tags: str = "", count: int = 1, points=1) -> list[QuizSlot]:
    """``count`` slots, each drawing a different approved question of the category (with all the tags)."""
    _require(actor, quiz)
    _require_unlocked(quiz)
    points = parse_points(points)
    if category is None or not categories_for(actor).filter(pk=category.pk).exists():
        raise BuilderError(_("Choose a category that holds approved questions you may use."))
    tag_list = [t.strip() for t in (tags or "").split(",") if t.strip()]
    if not 1 <= int(count) <= 100:
        raise BuilderError(_("Draw between 1 and 100 questions."))
    pool = draw_pool_size(actor, category, tag_list)
    already = quiz.slots.filter(draw_category=category, draw_tags=", ".join(tag_list)).count()
    if pool < int(count) + already:
        raise BuilderError(
            _("The category has only %(pool)s approved questions with these tags; %(wanted)s would be drawn.")
            % {"pool": pool, "wanted": int(count) + already}
        )
    return [
        _append(quiz, draw_category=category, draw_tags=", ".join(tag_list), points=points) for _ in range(int(count))
    ]


def papers_for(actor):
    """Generated variants (mã đề) of the blueprints the teacher may open."""
    from question_bank.blueprint.db import blueprints_visible_to
    from question_bank.models import GeneratedPaper

    return (
        GeneratedPaper.objects.filter(paper_set__blueprint__in=blueprints_visible_to(actor))
        .select_related("paper_set__blueprint")
        .order_by("-paper_set__created_at", "code")
    )


@transaction.atomic
def add_paper(*, actor, quiz: Quiz, paper) -> list[QuizSlot]:
    """Copy one variant's questions with their points, in the variant's order.

    The engine freezes one question version per slot, so every student gets this variant's questions (in
    their own shuffled order if the quiz shuffles); one variant per attempt is not supported yet.
    """
    from question_bank.models import QuestionVersion

    _require(actor, quiz)
    _require_unlocked(quiz)
    if paper is None or not papers_for(actor).filter(pk=paper.pk).exists():
        raise BuilderError(_("Choose a variant of a blueprint you may open."))
    items = paper.data.get("items", [])
    existing = QuestionVersion.objects.in_bulk([i["id"] for i in items])
    if len(existing) != len({i["id"] for i in items}) or not items:
        raise BuilderError(_("This variant refers to questions that no longer exist."))
    return [_append(quiz, version_id=i["id"], points=Decimal(str(i["points"]))) for i in items]


def _slot(quiz: Quiz, slot_id) -> QuizSlot:
    try:
        return quiz.slots.get(pk=slot_id)
    except (QuizSlot.DoesNotExist, ValueError, TypeError):
        raise BuilderError(_("This question is no longer in the quiz.")) from None


@transaction.atomic
def set_points(*, actor, quiz: Quiz, slot_id, points) -> QuizSlot:
    _require(actor, quiz)
    _require_unlocked(quiz)
    slot = _slot(quiz, slot_id)
    slot.points = parse_points(points)
    slot.save(update_fields=["points"])
    return slot


@transaction.atomic
def move_slot(*, actor, quiz: Quiz, slot_id, up: bool) -> None:
    _require(actor, quiz)
    _require_unlocked(quiz)
    slots = list(quiz.slots.select_for_update())
    slot = _slot(quiz, slot_id)
    index = next(i for i, s in enumerate(slots) if s.pk == slot.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(slots):
        slots[index], slots[other] = slots[other], slots[index]
    for number, s in enumerate(slots, start=1):
        if s.order != number:
            QuizSlot.objects.filter(pk=s.pk).update(order=number)


@transaction.atomic
def remove_slot(*, actor, quiz: Quiz, slot_id) -> None:
    _require(actor, quiz)
    _require_unlocked(quiz)
    _slot(quiz, slot_id).delete()


SETTINGS_FIELDS = (
    "opens_at",
    "closes_at",
    "time_limit_minutes",
    "attempts_allowed",
    "grading_method",
    "max_grade",
    "shuffle_questions",
    "shuffle_options",
    "review_after_submit",
    "review_after_close",
    "password",
)


@transaction.atomic
def update_settings(*, actor, quiz: Quiz, **fields) -> Quiz:
    _require(actor, quiz)
    for name, value in fields.items():
        if name not in SETTINGS_FIELDS:
            raise ValueError(f"not a quiz setting: {name}")
        setattr(quiz, name, value)
    quiz.full_clean()
    quiz.save()
    return quiz


def total_points(quiz: Quiz) -> Decimal:
    return sum((s.points for s in quiz.slots.all()), Decimal(0))
