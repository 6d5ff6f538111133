"""Property tests of the blueprint engine: any matrix over any pool gives conforming, fair,
reproducible papers, or a report that names the cells at fault — never an exception."""

from __future__ import annotations

import random
from collections import Counter
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from question_bank.blueprint import (
    ESSAY,
    FORMATS,
    LEVELS_CV7991,
    LEVELS_FOUR,
    MC,
    SHORT,
    TF,
    Blueprint,
    Candidate,
    Cell,
    GenerationSettings,
    Row,
    blueprint_from_dict,
    cell_usage,
    check_blueprint,
    generate,
)
from question_bank.blueprint.generate import OPTION_LETTERS

FAST = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
EACH = {MC: ["0.25", "0.5"], TF: ["1", "2"], SHORT: ["0.25", "0.5"], ESSAY: ["0.5", "1", "1.5"]}


@st.composite
def blueprints(draw, sound_points: bool = True):
    """A blueprint whose cells are valid (points per item from the usual values)."""
    levels = draw(st.sampled_from([LEVELS_CV7991, LEVELS_FOUR]))
    formats = draw(st.lists(st.sampled_from(FORMATS), min_size=1, max_size=4, unique=True))
    rows = tuple(Row(f"r{i}", f"Chủ đề {i}") for i in range(draw(st.integers(1, 4))))
    cells = {}
    for row in rows:
        for level in levels:
            for fmt in formats:
                count = draw(st.integers(0, 3))
                if count:
                    cells[(row.id, level.code, fmt)] = Cell(count, count * Decimal(draw(st.sampled_from(EACH[fmt]))))
    if not cells:
        row, level, fmt = rows[0], levels[0], formats[0]
        cells[(row.id, level.code, fmt)] = Cell(1, Decimal(EACH[fmt][0]))
    total = sum((c.points for c in cells.values()), Decimal(0))
    return Blueprint(rows=rows, levels=levels, formats=formats, cells=cells, total_points=total)


@st.composite
def pools(draw, bp: Blueprint, spare: int = 4, allow_short: bool = True):
    """Candidates per cell: the count needed plus 0..spare (minus some when ``allow_short``)."""
    pool = []
    n = 0
    for (row, level, fmt), count, _points in bp.active_cells():
        low = max(count - 2, 0) if allow_short else count
        for _ in range(draw(st.integers(low, count + spare))):
            n += 1
            if fmt == MC:
                options = draw(st.integers(2, 5))
                correct = (draw(st.integers(0, options - 1)),)
                pool.append(Candidate(n, row, level, fmt, options, draw(st.booleans()), correct))
            elif fmt == TF:
                truths = tuple(draw(st.lists(st.booleans(), min_size=4, max_size=4)))
                pool.append(Candidate(n, row, level, fmt, 4, True, truths))
            else:
                pool.append(Candidate(n, row, level, fmt, answers=(str(n),)))
    return pool


gen_settings = st.builds(
    GenerationSettings,
    shuffle_questions=st.booleans(),
    shuffle_options=st.booleans(),
    shuffle_statements=st.booleans(),
    numbering=st.sampled_from(["per_part", "continuous"]),
)


def assert_conforms(bp: Blueprint, paper) -> None:
    """The paper satisfies the matrix exactly, repeats nothing and is laid out as the template."""
    ids = [item.id for item in paper.items]
    assert len(ids) == len(set(ids)), "a question appears twice in a paper"
    per_cell = Counter(item.cell for item in paper.items)
    expected = {key: count for key, count, _points in bp.active_cells()}
    assert dict(per_cell) == expected
    for item in paper.items:
        assert item.points == bp.item_points(item.cell)
        assert item.part == item.candidate.format
    assert paper.total_points == bp.grand_total().points
    order = [FORMATS.index(item.part) for item in paper.items]
    assert order == sorted(order), "parts must follow I, II, III, IV"
    for item in paper.items:
        cand = item.candidate
        assert sorted(item.order) == list(range(cand.option_count))
        if cand.format == MC:
            assert item.key == tuple(OPTION_LETTERS[p] for p, o in enumerate(item.order) if o in cand.correct)
        if cand.format == TF:
            assert [value for _letter, value in item.key] == [cand.correct[o] for o in item.order]


@FAST
@given(data=st.data(), variants=st.integers(1, 8), seed=st.integers(0, 10**6), options=gen_settings)
def test_generated_variants_satisfy_the_matrix_or_the_report_names_the_cells(data, variants, seed, options):
    bp = data.draw(blueprints())
    pool = data.draw(pools(bp))
    result = generate(bp, pool, variants=variants, seed=seed, settings=options)

    available = Counter((c.row, c.level, c.format) for c in pool)
    short = {key for key, count, _points in bp.active_cells() if available[key] < count}
    reported = {f.cell for f in result.report.errors if f.code == "cell.short_of_questions"}
    assert reported == short
    if short:
        assert not result.ok and result.papers == ()
        return
    assert result.ok, result.report
    assert [p.code for p in result.papers] == [str(101 + i) for i in range(variants)]
    for paper in result.papers:
        assert_conforms(bp, paper)
        for _part, items in paper.parts:
            numbers = [i.number for i in items]
            if options.numbering == "per_part":
                assert numbers == list(range(1, len(items) + 1))
        if options.numbering == "continuous":
            assert [i.number for i in paper.items] == list(range(1, len(paper.items) + 1))
        for item in paper.items:
            shuffled = item.order != tuple(range(item.candidate.option_count))
            if shuffled:
                assert item.candidate.shuffle
                assert (item.part == MC and options.shuffle_options) or (item.part == TF and options.shuffle_statements)
    if len({p.signature for p in result.papers}) != variants:
        assert "variants.not_distinct" in result.report.codes()


