"""Curriculum coverage (a Decision 131 KPI): per grade and subject, the share of GDPT 2018
topics — and required outcomes, where the tree has them — covered by at least one
approved material available to every learner of a unit.

"Available to every learner of the unit" means a live material whose audience is the
whole nation or the unit itself or one above it: for a school, materials shared with
the school, its commune, its province or the nation; for a province, with the province
or the nation; nationally, materials shared nationally. A material shared with one
school does not cover its province.

A top-level topic counts as covered when a material is tagged with it or with one of
its sub-topics. Counts are computed with a fixed number of queries whatever the size
of the library.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q

from lms.curriculum.models import Outcome, Topic
from lms.orgs.models import Organisation, ancestor_paths
from repository.models.materials import MaterialPage


@dataclass(frozen=True)
class CoverageRow:
    grade: int
    subject_slug: str
    subject_name: str
    topics_total: int
    topics_covered: int
    outcomes_total: int
    outcomes_covered: int

    @staticmethod
    def _pct(part: int, whole: int) -> Decimal | None:
        if not whole:
            return None
        return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def topics_pct(self) -> Decimal | None:
        return self._pct(self.topics_covered, self.topics_total)

    @property
    def outcomes_pct(self) -> Decimal | None:
        return self._pct(self.outcomes_covered, self.outcomes_total)


class UnknownScope(ValueError):
    pass


def parse_scope(value: str) -> Organisation | None:
    """``national`` → None; ``province:01`` / ``school:THCS-ANHDUONG`` / ``org:<code>`` → that organisation."""
    if value == "national":
        return None
    kind, _, code = value.partition(":")
    if kind not in ("province", "school", "org") or not code:
        raise UnknownScope(f"Unknown scope {value!r}; use national, province:<code> or school:<code>.")
    org = Organisation.objects.filter(code=code).select_related("unit_type").first()
    if org is None:
        raise UnknownScope(f"No organisation with code {code!r}.")
    if kind == "school" and not org.unit_type.is_school:
        raise UnknownScope(f"{code} is not a school.")
    return org


def materials_covering(unit: Organisation | None):
    qs = MaterialPage.objects.live().exclude(audience_path__isnull=True)
    if unit is None:
        return qs.filter(audience_path="")
    return qs.filter(Q(audience_path="") | Q(audience_path__in=ancestor_paths([unit.path])))


def coverage(unit: Organisation | None) -> list[CoverageRow]:
    materials = materials_covering(unit).values("pk")
    through_topics = MaterialPage.topics.through.objects.filter(materialpage__in=materials)
    covered_topic_ids = set()
    for topic_id, parent_id in through_topics.values_list("topic_id", "topic__parent_id"):
        covered_topic_ids.add(parent_id or topic_id)
    covered_outcome_ids = set(
        MaterialPage.outcomes.through.objects.filter(materialpage__in=materials).values_list("outcome_id", flat=True)
    )

    topics = Topic.objects.filter(parent=None, is_special_topic=False).values_list(
        "pk", "grade__number", "subject__slug", "subject__name", "subject__order"
    )
    totals: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for pk, grade, slug, name, order in topics:
        key = (grade, order, slug, name)
        totals[key][0] += 1
        totals[key][1] += pk in covered_topic_ids
    outcomes = Outcome.objects.values_list(
        "pk", "topic__grade__number", "topic__subject__order", "topic__subject__slug", "topic__subject__name"
    )
    for pk, grade, order, slug, name in outcomes:
        key = (grade, order, slug, name)
        if key in totals:
            totals[key][2] += 1
            totals[key][3] += pk in covered_outcome_ids
    return [
        CoverageRow(grade, slug, name, t_total, t_cov, o_total, o_cov)
        for (grade, _order, slug, name), (t_total, t_cov, o_total, o_cov) in sorted(totals.items())
    ]


CSV_HEADER = [
    "grade",
    "subject",
    "subject_name",
    "topics_total",
    "topics_covered",
    "topics_pct",
    "outcomes_total",
    "outcomes_covered",
    "outcomes_pct",
]


def to_csv(rows: list[CoverageRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for r in rows:
        writer.writerow(
            [
                r.grade,
                r.subject_slug,
                r.subject_name,
                r.topics_total,
                r.topics_covered,
                r.topics_pct if r.topics_pct is not None else "",
                r.outcomes_total,
                r.outcomes_covered,
                r.outcomes_pct if r.outcomes_pct is not None else "",
            ]
        )
    return out.getvalue()


def to_table(rows: list[CoverageRow]) -> str:
    lines = [f"{'grade':>5}  {'subject':<24} {'topics':>12} {'%':>6}  {'outcomes':>12} {'%':>6}"]
    for r in rows:
        lines.append(
            f"{r.grade:>5}  {r.subject_slug:<24} {r.topics_covered:>5}/{r.topics_total:<6} "
            f"{r.topics_pct if r.topics_pct is not None else '–':>6}  "
            f"{r.outcomes_covered:>5}/{r.outcomes_total:<6} {r.outcomes_pct if r.outcomes_pct is not None else '–':>6}"
        )
    return "\n".join(lines)
