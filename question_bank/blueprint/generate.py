"""Drawing N variants ("mã đề") of a paper from a blueprint and a candidate pool.

How it works
------------
1. :func:`~question_bank.blueprint.checks.check_blueprint` runs first; with any error the
   result has the report and no papers (an infeasible matrix is a report, not an exception).
2. Each cell is filled independently (a question belongs to exactly one cell). For every
   variant in turn the cell takes the ``count`` candidates used least so far, ties broken by a
   seeded random draw. Usage counts within a cell therefore never differ by more than one
   (taking the least used keeps every count within {c, c + 1}), and no question appears twice
   in a paper. When a cell has exactly the number it needs, every variant holds the same
   questions.
3. Questions are grouped by part in the template's order (I multiple choice, II Đúng–Sai,
   III short answer, IV essay) and shuffled within their part; answers of shuffle-able
   multiple-choice questions are shuffled and the key remapped; Đúng–Sai statements keep
   their order a)–d) unless ``shuffle_statements`` is set.
4. Two variants must differ (in questions, their order or their options): a variant equal to
   an earlier one is reshuffled; if the paper leaves no room for that, the report says so.

Everything random comes from :class:`random.Random` seeded with text built from the seed,
so the same blueprint, pool and seed always give the same papers, whatever the pool's order.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import combinations
from typing import Any

from question_bank.blueprint.checks import WARNING, Finding, Report, check_with_pool
from question_bank.blueprint.matrix import MC, PART_NUMERALS, TF, Blueprint, CellKey, tidy
from question_bank.blueprint.pool import Candidate
from question_bank.ir import dec_str, to_decimal

OPTION_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STATEMENT_LETTERS = "abcdefghijklmnopqrstuvwxyz"
RESHUFFLE_ATTEMPTS = 50


@dataclass(frozen=True)
class GenerationSettings:
    """How papers are drawn. ``numbering``: ``per_part`` (Câu 1… again in each part, as the
    2025 exam numbers them) or ``continuous``; ``max_uses``: at most this many variants may
    use one question (None = no cap beyond fairness)."""

    shuffle_questions: bool = True
    shuffle_options: bool = True
    shuffle_statements: bool = False
    first_code: int = 101
    numbering: str = "per_part"
    max_uses: int | None = None


@dataclass(frozen=True)
class PaperItem:
    """A question on a paper.

    ``order[i]`` is the original index of the option (or statement) shown at position ``i``;
    ``key`` is the answer in the order shown: letters for multiple choice (``("B",)``),
    ``(letter, True/False)`` pairs for Đúng–Sai, accepted texts for short answers, empty for
    essays.
    """

    part: str
    number: int
    candidate: Candidate
    points: Decimal
    order: tuple[int, ...] = ()
    key: tuple[Any, ...] = ()

    @property
    def id(self) -> Hashable:
        return self.candidate.id

    @property
    def row(self) -> str:
        return self.candidate.row

    @property
    def level(self) -> str:
        return self.candidate.level

    @property
    def cell(self) -> CellKey:
        return (self.candidate.row, self.candidate.level, self.candidate.format)

    @property
    def label(self) -> str:
        """``I.3`` — part numeral and number (unique on the paper whatever the numbering)."""
        return f"{PART_NUMERALS[self.part]}.{self.number}"


@dataclass(frozen=True)
class Paper:
    """One variant: its code (mã đề) and its items in paper order."""

    code: str
    items: tuple[PaperItem, ...]

    @property
    def parts(self) -> list[tuple[str, tuple[PaperItem, ...]]]:
        """(format, items) per part, in paper order, parts without items left out."""
        out: list[tuple[str, tuple[PaperItem, ...]]] = []
        for item in self.items:
            if out and out[-1][0] == item.part:
                out[-1] = (item.part, (*out[-1][1], item))
            else:
                out.append((item.part, (item,)))
        return out

    @property
    def total_points(self) -> Decimal:
        return tidy(sum((i.points for i in self.items), Decimal(0)))

    @property
    def question_ids(self) -> tuple[Hashable, ...]:
        return tuple(i.id for i in self.items)

    @property
    def signature(self) -> tuple[tuple[Hashable, tuple[int, ...]], ...]:
        """What makes two variants the same paper: questions, their order and their options."""
        return tuple((i.id, i.order) for i in self.items)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON to store a drawn paper (question ids must be JSON values, e.g. version ids)."""
        return {
            "code": self.code,
            "items": [
                {
                    "id": i.id,
                    "part": i.part,
                    "number": i.number,
                    "points": dec_str(i.points),
                    "order": list(i.order),
                    "key": [list(k) if isinstance(k, tuple) else k for k in i.key],
                }
                for i in self.items
            ],
        }