@FAST
@given(data=st.data(), variants=st.integers(1, 12), seed=st.integers(0, 10**6))
def test_usage_is_fair_within_each_cell(data, variants, seed):
    bp = data.draw(blueprints())
    pool = data.draw(pools(bp, spare=6, allow_short=False))
    result = generate(bp, pool, variants=variants, seed=seed)
    assert result.ok
    used = cell_usage(result.papers)
    for key, count, _points in bp.active_cells():
        counts = [used.get(key, Counter())[c.id] for c in pool if (c.row, c.level, c.format) == key]
        assert max(counts) - min(counts) <= 1, (key, counts)
        assert sum(counts) == count * variants
        if len(counts) == count:
            for paper in result.papers:
                assert {i.id for i in paper.items if i.cell == key} == {
                    c.id for c in pool if (c.row, c.level, c.format) == key
                }
    assert result.fairness()["max_spread"] <= 1


@FAST
@given(data=st.data(), variants=st.integers(1, 6), seed=st.integers(0, 10**6), options=gen_settings)
def test_same_seed_same_papers_whatever_the_pool_order(data, variants, seed, options):
    bp = data.draw(blueprints())
    pool = data.draw(pools(bp, allow_short=False))
    first = generate(bp, pool, variants=variants, seed=seed, settings=options)
    shuffled = list(pool)
    random.Random(seed).shuffle(shuffled)
    again = generate(bp, shuffled, variants=variants, seed=seed, settings=options)
    assert [(p.code, p.signature, tuple(i.key for i in p.items)) for p in first.papers] == [
        (p.code, p.signature, tuple(i.key for i in p.items)) for p in again.papers
    ]


@st.composite
def broken_cells(draw):
    return draw(
        st.one_of(
            st.builds(Cell, st.integers(-5, -1), st.just(Decimal(1))),
            st.builds(Cell, st.sampled_from([1.5, "ba", None, True]), st.just(Decimal(1))),
            st.builds(Cell, st.integers(1, 3), st.sampled_from(["mười", None, Decimal(-1), Decimal("NaN")])),
            st.builds(Cell, st.just(0), st.just(Decimal(1))),
            st.builds(Cell, st.integers(1, 3), st.just(Decimal(0))),
            st.builds(Cell, st.just(3), st.just(Decimal(1))),
        )
    )


@FAST
@given(data=st.data(), variants=st.integers(-2, 6), seed=st.integers(0, 10))
def test_an_infeasible_matrix_is_a_report_cell_by_cell_never_an_exception(data, variants, seed):
    bp = data.draw(blueprints())
    bad_keys = data.draw(
        st.lists(
            st.tuples(
                st.sampled_from([r.id for r in bp.rows] + ["r-unknown"]),
                st.sampled_from([lv.code for lv in bp.levels]),
                st.sampled_from(bp.formats),
            ),
            min_size=1,
            max_size=4,
            unique=True,
        )
    )
    cells = dict(bp.cells)
    for key in bad_keys:
        cells[key] = data.draw(broken_cells())
    broken = Blueprint(rows=bp.rows, levels=bp.levels, formats=bp.formats, cells=cells, total_points=Decimal(10))
    pool = data.draw(pools(broken))
    report = check_blueprint(broken, pool, variants=max(variants, 1))
    result = generate(broken, pool, variants=variants, seed=seed)
    assert not result.ok
    assert result.papers == ()
    assert not report.ok
    named = {f.cell for f in report.errors}
    for key in bad_keys:
        assert key in named, (key, report)  # every broken cell is named by an error of its own
    for finding in result.report.findings:
        assert finding.code and finding.message


KEYS = [
    "rows",
    "levels",
    "formats",
    "cells",
    "total_points",
    "tf_scoring",
    "statements_per_tf_item",
    "id",
    "label",
    "code",
    "row",
    "level",
    "format",
    "count",
    "points",
    "requirements",
    "title",
]


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 50)
    | st.sampled_from(["", "0.25", "mc", "tf", "biet", "a", "x", "1,5"]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.sampled_from(KEYS), children, max_size=6),
    max_leaves=25,
)


@FAST
@given(data=st.dictionaries(st.sampled_from(KEYS), json_values, max_size=8), variants=st.integers(-1, 300))
def test_any_stored_or_posted_matrix_loads_and_is_checked_without_an_exception(data, variants):
    bp = blueprint_from_dict(data)
    report = check_blueprint(bp, [], variants=variants)
    result = generate(bp, [], variants=variants)
    assert isinstance(report.ok, bool)
    if not result.ok:
        assert result.papers == ()
    bp.to_dict()
    bp.grand_total()
