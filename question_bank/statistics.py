"""Statistics of a question version from its attempts, as Moodle's quiz statistics define them.

Input: one record per attempt, ``(attempt score, question score)`` — the attempt's total and
this question's points in it — and the question's maximum points.

* **Facility index** = mean question score ÷ maximum (0 = nobody scored, 1 = everybody full marks).
* **Discrimination index** = Pearson correlation between the question score and the score on
  the *rest of the test* (attempt score − question score), so the question is not correlated
  with itself. From −1 to 1; above 0.3 is usually taken as discriminating well. ``None`` when it
  is undefined: fewer than two attempts, or every attempt has the same question score or the
  same rest-of-test score.

Worked example (tests/question_bank/test_bank_statistics.py): attempts (10, 1), (8, 1), (6, 0),
(4, 0) on a 1-point question → facility 0.5; rest-of-test scores 9, 7, 6, 4; covariance sum 3,
squares 1 and 13 → discrimination 3 / √13 ≈ 0.8321.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction


@dataclass(frozen=True)
class Figures:
    attempts: int
    facility: float | None
    discrimination: float | None


def compute(records: Iterable[tuple[Decimal | float, Decimal | float]], max_points: Decimal | float) -> Figures:
    """Facility and discrimination from ``(attempt score, question score)`` records."""
    pairs = [(float(total), float(score)) for total, score in records]
    n = len(pairs)
    if n == 0:
        return Figures(0, None, None)
    scores = [s for _t, s in pairs]
    rest = [t - s for t, s in pairs]
    maximum = float(max_points)
    facility = (sum(scores) / n) / maximum if maximum > 0 else None
    discrimination = None
    if n >= 2:
        mean_s, mean_r = sum(scores) / n, sum(rest) / n
        cov = sum((s - mean_s) * (r - mean_r) for s, r in zip(scores, rest, strict=True))
        var_s = sum((s - mean_s) ** 2 for s in scores)
        var_r = sum((r - mean_r) ** 2 for r in rest)
        if var_s > 0 and var_r > 0:
            discrimination = cov / math.sqrt(var_s * var_r)
    return Figures(n, facility, discrimination)


def record_statistics(version, records: Iterable[tuple[Decimal | float, Decimal | float]]):
    """Compute and store a version's figures (replacing earlier ones); returns the row."""
    from question_bank.models import VersionStatistics

    figures = compute(records, version.content.default_mark)
    with transaction.atomic():
        row, _created = VersionStatistics.objects.update_or_create(
            version=version,
            defaults={
                "attempts": figures.attempts,
                "facility": figures.facility,
                "discrimination": figures.discrimination,
            },
        )
    return row
