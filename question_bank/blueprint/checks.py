"""Checks of a blueprint, alone or against a candidate pool: every problem as data, never an exception.

:func:`check_blueprint` returns a :class:`Report` of :class:`Finding` items. A finding has a
stable ``code`` (the UI translates it with :func:`question_bank.blueprint.messages.describe`),
an English ``message`` for logs and the command line, the cell it concerns (``row``,
``level``, ``format``; empty for the whole paper) and ``params`` with the figures. Errors
make a paper impossible; warnings are worth a look (for example every variant sharing the
same questions of a cell because the bank has exactly as many as needed).

Rules
-----
* cells name a known row, level and one of the blueprint's formats;
* a count is a whole number ≥ 0; points are a number ≥ 0; a cell with items has points and
  a cell with points has items; the points of a cell divide into whole hundredths per item;
* a Đúng–Sai cell: each item has ``statements_per_tf_item`` (4) statements, and the item's
  points times every value of the scoring table (0.1, 0.25, 0.5, 1 of the item in 2025) and
  per statement are whole hundredths — 1 point per item (0.25 per statement) is consistent,
  0.5 or 0.75 per item is not;
* the cells' points add up to the paper's total (10);
* with a pool: each cell has at least as many eligible candidates as items (no question twice
  in a paper) and, with a cap on how many variants may use one question, enough for all
  variants (``ceil(variants × items / cap)``).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from question_bank.blueprint.matrix import FORMATS, MC, TF, Blueprint, CellKey, count_of, points_of
from question_bank.blueprint.pool import Candidate
from question_bank.ir import dec_str

MAX_VARIANTS = 200
"""More variants than this is a slip of the keyboard, not a school's need (codes 101…300)."""
ERROR = "error"
WARNING = "warning"
HUNDREDTH = Decimal("0.01")


def _whole_hundredths(value: Decimal) -> bool:
    return value % HUNDREDTH == 0


@dataclass(frozen=True)
class Finding:
    """One problem. ``row``/``level``/``format`` locate the cell ("" = the whole blueprint)."""

    code: str
    message: str
    severity: str = ERROR
    row: str = ""
    level: str = ""
    format: str = ""
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    @property
    def cell(self) -> CellKey | None:
        return (self.row, self.level, self.format) if self.row or self.level or self.format else None


@dataclass(frozen=True)
class Report:
    """All findings of a check; ``ok`` when none is an error."""

    findings: tuple[Finding, ...] = ()

    @property
    def ok(self) -> bool:
        return not any(f.is_error for f in self.findings)

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.is_error)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if not f.is_error)

    def codes(self) -> set[str]:
        return {f.code for f in self.findings}

    def for_cell(self, row: str, level: str, fmt: str) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.cell == (row, level, fmt))

    def by_cell(self) -> dict[CellKey | None, list[Finding]]:
        out: dict[CellKey | None, list[Finding]] = defaultdict(list)
        for f in self.findings:
            out[f.cell].append(f)
        return dict(out)

    def __add__(self, other: Report) -> Report:
        return Report(self.findings + other.findings)


def _cell_finding(code: str, message: str, key: CellKey, severity: str = ERROR, **params: Any) -> Finding:
    return Finding(code, message, severity, key[0], key[1], key[2], params)


