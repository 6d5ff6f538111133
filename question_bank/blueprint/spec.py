"""The specification table (bản đặc tả) and the answer keys of a set of papers, as plain data.

:func:`specification` gives one :class:`SpecLine` per row and level that the matrix uses (or
for which the row states a requirement): the requirement text (yêu cầu cần đạt), the number
of items (and counted units: Đúng–Sai statements) per format, and for each variant the
question labels that test it, e.g. ``{"101": {"mc": (3, 17), "tf": (2,)}}``.
:func:`answer_key` lists a paper's answers in paper order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from question_bank.blueprint.generate import Paper, PaperItem
from question_bank.blueprint.matrix import ESSAY, MC, PART_NUMERALS, TF, Blueprint, Level, Row, count_of


@dataclass(frozen=True)
class SpecLine:
    """One row × level of the specification table."""

    row: Row
    level: Level
    requirement: str
    items: Mapping[str, int] = field(default_factory=dict)
    units: Mapping[str, int] = field(default_factory=dict)
    numbers: Mapping[str, Mapping[str, tuple[int, ...]]] = field(default_factory=dict)

    def numbers_for(self, code: str, fmt: str) -> tuple[int, ...]:
        return tuple(self.numbers.get(code, {}).get(fmt, ()))


@dataclass(frozen=True)
class Specification:
    blueprint: Blueprint
    codes: tuple[str, ...]
    lines: tuple[SpecLine, ...]

    def lines_for_row(self, row_id: str) -> tuple[SpecLine, ...]:
        return tuple(line for line in self.lines if line.row.id == row_id)


def specification(bp: Blueprint, papers: Iterable[Paper] = ()) -> Specification:
    """The bản đặc tả of ``bp``, with question numbers of every paper given."""
    papers = list(papers)
    where: dict[tuple[str, str], dict[str, dict[str, list[int]]]] = {}
    for paper in papers:
        for item in paper.items:
            by_code = where.setdefault((item.row, item.level), {}).setdefault(paper.code, {})
            by_code.setdefault(item.part, []).append(item.number)
    lines = []
    for row in bp.rows:
        for level in bp.levels:
            items: dict[str, int] = {}
            units: dict[str, int] = {}
            for fmt in bp.formats:
                count = count_of(bp.cell(row.id, level.code, fmt)) or 0
                if count:
                    items[fmt] = count
                    units[fmt] = count * bp.units_per_item(fmt)
            requirement = row.requirements.get(level.code, "")
            if not items and not requirement:
                continue
            numbers = {
                code: {fmt: tuple(sorted(nums)) for fmt, nums in by_fmt.items()}
                for code, by_fmt in where.get((row.id, level.code), {}).items()
            }
            lines.append(SpecLine(row, level, requirement, items, units, numbers))
    return Specification(bp, tuple(p.code for p in papers), tuple(lines))


@dataclass(frozen=True)
class KeyEntry:
    """One line of an answer key: where the question is, its answer and its points."""

    part: str
    numeral: str
    number: int
    answer: tuple[Any, ...]
    points: Decimal
    item: PaperItem


def answer_key(paper: Paper) -> tuple[KeyEntry, ...]:
    """The key of a paper in paper order."""
    return tuple(
        KeyEntry(item.part, PART_NUMERALS[item.part], item.number, item.key, item.points, item) for item in paper.items
    )


def key_text(entry: KeyEntry | PaperItem, true_mark: str = "Đ", false_mark: str = "S") -> str:
    """The answer as printed in a key: ``B``; ``a) Đ b) S c) Đ d) Đ``; ``1,5 | 1.5``; ``""`` for essays."""
    part = entry.part
    answer = entry.answer if isinstance(entry, KeyEntry) else entry.key
    if part == MC:
        return ", ".join(answer)
    if part == TF:
        return " ".join(f"{letter}) {true_mark if value else false_mark}" for letter, value in answer)
    if part == ESSAY:
        return ""
    return " | ".join(str(a) for a in answer)
