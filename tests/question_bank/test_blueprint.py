"""Blueprint papers: worked examples of the 2024 template, the checks a teacher sees, the
specification table and the answer keys."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path

from question_bank.blueprint import (
    ESSAY,
    MC,
    SHORT,
    TF,
    Blueprint,
    Candidate,
    Cell,
    GenerationSettings,
    Row,
    answer_key,
    blueprint_from_dict,
    candidate_from_question,
    cell_usage,
    check_blueprint,
    generate,
    key_text,
    paper_from_dict,
    specification,
)
from question_bank.blueprint.examples import exam_2025_blueprint, periodic_test_blueprint, synthetic_pool
from question_bank.ir import Choice, QuestionData
from tests.question_bank.test_blueprint_properties import assert_conforms

D = Decimal


def small(cells, formats=(MC, TF, SHORT, ESSAY), total=10) -> Blueprint:
    rows = (Row("a", "Chủ đề A"), Row("b", "Chủ đề B"))
    return Blueprint(rows=rows, formats=formats, cells=cells, total_points=D(total))


# --- worked examples ------------------------------------------------------------------------


def test_the_2025_exam_paper_is_40_questions_for_10_points():
    bp = exam_2025_blueprint()
    assert check_blueprint(bp).findings == ()
    total = bp.grand_total()
    assert (total.items, total.units, total.points) == (28, 40, D(10))
    assert bp.format_total(MC).items == 18 and bp.format_total(MC).points == D("4.5")
    assert bp.format_total(TF).items == 4 and bp.format_total(TF).units == 16 and bp.format_total(TF).points == 4
    assert bp.format_total(SHORT).items == 6 and bp.format_total(SHORT).points == D("1.5")
    assert bp.row_total("vl12-nhiet") == bp.total_of(k for k in bp.cells if k[0] == "vl12-nhiet")
    assert sum(bp.level_total(lv.code).units for lv in bp.levels) == 40
    assert bp.column_total(MC, "biet").items == 9


def test_24_variants_of_the_2025_paper_each_conform_and_share_the_bank_fairly():
    bp = exam_2025_blueprint()
    pool = synthetic_pool(bp, per_cell=lambda key, need: need * 3)
    result = generate(bp, pool, variants=24, seed=2025)
    assert result.ok
    assert [p.code for p in result.papers] == [str(c) for c in range(101, 125)]
    for paper in result.papers:
        assert_conforms(bp, paper)
        assert [(part, len(items)) for part, items in paper.parts] == [(MC, 18), (TF, 4), (SHORT, 6)]
        assert [i.number for i in paper.parts[1][1]] == [1, 2, 3, 4]
    assert len({p.signature for p in result.papers}) == 24
    figures = result.fairness()
    assert figures["max_spread"] == 0  # 3 × need questions for 24 variants: each used exactly 8 times
    assert figures["questions_used"] == len(pool)
    assert figures["max_overlap"] < 1


def test_a_periodic_test_with_essays_has_four_parts():
    bp = periodic_test_blueprint()
    assert check_blueprint(bp).findings == ()
    assert {f: str(bp.format_total(f).points) for f in bp.formats} == {
        MC: "3",
        TF: "2",
        SHORT: "2",
        ESSAY: "3",
    }
    result = generate(bp, synthetic_pool(bp, 6, with_questions=True), variants=4, seed=7)
    assert result.ok
    paper = result.papers[0]
    assert [part for part, _items in paper.parts] == [MC, TF, SHORT, ESSAY]
    assert [i.points for i in paper.parts[3][1]] == [1, 1, 1]
    assert paper.total_points == 10


# --- checks ---------------------------------------------------------------------------------


def test_points_that_do_not_add_up_are_reported_with_both_figures():
    report = check_blueprint(small({("a", "biet", MC): Cell(8, 2)}))
    [finding] = report.findings
    assert finding.code == "blueprint.points_mismatch"
    assert finding.params == {"sum": "2", "total": "10"}
    assert not report.ok


def test_bad_numbers_are_reported_cell_by_cell():
    bp = small(
        {
            ("a", "biet", MC): Cell(-1, 1),
            ("a", "hieu", MC): Cell("ba", 1),
            ("b", "biet", MC): Cell(2, "nhiều"),
            ("b", "hieu", SHORT): Cell(0, 1),
            ("b", "van-dung", SHORT): Cell(2, 0),
            ("a", "van-dung", ESSAY): Cell(3, 1),
            ("x", "biet", MC): Cell(1, D("0.25")),
            ("a", "sieu", MC): Cell(1, D("0.25")),
        },
        formats=(MC, SHORT, ESSAY),
    )
    report = check_blueprint(bp)
    by_cell = {cell: {f.code for f in findings} for cell, findings in report.by_cell().items()}
    assert by_cell[("a", "biet", MC)] == {"cell.count_invalid"}
    assert by_cell[("a", "hieu", MC)] == {"cell.count_invalid"}
    assert by_cell[("b", "biet", MC)] == {"cell.points_invalid"}
    assert by_cell[("b", "hieu", SHORT)] == {"cell.points_without_items"}
    assert by_cell[("b", "van-dung", SHORT)] == {"cell.items_without_points"}
    assert by_cell[("a", "van-dung", ESSAY)] == {"cell.points_not_divisible"}
    assert by_cell[("x", "biet", MC)] == {"cell.unknown_row"}
    assert by_cell[("a", "sieu", MC)] == {"cell.unknown_level"}
    assert "blueprint.points_mismatch" in by_cell[None]


def test_a_cell_in_a_format_the_paper_does_not_use_is_reported():
    report = check_blueprint(small({("a", "biet", ESSAY): Cell(1, 10)}, formats=(MC, TF)))
    assert {f.code for f in report.for_cell("a", "biet", ESSAY)} == {"cell.unknown_format"}


def test_dung_sai_points_must_fit_four_statements():
    def codes(count, points):
        bp = small({("a", "biet", TF): Cell(count, D(points))}, total=points)
        return {f.code for f in check_blueprint(bp).findings}

    assert codes(4, "4") == set()  # 1 point per question, 0.25 per statement
    assert codes(2, "4") == set()  # 2 points per question, 0.5 per statement
    assert codes(2, "1") == {"cell.tf_points"}  # 0.5 per question: 0.125 per statement, 0.05 for one right
    assert codes(2, "1.5") == {"cell.tf_points"}
    bp = small({("a", "biet", TF): Cell(2, D(1))}, total=1)
    [finding] = check_blueprint(bp).findings
    assert finding.params["statements"] == 8 and finding.params["each"] == "0.5"


def test_not_enough_questions_is_reported_for_every_short_cell():
    bp = small({("a", "biet", MC): Cell(4, 1), ("b", "hieu", MC): Cell(4, 1), ("b", "biet", SHORT): Cell(8, 8)})
    pool = [Candidate(i, "a", "biet", MC, 4, True, (0,)) for i in range(3)]
    pool += [Candidate(10 + i, "b", "hieu", MC, 4, True, (0,)) for i in range(9)]
    result = generate(bp, pool, variants=3)
    assert not result.ok and result.papers == ()
    short = {f.cell: f.params for f in result.report.errors if f.code == "cell.short_of_questions"}
    assert short == {
        ("a", "biet", MC): {"needed": 4, "available": 3},
        ("b", "biet", SHORT): {"needed": 8, "available": 0},
    }


def test_a_cap_on_uses_per_question_needs_enough_questions_for_all_variants():
    bp = small({("a", "biet", MC): Cell(10, 10)})
    pool = [Candidate(i, "a", "biet", MC, 4, True, (0,)) for i in range(20)]
    capped = GenerationSettings(max_uses=2)
    assert generate(bp, pool, variants=4, settings=capped).ok
    result = generate(bp, pool, variants=5, settings=capped)
    [finding] = result.report.errors
    assert finding.code == "cell.short_for_variants" and finding.params["needed"] == 25


def test_a_cell_with_exactly_enough_questions_gives_them_to_every_variant_in_another_order():
    bp = small({("a", "biet", MC): Cell(5, 10)})
    pool = [Candidate(i, "a", "biet", MC, 4, False, (1,)) for i in range(5)]
    result = generate(bp, pool, variants=4, seed=3)
    assert result.ok
    assert {f.code for f in result.report.warnings} == {"cell.shared_by_all"}
    assert all(set(p.question_ids) == set(range(5)) for p in result.papers)
    assert len({p.question_ids for p in result.papers}) == 4
    assert all(i.key == ("B",) and i.order == (0, 1, 2, 3) for p in result.papers for i in p.items)


def test_variants_that_cannot_differ_are_a_warning_not_an_error():
    bp = small({("a", "biet", SHORT): Cell(1, 10)})
    result = generate(bp, [Candidate("q", "a", "biet", SHORT, answers=("5",))], variants=3)
    assert result.ok and len(result.papers) == 3
    assert "variants.not_distinct" in result.report.codes()


def test_unusable_candidates_are_named_and_left_out():
    bp = small({("a", "biet", TF): Cell(1, 10)})
    pool = [Candidate("three", "a", "biet", TF, 3, True, (True, False, True))]
    result = generate(bp, pool, variants=1)
    codes = {f.code: f.params for f in result.report.findings}
    assert codes["candidate.tf_statements"] == {"question": "three", "statements": 3}
    assert codes["cell.short_of_questions"] == {"needed": 1, "available": 0}


# --- questions, keys, specification -------------------------------------------------------


def test_candidates_follow_the_question_types():
    mc = QuestionData(
        "single_choice",
        stem="$1+1$ bằng",
        answers=(Choice("1"), Choice("2", D(1)), Choice("3"), Choice("Cả ba đều sai")),
        options={"shuffle": False},
    )
    cand = candidate_from_question(7, mc, row="a", level="biet")
    assert (cand.format, cand.option_count, cand.shuffle, cand.correct) == (MC, 4, False, (1,))
    tf = QuestionData(
        "true_false_group",
        options={"statements": [{"text": f"ý {x}", "correct": x in "ac"} for x in "abcd"]},
    )
    assert candidate_from_question(8, tf, row="a", level="hieu").correct == (True, False, True, False)
    short = QuestionData("short_numeric_2025", answers=(Choice("1,5", D(1)), Choice("2", D(0))))
    assert candidate_from_question(9, short, row="a", level="hieu").answers == ("1,5",)
    assert candidate_from_question(10, QuestionData("essay"), row="a", level="hieu").format == ESSAY
    assert candidate_from_question(11, QuestionData("matching"), row="a", level="hieu") is None


def test_the_key_follows_the_shuffled_options():
    bp = small({("a", "biet", MC): Cell(1, 5), ("a", "biet", TF): Cell(1, 5)})
    pool = [
        Candidate("mc", "a", "biet", MC, 4, True, (2,)),
        Candidate("tf", "a", "biet", TF, 4, True, (True, True, False, False)),
    ]
    shuffle_all = GenerationSettings(shuffle_statements=True)
    for seed in range(20):
        paper = generate(bp, pool, variants=1, seed=seed, settings=shuffle_all).papers[0]
        mc, tf = paper.items
        assert mc.key == ("ABCD"[mc.order.index(2)],)
        assert [v for _l, v in tf.key] == [(True, True, False, False)[o] for o in tf.order]
        assert [letter for letter, _v in tf.key] == list("abcd")
    kept = generate(bp, pool, variants=1, seed=1).papers[0].items[1]
    assert kept.order == (0, 1, 2, 3)
    assert key_text(kept) == "a) Đ b) Đ c) S d) S"


def test_answer_key_and_specification_point_at_the_same_questions():
    bp = exam_2025_blueprint()
    result = generate(bp, synthetic_pool(bp, 4), variants=2, seed=11)
    spec = specification(bp, result.papers)
    assert spec.codes == ("101", "102")
    assert sum(sum(line.units.values()) for line in spec.lines) == 40
    for paper in result.papers:
        key = answer_key(paper)
        assert len(key) == 28 and sum(e.points for e in key) == 10
        located = Counter()
        for line in spec.lines:
            for fmt, numbers in line.numbers.get(paper.code, {}).items():
                assert len(numbers) == line.items[fmt]
                for number in numbers:
                    [item] = [i for i in paper.items if i.part == fmt and i.number == number]
                    assert (item.row, item.level) == (line.row.id, line.level.code)
                    located[item.id] += 1
        assert set(located) == set(paper.question_ids) and set(located.values()) == {1}
    nhiet = spec.lines_for_row("vl12-nhiet")
    assert [line.level.code for line in nhiet] == ["biet", "hieu", "van-dung"]
    assert nhiet[1].units == {MC: 1, TF: 4}
    assert nhiet[0].requirement.startswith("Nêu được")


def test_a_blueprint_survives_json():
    bp = periodic_test_blueprint()
    again = blueprint_from_dict(json.loads(json.dumps(bp.to_dict())))
    assert again == bp
    assert generate(again, synthetic_pool(again, 5), variants=3, seed=1).papers == (
        generate(bp, synthetic_pool(bp, 5), variants=3, seed=1).papers
    )


def test_usage_counts_from_papers_match_the_generator_s_own():
    bp = exam_2025_blueprint()
    result = generate(bp, synthetic_pool(bp, 5), variants=6, seed=5)
    counted = cell_usage(result.papers)
    for key, usage in result.usage.items():
        assert {q: n for q, n in usage.items() if n} == dict(counted[key])


def test_a_candidate_whose_key_does_not_fit_is_left_out():
    bp = small({("a", "biet", MC): Cell(1, 5), ("a", "biet", TF): Cell(1, 5)})
    pool = [
        Candidate("no-key", "a", "biet", MC, 4, True, ()),
        Candidate("bad-index", "a", "biet", MC, 4, True, (4,)),
        Candidate("short-key", "a", "biet", TF, 4, True, (True, False)),
        Candidate("good", "a", "biet", MC, 4, True, (3,)),
        Candidate("good-tf", "a", "biet", TF, 4, True, (True, False, True, True)),
    ]
    result = generate(bp, pool, variants=1)
    assert result.ok
    assert {f.params["question"] for f in result.report.findings if f.code == "candidate.no_key"} == {
        "no-key",
        "bad-index",
        "short-key",
    }
    assert set(result.papers[0].question_ids) == {"good", "good-tf"}


def test_too_many_variants_is_a_finding():
    bp = small({("a", "biet", MC): Cell(1, 10)})
    result = generate(bp, [Candidate(1, "a", "biet", MC, 4, True, (0,))], variants=10_000)
    assert [f.code for f in result.report.errors] == ["variants.too_many"]
    assert result.papers == ()


def test_a_stored_paper_comes_back_the_same():
    bp = periodic_test_blueprint()
    pool = synthetic_pool(bp, 4)
    shuffle_all = GenerationSettings(shuffle_statements=True)
    paper = generate(bp, pool, variants=2, seed=9, settings=shuffle_all).papers[1]
    stored = json.loads(json.dumps(paper.to_dict()))
    assert paper_from_dict(stored, {c.id: c for c in pool}) == paper


def test_the_same_seed_gives_the_same_papers_in_another_process():
    script = (
        "import hashlib\n"
        "from question_bank.blueprint import generate\n"
        "from question_bank.blueprint.examples import exam_2025_blueprint, synthetic_pool\n"
        "bp = exam_2025_blueprint()\n"
        "papers = generate(bp, synthetic_pool(bp, 4), variants=6, seed='HK1-2025').papers\n"
        "print(hashlib.sha256(repr([(p.code, p.signature, [i.key for i in p.items]) for p in papers]).encode())"
        ".hexdigest())\n"
    )
    root = Path(__file__).resolve().parents[2]
    digests = {
        subprocess.run(
            [sys.executable, "-c", script],
            cwd=root,
            env={**os.environ, "PYTHONHASHSEED": str(hash_seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for hash_seed in (1, 2)
    }
    assert len(digests) == 1