def check_matrix(bp: Blueprint) -> list[Finding]:
    """Problems of the matrix itself (no pool)."""
    found: list[Finding] = []
    row_ids = [r.id for r in bp.rows]
    level_codes = [lv.code for lv in bp.levels]
    if not bp.rows:
        found.append(Finding("blueprint.no_rows", "the blueprint has no rows"))
    if not bp.levels:
        found.append(Finding("blueprint.no_levels", "the blueprint has no cognitive levels"))
    if not bp.formats:
        found.append(Finding("blueprint.no_formats", "the blueprint has no item formats"))
    for rid in sorted({r for r in row_ids if row_ids.count(r) > 1}):
        found.append(Finding("blueprint.duplicate_row", f"row id {rid!r} is used twice", row=rid))
    for code in sorted({c for c in level_codes if level_codes.count(c) > 1}):
        found.append(Finding("blueprint.duplicate_level", f"level {code!r} is listed twice", level=code))
    total = bp.total_points
    total_ok = isinstance(total, Decimal) and total.is_finite() and total > 0
    if not total_ok:
        found.append(Finding("blueprint.total_invalid", f"the paper's total points {total!r} is not a positive number"))
    scoring = _scoring(bp)
    if scoring is None or bp.statements_per_tf_item < 1 or len(scoring) != bp.statements_per_tf_item + 1:
        found.append(
            Finding(
                "blueprint.tf_scoring_invalid",
                "the Đúng–Sai scoring table needs one number in [0, 1] per count of correct statements",
                params={"statements": bp.statements_per_tf_item},
            )
        )
        scoring = None

    points_sum = Decimal(0)
    for key, cell in bp.cells.items():
        row, level, fmt = key
        if row not in row_ids:
            found.append(_cell_finding("cell.unknown_row", f"cell names an unknown row {row!r}", key))
        if level not in level_codes:
            found.append(_cell_finding("cell.unknown_level", f"cell names an unknown level {level!r}", key))
        if fmt not in FORMATS or fmt not in bp.formats:
            found.append(
                _cell_finding("cell.unknown_format", f"cell names a format {fmt!r} the paper does not use", key)
            )
        count, points = count_of(cell), points_of(cell)
        if count is None:
            found.append(
                _cell_finding(
                    "cell.count_invalid",
                    f"number of questions {cell.count!r} is not a whole number ≥ 0",
                    key,
                    value=str(cell.count),
                )
            )
        if points is None:
            found.append(
                _cell_finding(
                    "cell.points_invalid", f"points {cell.points!r} are not a number ≥ 0", key, value=str(cell.points)
                )
            )
        if count is None or points is None:
            continue
        points_sum += points
        if count == 0 and points > 0:
            found.append(
                _cell_finding(
                    "cell.points_without_items",
                    f"{dec_str(points)} points but no questions",
                    key,
                    points=dec_str(points),
                )
            )
            continue
        if count > 0 and points == 0:
            found.append(
                _cell_finding("cell.items_without_points", f"{count} questions but no points", key, count=count)
            )
            continue
        if count == 0:
            continue
        each = points / count
        if not _whole_hundredths(each):
            found.append(
                _cell_finding(
                    "cell.points_not_divisible",
                    f"{dec_str(points)} points do not divide into whole hundredths over {count} questions",
                    key,
                    points=dec_str(points),
                    count=count,
                )
            )
        elif fmt == TF and scoring is not None:
            statements = count * bp.statements_per_tf_item
            per_statement = points / statements
            if not _whole_hundredths(per_statement) or any(not _whole_hundredths(each * v) for v in scoring):
                found.append(
                    _cell_finding(
                        "cell.tf_points",
                        f"{dec_str(points)} points over {count} Đúng–Sai questions ({statements} statements) "
                        f"is {dec_str(each)} per question: its partial marks are not whole hundredths",
                        key,
                        points=dec_str(points),
                        count=count,
                        statements=statements,
                        each=dec_str(each),
                    )
                )
    if total_ok and points_sum != total:
        found.append(
            Finding(
                "blueprint.points_mismatch",
                f"the cells add up to {dec_str(points_sum)} points, not the paper's {dec_str(total)}",
                params={"sum": dec_str(points_sum), "total": dec_str(total)},
            )
        )
    if bp.rows and bp.levels and bp.formats and not bp.active_cells():
        found.append(Finding("blueprint.empty", "no cell asks for a question"))
    return found


def _scoring(bp: Blueprint) -> tuple[Decimal, ...] | None:
    values = []
    for text in bp.tf_scoring:
        try:
            value = Decimal(str(text))
        except ArithmeticError:
            return None
        if not value.is_finite() or not 0 <= value <= 1:
            return None
        values.append(value)
    return tuple(values)


def eligible_pool(bp: Blueprint, pool: Iterable[Candidate]) -> tuple[dict[CellKey, list[Candidate]], list[Finding]]:
    """Candidates by cell, in a stable order, and warnings about candidates that cannot be used.

    Candidates of cells the blueprint does not ask for are ignored silently (a bank holds more
    than one paper's worth). A Đúng–Sai candidate must have exactly ``statements_per_tf_item``
    statements and a multiple-choice one at least two answers, and the key must fit the options
    (a paper's key is printed from it); a second candidate with the same id in the same cell is
    ignored.
    """
    wanted = {key for key, _count, _points in bp.active_cells()}
    by_cell: dict[CellKey, dict[Any, Candidate]] = defaultdict(dict)
    found: list[Finding] = []
    for cand in pool:
        key = (cand.row, cand.level, cand.format)
        if key not in wanted:
            continue
        if cand.format == TF and cand.option_count != bp.statements_per_tf_item:
            found.append(
                _cell_finding(
                    "candidate.tf_statements",
                    f"question {cand.id} has {cand.option_count} statements, not {bp.statements_per_tf_item}",
                    key,
                    WARNING,
                    question=str(cand.id),
                    statements=cand.option_count,
                )
            )
            continue
        if cand.format == MC and cand.option_count < 2:
            found.append(
                _cell_finding(
                    "candidate.too_few_options",
                    f"question {cand.id} has fewer than two answers",
                    key,
                    WARNING,
                    question=str(cand.id),
                )
            )
            continue
        if not _key_fits(cand):
            found.append(
                _cell_finding(
                    "candidate.no_key",
                    f"question {cand.id} has no answer key that fits its options",
                    key,
                    WARNING,
                    question=str(cand.id),
                )
            )
            continue
        by_cell[key].setdefault(cand.id, cand)
    ordered = {key: sorted(by_cell.get(key, {}).values(), key=lambda c: c.sort_key) for key in wanted}
    return ordered, found


