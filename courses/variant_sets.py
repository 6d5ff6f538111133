"""A quiz built from a blueprint's whole paper set (bộ mã đề): one variant per attempt.

Rules
-----
* The builder (``courses.quiz_builder.add_paper_set``) copies every variant of the set as slots tagged with
  their ``GeneratedPaper`` (``QuizSlot.paper``), each with the variant's points, in the variant's order. A quiz
  holds either one set or ordinary slots, never both (refused with a message), so every slot of a set quiz
  belongs to exactly one variant.
* When an attempt starts, ``slots_for_attempt`` (called by ``attempts.freeze_variant``) picks the variant with
  the fewest attempts so far (ties at random) and keeps only its slots; the attempt then freezes them like any
  slot, and its ``max_score`` is that variant's total. The choice costs one query whatever the number of
  attempts or slots: attempts are counted grouped by the slot shown first (``variant[0].slot``), which belongs
  to the attempt's variant.
* Simultaneous starts see the same counts, so at the very start of an exam the spread is random among the
  least used variants; it evens out as attempts accumulate.
"""

from __future__ import annotations

import random
from collections import Counter

from django.db.models import Count

from courses.models.quiz import Attempt, Quiz, QuizSlot


def slots_for_attempt(quiz: Quiz, slots: list[QuizSlot], rng: random.Random) -> list[QuizSlot]:
    """The slots a new attempt gets: all of them, or for a set quiz those of the least used variant."""
    paper_of_slot = {s.pk: s.paper_id for s in slots if s.paper_id}
    if not paper_of_slot:
        return slots
    used = {paper: 0 for paper in paper_of_slot.values()} | _attempts_per_paper(quiz, paper_of_slot)
    fewest = min(used.values())
    chosen = rng.choice(sorted(p for p, n in used.items() if n == fewest))
    return [s for s in slots if s.paper_id in (None, chosen)]


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def paper_code(attempt: Attempt) -> str:
    """The variant code (mã đề) the attempt got, or "" when the quiz is not built from a set."""
    if not attempt.variant:
        return ""
    code = QuizSlot.objects.filter(pk=attempt.variant[0]["slot"]).values_list("paper__code", flat=True).first()
    return code or ""


def attempts_per_paper(quiz: Quiz) -> dict[int, int]:
    """Paper id → number of attempts that got it (for the builder). Two queries."""
    return _attempts_per_paper(quiz, dict(quiz.slots.exclude(paper=None).values_list("pk", "paper_id")))


def _attempts_per_paper(quiz: Quiz, paper_of_slot: dict[int, int]) -> dict[int, int]:
    out: Counter[int] = Counter()
    for row in Attempt.objects.filter(quiz=quiz).values("variant__0__slot").annotate(n=Count("pk")).order_by():
        paper = paper_of_slot.get(_int(row["variant__0__slot"]))
        if paper is not None:
            out[paper] += row["n"]
    return dict(out)
