"""Building a quiz: its settings and questions, for course managers (pages: courses/views/quiz_builder.py).

Rules
-----
* Only a course manager (``course.manage``) builds; everything else raises ``PermissionDenied``.
* Questions come from the bank, only the current versions of approved questions the teacher may use
  (``question_bank.services.approved_versions(user=…)``): picked one by one, drawn at random from a
  category (optionally with tags; each slot draws one when an attempt starts), or copied from one variant
  (mã đề) of a blueprint's generated paper set with the variant's points, or as a whole paper set (bộ mã đề):
  every variant becomes slots tagged with their paper, and each attempt gets one variant
  (``courses.variant_sets``). A quiz holds one set or ordinary questions, never both; the set's slots are
  added and removed together (their points come from the blueprint).
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


def uses_set(quiz: Quiz) -> bool:
    return quiz.slots.exclude(paper=None).exists()


def _require_no_set(quiz: Quiz) -> None:
    if uses_set(quiz):
        raise BuilderError(
            _(
                "This quiz uses a variant set (each student gets one paper code), so other questions cannot be "
                "added. Remove the set first."
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
    _require_no_set(quiz)
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
    _require_no_set(quiz)
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

    Every student gets this variant's questions (in their own shuffled order if the quiz shuffles); for one
    variant per attempt, add the whole set (``add_paper_set``).
    """
    from question_bank.models import QuestionVersion

    _require(actor, quiz)
    _require_unlocked(quiz)
    _require_no_set(quiz)
    if paper is None or not papers_for(actor).filter(pk=paper.pk).exists():
        raise BuilderError(_("Choose a variant of a blueprint you may open."))
    items = paper.data.get("items", [])
    existing = QuestionVersion.objects.in_bulk([i["id"] for i in items])
    if len(existing) != len({i["id"] for i in items}) or not items:
        raise BuilderError(_("This variant refers to questions that no longer exist."))
    return [_append(quiz, version_id=i["id"], points=Decimal(str(i["points"]))) for i in items]


def paper_sets_for(actor):
    """Generated paper sets of the blueprints the teacher may open, with their number of variants."""
    from django.db.models import Count

    from question_bank.blueprint.db import blueprints_visible_to
    from question_bank.models import GeneratedPaperSet

    return (
        GeneratedPaperSet.objects.filter(blueprint__in=blueprints_visible_to(actor))
        .select_related("blueprint")
        .annotate(variants=Count("papers"))
        .filter(variants__gt=0)
        .order_by("-created_at", "-pk")
    )


@transaction.atomic
def add_paper_set(*, actor, quiz: Quiz, paper_set) -> list[QuizSlot]:
    """Copy every variant of the set (questions and points, in each variant's order) as slots tagged with
    their paper; each attempt then gets one variant. Refused for a quiz that already has questions."""
    from question_bank.models import QuestionVersion

    _require(actor, quiz)
    _require_unlocked(quiz)
    if paper_set is None or not paper_sets_for(actor).filter(pk=paper_set.pk).exists():
        raise BuilderError(_("Choose a paper set of a blueprint you may open."))
    if quiz.slots.exists():
        raise BuilderError(
            _(
                "A variant set can only be added to a quiz without questions: each student gets one paper code "
                "and nothing else. Remove the questions first, or make another quiz."
            )
        )
    papers = list(paper_set.papers.order_by("code"))
    wanted = {i["id"] for p in papers for i in p.data.get("items", [])}
    existing = QuestionVersion.objects.in_bulk(list(wanted))
    if len(existing) != len(wanted) or any(not p.data.get("items") for p in papers):
        raise BuilderError(_("This paper set refers to questions that no longer exist."))
    slots = [
        QuizSlot(quiz=quiz, order=n, version_id=i["id"], points=Decimal(str(i["points"])), paper=p)
        for n, (p, i) in enumerate(((p, i) for p in papers for i in p.data["items"]), start=1)
    ]
    return QuizSlot.objects.bulk_create(slots)


@transaction.atomic
def remove_paper_set(*, actor, quiz: Quiz) -> int:
    """Remove the set's slots (all variants at once); how many slots went."""
    _require(actor, quiz)
    _require_unlocked(quiz)
    removed, _detail = quiz.slots.exclude(paper=None).delete()
    return removed


def _slot(quiz: Quiz, slot_id) -> QuizSlot:
    try:
        slot = quiz.slots.get(pk=slot_id)
    except (QuizSlot.DoesNotExist, ValueError, TypeError):
        raise BuilderError(_("This question is no longer in the quiz.")) from None
    if slot.paper_id:
        raise BuilderError(
            _("This question belongs to a variant set: its points come from the blueprint; remove the whole set.")
        )
    return slot


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
    slot = _slot(quiz, slot_id)
    slots = list(quiz.slots.select_for_update())
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
    "questions_per_page",
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
    """What one attempt is out of: all the slots, or for a set quiz the largest variant total."""
    per_paper: dict[int | None, Decimal] = {}
    for paper_id, points in quiz.slots.values_list("paper_id", "points"):
        per_paper[paper_id] = per_paper.get(paper_id, Decimal(0)) + points
    if not per_paper:
        return Decimal(0)
    common = per_paper.pop(None, Decimal(0))
    return common + max(per_paper.values(), default=Decimal(0))
