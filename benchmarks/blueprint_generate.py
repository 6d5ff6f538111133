"""Blueprint papers: time to draw 24 variants of a 40-question blueprint from a 5,000-question bank.

Usage:  .venv/bin/python benchmarks/blueprint_generate.py [--pool 5000] [--variants 24] [--runs 5]

Pure Python, no database: the bank is generated as questions (QuestionData) spread over
every (row, level, format) of the blueprint — including combinations the matrix does not
ask for — and turned into candidates as the database adapter will. Two 40-question
blueprints are timed: the 2025 exam paper (18 multiple choice + 4 Đúng–Sai × 4 statements
+ 6 short answers; 28 items) and a 40-item paper (Ngoại ngữ: 40 multiple choice). Printed:
best and median time of ``generate`` (checks + drawing + shuffling), time to build the
candidates, and the fairness figures (largest spread of usage counts within a cell,
questions used, share of questions two variants have in common). Target: ≤ 2 s.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from question_bank.blueprint import MC, Blueprint, Cell, Row, candidate_from_question, generate
from question_bank.blueprint.examples import exam_2025_blueprint, example_question


def forty_mc_blueprint() -> Blueprint:
    rows = tuple(Row(f"unit-{i}", f"Unit {i}") for i in range(1, 9))
    cells = {}
    for row in rows:
        for level, count in zip(("biet", "hieu", "van-dung"), (2, 2, 1), strict=True):
            cells[(row.id, level, MC)] = Cell(count, Decimal("0.25") * count)
    return Blueprint(rows=rows, formats=(MC,), cells=cells, title="40 câu trắc nghiệm")


def bank(bp: Blueprint, size: int, seed: int = 1):
    """``size`` questions over all (row, level, format) of ``bp``, weighted by what the matrix needs."""
    rng = random.Random(seed)
    combos = [(r.id, lv.code, f) for r in bp.rows for lv in bp.levels for f in bp.formats]
    need = {key: count for key, count, _points in bp.active_cells()}
    weights = [need.get(key, 0) * 4 + 1 for key in combos]
    questions = []
    for n in range(1, size + 1):
        row, level, fmt = rng.choices(combos, weights)[0]
        questions.append((n, row, level, example_question(fmt, n, rng)))
    return questions


def small_bank(bp: Blueprint, seed: int = 1):
    """A bank with just over twice what one paper needs in each cell: questions must recur."""
    rng = random.Random(seed)
    questions = []
    for (row, level, fmt), count, _points in bp.active_cells():
        for _ in range(2 * count + 1):
            questions.append((len(questions) + 1, row, level, example_question(fmt, len(questions) + 1, rng)))
    return questions


def run(name: str, bp: Blueprint, pool_size: int, variants: int, runs: int, questions=None) -> None:
    questions = questions or bank(bp, pool_size)
    start = time.perf_counter()
    pool = [candidate_from_question(n, data, row=row, level=level) for n, row, level, data in questions]
    build = time.perf_counter() - start
    times = []
    result = None
    for seed in range(runs):
        start = time.perf_counter()
        result = generate(bp, pool, variants=variants, seed=seed)
        times.append(time.perf_counter() - start)
    assert result is not None and result.ok, result.report
    total = bp.grand_total()
    figures = result.fairness()
    print(f"\n{name}: {total.items} items ({total.units} counted questions), {len(pool)} questions in the bank")
    print(f"  candidates built from questions: {build * 1000:.0f} ms")
    print(
        f"  generate {variants} variants: best {min(times) * 1000:.0f} ms, "
        f"median {statistics.median(times) * 1000:.0f} ms over {runs} runs (target <= 2000 ms)"
    )
    print(
        f"  fairness: usage spread within a cell <= {figures['max_spread']}; "
        f"{figures['questions_used']} of {figures['questions_in_cells']} matching questions used; "
        f"two variants share {figures['mean_overlap']:.0%} of questions on average, "
        f"{figures['max_overlap']:.0%} at most; all variants distinct: {figures['distinct']}"
    )
    tight = {key: min(u.values()) for key, u in result.usage.items()}
    per_question = [n for usage in result.usage.values() for n in usage.values()]
    print(
        f"  uses per matching question: min {min(per_question)}, max {max(per_question)}; "
        f"cells: {len(tight)}, smallest cell bank {min(len(u) for u in result.usage.values())}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pool", type=int, default=5000)
    parser.add_argument("--variants", type=int, default=24)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    run("2025 exam paper (Vật lí)", exam_2025_blueprint(), args.pool, args.variants, args.runs)
    run("40 multiple-choice items", forty_mc_blueprint(), args.pool, args.variants, args.runs)
    exam = exam_2025_blueprint()
    run("2025 exam paper, small bank (2 × need + 1 per cell)", exam, 0, args.variants, args.runs, small_bank(exam))


if __name__ == "__main__":
    main()