def paper_from_dict(data: Mapping[str, Any], candidates: Mapping[Hashable, Candidate]) -> Paper:
    """A stored paper back, with its candidates (by id) as they are now; ``KeyError`` if one is gone.

    The stored order and key are kept: a reprint shows the paper the students had, even if the
    question's shuffle setting changed since.
    """
    items = tuple(
        PaperItem(
            part=str(entry["part"]),
            number=int(entry["number"]),
            candidate=candidates[entry["id"]],
            points=to_decimal(entry["points"]),
            order=tuple(int(i) for i in entry["order"]),
            key=tuple(tuple(k) if isinstance(k, list) else k for k in entry["key"]),
        )
        for entry in data["items"]
    )
    return Paper(str(data["code"]), items)


@dataclass(frozen=True)
class Generation:
    """The result: the report (errors mean no papers) and the papers with the usage counts."""

    report: Report
    papers: tuple[Paper, ...] = ()
    usage: Mapping[CellKey, Mapping[Hashable, int]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.report.ok

    def fairness(self) -> dict[str, Any]:
        """Figures: the largest spread of usage counts within a cell (max − min, 1 or 0 is fair),
        how many pool questions were used, and the mean and largest share of questions two
        variants have in common."""
        spreads = [max(c.values()) - min(c.values()) for c in self.usage.values() if c]
        used = sum(1 for c in self.usage.values() for n in c.values() if n)
        pool = sum(len(c) for c in self.usage.values())
        sets = [set(p.question_ids) for p in self.papers]
        overlaps = [len(a & b) / max(len(a), 1) for a, b in combinations(sets, 2)]
        return {
            "variants": len(self.papers),
            "max_spread": max(spreads, default=0),
            "questions_used": used,
            "questions_in_cells": pool,
            "mean_overlap": sum(overlaps) / len(overlaps) if overlaps else 0.0,
            "max_overlap": max(overlaps, default=0.0),
            "distinct": len({p.signature for p in self.papers}) == len(self.papers),
        }


def _rng(seed: Any, *parts: Any) -> random.Random:
    # Not for secrets: papers must be reproducible from the seed.
    return random.Random("|".join(str(p) for p in (seed, *parts)))  # noqa: S311


def _pick(cands: list[Candidate], count: int, variants: int, rng: random.Random) -> tuple[list[list[Candidate]], dict]:
    """For each variant the ``count`` least-used candidates, chosen at random among equals.

    ``fresh`` holds, in random order, the candidates at the lowest use count; every other one
    has been used once more. A variant takes from ``fresh``; when it runs out, every candidate is
    at the same count and the rest of the variant comes from a new random order of the others
    (never one already in this paper). O(variants × count) plus one shuffle per round.
    """
    used = [0] * len(cands)
    fresh = list(range(len(cands)))
    rng.shuffle(fresh)
    picks = []
    for _ in range(variants):
        chosen, fresh = fresh[:count], fresh[count:]
        if len(chosen) < count:
            taken = set(chosen)
            others = [i for i in range(len(cands)) if i not in taken]
            rng.shuffle(others)
            need = count - len(chosen)
            fresh = others[need:] + chosen
            rng.shuffle(fresh)
            chosen = chosen + others[:need]
        for i in chosen:
            used[i] += 1
        picks.append([cands[i] for i in chosen])
    return picks, {cands[i].id: n for i, n in enumerate(used)}


def _item(cand: Candidate, part: str, points: Decimal, settings: GenerationSettings, rng: random.Random) -> PaperItem:
    order = tuple(range(cand.option_count))
    shuffle = cand.shuffle and (
        (cand.format == MC and settings.shuffle_options) or (cand.format == TF and settings.shuffle_statements)
    )
    if shuffle:
        shuffled = list(order)
        rng.shuffle(shuffled)
        order = tuple(shuffled)
    if cand.format == MC:
        correct = set(cand.correct)
        key: tuple[Any, ...] = tuple(OPTION_LETTERS[pos] for pos, orig in enumerate(order) if orig in correct)
    elif cand.format == TF:
        key = tuple(
            (STATEMENT_LETTERS[pos], bool(cand.correct[orig]) if orig < len(cand.correct) else None)
            for pos, orig in enumerate(order)
        )
    else:
        key = tuple(cand.answers)
    return PaperItem(part, 0, cand, points, order, key)


def _assemble(
    bp: Blueprint,
    chosen: Mapping[CellKey, list[Candidate]],
    settings: GenerationSettings,
    rng: random.Random,
) -> tuple[PaperItem, ...]:
    items: list[PaperItem] = []
    number = 0
    for fmt in bp.formats:
        part = [
            _item(cand, fmt, bp.item_points(key) or Decimal(0), settings, rng)
            for key, _count, _points in bp.active_cells()
            if key[2] == fmt
            for cand in chosen.get(key, ())
        ]
        if settings.shuffle_questions:
            rng.shuffle(part)
        if settings.numbering != "continuous":
            number = 0
        for item in part:
            number += 1
            items.append(PaperItem(item.part, number, item.candidate, item.points, item.order, item.key))
    return tuple(items)


def generate(
    bp: Blueprint,
    pool: Iterable[Candidate],
    variants: int = 4,
    seed: Any = 0,
    settings: GenerationSettings | None = None,
) -> Generation:
    """``variants`` papers drawn from ``pool`` by ``bp`` (see the module docstring)."""
    settings = settings or GenerationSettings()
    pool = list(pool)
    report, by_cell = check_with_pool(bp, pool, variants=variants, max_uses=settings.max_uses)
    if not report.ok:
        return Generation(report)
    per_variant: list[dict[CellKey, list[Candidate]]] = [{} for _ in range(variants)]
    usage: dict[CellKey, dict[Hashable, int]] = {}
    for key, count, _points in bp.active_cells():
        picks, usage[key] = _pick(by_cell[key], count, variants, _rng(seed, "cell", *key))
        for v, chosen in enumerate(picks):
            per_variant[v][key] = chosen
    papers: list[Paper] = []
    seen: set = set()
    clashes: list[str] = []
    for v in range(variants):
        code = str(settings.first_code + v)
        for attempt in range(RESHUFFLE_ATTEMPTS):
            paper = Paper(code, _assemble(bp, per_variant[v], settings, _rng(seed, "paper", v, attempt)))
            if paper.signature not in seen:
                break
        else:
            clashes.append(code)
        seen.add(paper.signature)
        papers.append(paper)
    if clashes:
        report += Report(
            (
                Finding(
                    "variants.not_distinct",
                    f"variants {', '.join(clashes)} repeat an earlier variant: the paper leaves too little to shuffle",
                    WARNING,
                    params={"codes": ", ".join(clashes)},
                ),
            )
        )
    return Generation(report, tuple(papers), usage)


def cell_usage(papers: Iterable[Paper]) -> dict[CellKey, Counter]:
    """How many papers use each question, by cell (for checking a set of papers)."""
    out: dict[CellKey, Counter] = {}
    for paper in papers:
        for item in paper.items:
            out.setdefault(item.cell, Counter())[item.id] += 1
    return out