def _key_fits(cand: Candidate) -> bool:
    """A multiple-choice key names at least one of its options; a Đúng–Sai key judges every statement."""
    if cand.format == MC:
        return bool(cand.correct) and all(
            isinstance(i, int) and not isinstance(i, bool) and 0 <= i < cand.option_count for i in cand.correct
        )
    if cand.format == TF:
        return len(cand.correct) == cand.option_count and all(isinstance(v, bool) for v in cand.correct)
    return True


def check_pool(
    bp: Blueprint,
    by_cell: Mapping[CellKey, list[Candidate]],
    variants: int,
    max_uses: int | None = None,
) -> list[Finding]:
    """Whether every cell can be filled for ``variants`` papers."""
    found: list[Finding] = []
    for key, count, _points in bp.active_cells():
        available = len(by_cell.get(key, ()))
        if available < count:
            found.append(
                _cell_finding(
                    "cell.short_of_questions",
                    f"needs {count} different questions, the bank has {available}",
                    key,
                    needed=count,
                    available=available,
                )
            )
            continue
        if max_uses:
            needed = math.ceil(variants * count / max_uses)
            if available < needed:
                found.append(
                    _cell_finding(
                        "cell.short_for_variants",
                        f"{variants} variants using a question at most {max_uses} times need {needed} "
                        f"questions, the bank has {available}",
                        key,
                        needed=needed,
                        available=available,
                        variants=variants,
                        max_uses=max_uses,
                    )
                )
                continue
        if available == count and variants > 1:
            found.append(
                _cell_finding(
                    "cell.shared_by_all",
                    f"the bank has exactly {count} questions: every variant uses all of them, in another order",
                    key,
                    WARNING,
                    count=count,
                )
            )
    return found


def check_blueprint(
    bp: Blueprint,
    pool: Iterable[Candidate] | None = None,
    *,
    variants: int = 1,
    max_uses: int | None = None,
) -> Report:
    """Check the matrix and, given a pool, whether ``variants`` papers can be drawn from it."""
    return check_with_pool(bp, pool, variants=variants, max_uses=max_uses)[0]


def check_with_pool(
    bp: Blueprint,
    pool: Iterable[Candidate] | None,
    *,
    variants: int = 1,
    max_uses: int | None = None,
) -> tuple[Report, dict[CellKey, list[Candidate]]]:
    """:func:`check_blueprint` and the eligible candidates by cell (what generation draws from)."""
    found = check_matrix(bp)
    if isinstance(variants, bool) or not isinstance(variants, int) or variants < 1:
        found.append(Finding("variants.invalid", f"number of variants {variants!r} is not a whole number ≥ 1"))
        variants = 1
    elif variants > MAX_VARIANTS:
        found.append(
            Finding(
                "variants.too_many",
                f"{variants} variants asked, at most {MAX_VARIANTS}",
                params={"variants": variants, "max": MAX_VARIANTS},
            )
        )
        variants = MAX_VARIANTS
    if max_uses is not None and (isinstance(max_uses, bool) or not isinstance(max_uses, int) or max_uses < 1):
        found.append(Finding("variants.max_uses_invalid", f"uses per question {max_uses!r} is not a whole number ≥ 1"))
        max_uses = None
    by_cell: dict[CellKey, list[Candidate]] = {}
    if pool is not None:
        by_cell, pool_found = eligible_pool(bp, pool)
        found.extend(pool_found)
        found.extend(check_pool(bp, by_cell, variants, max_uses))
    return Report(tuple(found)), by_cell
