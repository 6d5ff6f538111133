"""What a teacher reads: translated labels of formats and translated findings.

The engine's findings carry an English ``message`` for logs and the command line; the UI
shows :func:`describe` instead (gettext, Vietnamese first). Only Django's translation
functions are used here, no models.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext_lazy

from question_bank.blueprint.checks import Finding
from question_bank.blueprint.matrix import ESSAY, MC, SHORT, TF, Blueprint

FORMAT_LABELS: Mapping[str, str] = {
    MC: gettext_lazy("Multiple choice"),
    TF: gettext_lazy("True–False"),
    SHORT: gettext_lazy("Short answer"),
    ESSAY: gettext_lazy("Essay"),
}

MESSAGES: Mapping[str, str] = {
    "blueprint.no_rows": gettext_lazy("The blueprint has no topics."),
    "blueprint.no_levels": gettext_lazy("The blueprint has no cognitive levels."),
    "blueprint.no_formats": gettext_lazy("The blueprint has no question formats."),
    "blueprint.duplicate_row": gettext_lazy("A topic appears twice."),
    "blueprint.duplicate_level": gettext_lazy("A cognitive level appears twice."),
    "blueprint.total_invalid": gettext_lazy("The paper's total points must be a number greater than 0."),
    "blueprint.tf_scoring_invalid": gettext_lazy(
        "The True–False scoring table needs one value between 0 and 1 for each number of correct statements."
    ),
    "blueprint.points_mismatch": gettext_lazy("The cells add up to %(sum)s points instead of %(total)s."),
    "blueprint.empty": gettext_lazy("No cell asks for any question."),
    "cell.unknown_row": gettext_lazy("This cell belongs to a topic that is not in the blueprint."),
    "cell.unknown_level": gettext_lazy("This cell belongs to a cognitive level that is not in the blueprint."),
    "cell.unknown_format": gettext_lazy("This cell uses a question format the paper does not have."),
    "cell.count_invalid": gettext_lazy("The number of questions must be a whole number, 0 or more."),
    "cell.points_invalid": gettext_lazy("The points must be a number, 0 or more."),
    "cell.points_without_items": gettext_lazy("The cell has %(points)s points but no questions."),
    "cell.items_without_points": gettext_lazy("The cell has %(count)s questions but no points."),
    "cell.points_not_divisible": gettext_lazy(
        "%(points)s points cannot be shared equally between %(count)s questions (to 0.01 point)."
    ),
    "cell.tf_points": gettext_lazy(
        "%(points)s points for %(count)s True–False questions (%(statements)s statements) gives %(each)s "
        "per question, which cannot be split by the scoring table for 4 statements. Use 1 point per question."
    ),
    "cell.short_of_questions": gettext_lazy(
        "Needs %(needed)s different questions but the bank has only %(available)s approved ones."
    ),
    "cell.short_for_variants": gettext_lazy(
        "%(variants)s variants using each question at most %(max_uses)s times need %(needed)s questions; "
        "the bank has %(available)s."
    ),
    "cell.shared_by_all": gettext_lazy(
        "The bank has exactly %(count)s questions here: every variant uses all of them, in a different order."
    ),
    "candidate.tf_statements": gettext_lazy(
        "Question %(question)s has %(statements)s statements instead of 4 and is not used."
    ),
    "candidate.too_few_options": gettext_lazy("Question %(question)s has fewer than two answers and is not used."),
    "candidate.no_key": gettext_lazy("Question %(question)s has no answer key that fits its options and is not used."),
    "variants.invalid": gettext_lazy("The number of variants must be a whole number, 1 or more."),
    "variants.too_many": gettext_lazy("At most %(max)s variants can be made at once."),
    "variants.max_uses_invalid": gettext_lazy("The number of uses per question must be a whole number, 1 or more."),
    "variants.not_distinct": gettext_lazy(
        "Variants %(codes)s repeat an earlier variant: the paper has too few questions to shuffle."
    ),
}


def describe(finding: Finding) -> str:
    """The finding in the user's language (its English message if the code is unknown)."""
    template = MESSAGES.get(finding.code)
    if template is None:
        return finding.message
    try:
        return str(template) % dict(finding.params) if finding.params else str(template)
    except (KeyError, TypeError, ValueError):
        return str(template)


def where(finding: Finding, bp: Blueprint) -> str:
    """Where the finding is: "topic · level · format", or "" for the whole paper."""
    if finding.cell is None:
        return ""
    row = bp.row(finding.row)
    level = bp.level(finding.level)
    parts = [
        row.label if row else finding.row,
        level.label if level else finding.level,
        str(FORMAT_LABELS.get(finding.format, finding.format)),
    ]
    return " · ".join(p for p in parts if p)


def format_label(fmt: str) -> str:
    return str(FORMAT_LABELS.get(fmt, fmt))
