"""What each kind of course item does, registered by kind: the one place to add a new kind.

A kind says how a student sees it (template and context), whether the student marks it done by hand or
completes it by doing it, and what a teacher edits. The quiz engine registers "quiz" here with its own model
(one-to-one with ``Item``, as ``Assignment`` is) and adds the choice to ``ItemKind``; views need no change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class KindBehaviour:
    slug: str
    label: Any
    template: str  # the student's page for the item
    manual_completion: bool  # the student marks it done (a lesson) or doing it completes it (an assignment)
    context: Callable[[Any, Any], dict]  # (request, item) → extra template context


_KINDS: dict[str, KindBehaviour] = {}


def register(behaviour: KindBehaviour) -> KindBehaviour:
    if behaviour.slug in _KINDS:
        raise ValueError(f"Item kind {behaviour.slug!r} is already registered.")
    _KINDS[behaviour.slug] = behaviour
    return behaviour


def behaviour(slug: str) -> KindBehaviour:
    return _KINDS[slug]


def registered() -> list[KindBehaviour]:
    return list(_KINDS.values())


def _lesson_context(request, item) -> dict:
    material = item.material.specific if item.material_id else None
    return {"material": material, "body": getattr(material, "body", None)}


def _assignment_context(request, item) -> dict:
    from courses.forms import SubmissionForm
    from courses.services import may_submit, student_submissions

    assignment = item.assignment
    allowed, reason = may_submit(request.user, assignment)
    return {
        "assignment": assignment,
        "submissions": student_submissions(request.user, assignment),
        "may_submit": allowed,
        "why_not": reason,
        "form": SubmissionForm(assignment=assignment),
    }


register(
    KindBehaviour(
        slug="lesson",
        label=_("Lesson from the library"),
        template="courses/items/lesson.html",
        manual_completion=True,
        context=_lesson_context,
    )
)
register(
    KindBehaviour(
        slug="assignment",
        label=_("Assignment"),
        template="courses/items/assignment.html",
        manual_completion=False,
        context=_assignment_context,
    )
)


def _quiz_context(request, item) -> dict:
    from courses.api import quiz_item_context

    return quiz_item_context(request, item)


register(
    KindBehaviour(
        slug="quiz",
        label=_("Quiz"),
        template="courses/quiz_item.html",
        manual_completion=False,
        context=_quiz_context,
    )
)
