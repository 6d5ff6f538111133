"""Worked examples and properties of the gradebook rules (TT 22/2021 for THCS/THPT, TT 27/2020 for tiểu học).

Pure: no database. Each worked example carries its hand computation in a comment.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from courses.gradebook import (
    DEFAULT_PRIMARY_POLICY,
    DEFAULT_SECONDARY_POLICY,
    Award,
    CommentAssessments,
    CommentResult,
    Incomplete,
    LearningResult,
    PrimaryAward,
    PrimaryPeriod,
    PrimaryRating,
    PrimaryYearResult,
    QualityRating,
    Rating,
    ScoreError,
    ScoreErrorCode,
    SemesterScores,
    award,
    comment_semester_result,
    comment_year_result,
    format_score,
    learning_result,
    parse_score,
    parse_test_score,
    policy_to_dict,
    primary_award,
    primary_periodic_tests,
    primary_policy_from_dict,
    primary_year_result,
    regular_assessment_count,
    round_score,
    secondary_policy_from_dict,
    semester_average,
    validate_score,
    year_average,
    year_conduct,
)
from courses.gradebook.rules_data import RaiseTo, SubjectFix

D = Decimal
ACH, NOT = CommentResult.ACHIEVED, CommentResult.NOT_ACHIEVED
GOOD, FAIR, PASS_, FAIL = Rating.GOOD, Rating.FAIR, Rating.ACHIEVED, Rating.NOT_ACHIEVED


# ----------------------------------------------------------------------------------------------------------------------
# Score entry (TT 22 Điều 5; TT 27 Điều 7)
# ----------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("8", D("8.0")),
        ("8,5", D("8.5")),  # Vietnamese decimal comma
        ("8.5", D("8.5")),
        (" 10 ", D("10.0")),
        ("10,0", D("10.0")),
        ("0", D("0.0")),
        ("-0", D("0.0")),  # normalised, never "-0.0"
        ("7,50", D("7.5")),  # a trailing zero is still one decimal by value
        ("\u00a09,5\u00a0", D("9.5")),  # non-breaking spaces from a spreadsheet
        (7, D("7.0")),
        (D("6.5"), D("6.5")),
        (D("8.50"), D("8.5")),
    ],
)
def test_parse_score_accepts(raw, expected):
    value = parse_score(raw)
    assert value == expected
    assert value.as_tuple().exponent == -1  # always stored with exactly one decimal
    assert str(value) == str(expected)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("10,25", ScoreErrorCode.TOO_MANY_DECIMALS),  # two decimals (checked before the range)
        ("7,75", ScoreErrorCode.TOO_MANY_DECIMALS),
        ("-1", ScoreErrorCode.OUT_OF_RANGE),
        ("\u22121", ScoreErrorCode.OUT_OF_RANGE),  # typographic minus
        ("11", ScoreErrorCode.OUT_OF_RANGE),
        ("10,5", ScoreErrorCode.OUT_OF_RANGE),
        ("99999999999999999999999999999999999999", ScoreErrorCode.OUT_OF_RANGE),
        ("abc", ScoreErrorCode.NOT_A_NUMBER),
        ("8,5,1", ScoreErrorCode.NOT_A_NUMBER),
        ("1e1", ScoreErrorCode.NOT_A_NUMBER),
        (",5", ScoreErrorCode.NOT_A_NUMBER),
        ("NaN", ScoreErrorCode.NOT_A_NUMBER),
        ("+5", ScoreErrorCode.NOT_A_NUMBER),
        ("８", ScoreErrorCode.NOT_A_NUMBER),  # full-width digit: ASCII digits only
        ("", ScoreErrorCode.EMPTY),
        ("   ", ScoreErrorCode.EMPTY),
        (D("7.25"), ScoreErrorCode.TOO_MANY_DECIMALS),
        (D("10.1"), ScoreErrorCode.OUT_OF_RANGE),
        (D("NaN"), ScoreErrorCode.NOT_A_NUMBER),
        (D("Infinity"), ScoreErrorCode.NOT_A_NUMBER),
        (-1, ScoreErrorCode.OUT_OF_RANGE),
    ],
)
def test_parse_score_rejects_with_a_code(raw, code):
    with pytest.raises(ScoreError) as caught:
        parse_score(raw)
    assert caught.value.code is code
    assert caught.value.value == raw or caught.value.value is raw  # the original input, for the form error
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize("raw", [8.5, True, None, [8]])
def test_parse_score_refuses_float_and_other_types(raw):
    with pytest.raises(TypeError):
        parse_score(raw)


@pytest.mark.parametrize(("raw", "expected"), [("8", 8), ("0", 0), ("10", 10), ("8,0", 8), (" 9 ", 9), (7, 7)])
def test_parse_test_score_accepts_integers(raw, expected):
    assert parse_test_score(raw) == expected


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("8,5", ScoreErrorCode.NOT_AN_INTEGER),
        ("9.5", ScoreErrorCode.NOT_AN_INTEGER),
        ("11", ScoreErrorCode.OUT_OF_RANGE),
        ("-1", ScoreErrorCode.OUT_OF_RANGE),
        (11, ScoreErrorCode.OUT_OF_RANGE),
        ("abc", ScoreErrorCode.NOT_A_NUMBER),
        ("", ScoreErrorCode.EMPTY),
    ],
)
def test_parse_test_score_rejects(raw, code):
    with pytest.raises(ScoreError) as caught:
        parse_test_score(raw)
    assert caught.value.code is code


def test_parse_test_score_refuses_decimal_and_bool():
    with pytest.raises(TypeError):
        parse_test_score(True)
    with pytest.raises(TypeError):
        parse_test_score(D("8"))  # type: ignore[arg-type]


def test_format_score_uses_the_decimal_comma():
    assert format_score(D("7.7")) == "7,7"
    assert format_score(D("8")) == "8,0"
    assert format_score(D("10.0")) == "10,0"


def test_round_score_is_half_up_not_bankers_and_not_float():
    # Python's round() on floats: 8.25 → 8.2 (half to even), 2.65 → 2.6 (binary 2.6499…). School rounding: up.
    assert round(8.25, 1) == 8.2 and round(2.65, 1) == 2.6
    assert round_score(D("8.25")) == D("8.3")
    assert round_score(D("2.65")) == D("2.7")
    assert round_score(D("6.65")) == D("6.7")
    assert round_score(D("6.6499")) == D("6.6")
    assert round_score(D("9.95")) == D("10.0")


# ----------------------------------------------------------------------------------------------------------------------
# Số ĐĐGtx (TT 22 Điều 6.2)
# ----------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("periods", "expected"),
    [(18, 2), (35, 2), (36, 3), (52, 3), (70, 3), (71, 4), (105, 4), (140, 4)],
    # 35: GDCD, Tin học (THCS) · 52: Lịch sử THPT · 70: THPT electives · 105/140: Toán, Ngữ văn
)
def test_regular_assessment_count(periods, expected):
    assert regular_assessment_count(periods) == expected


def test_regular_assessment_count_comment_only_and_study_topics():
    assert regular_assessment_count(70, comment_only=True) == 2  # ⚠ data: policy.regular.comment_only
    assert regular_assessment_count(105, has_study_topics=True) == 4  # chuyên đề counted as one of the 4 (⚠)
    extra = secondary_policy_from_dict({"regular": {"study_topic_extra": 1}})
    assert regular_assessment_count(105, has_study_topics=True, policy=extra) == 5
    three = secondary_policy_from_dict({"regular": {"comment_only": 3}})
    assert regular_assessment_count(35, comment_only=True, policy=three) == 3
    with pytest.raises(ValueError):
        regular_assessment_count(0)


def test_regular_assessment_count_mirrors_the_curriculum_function():
    from lms.curriculum.models import Assessment
    from lms.curriculum.models import regular_assessment_count as curriculum_count

    for periods in range(1, 200):
        assert regular_assessment_count(periods) == curriculum_count(periods, Assessment.SCORE)
        assert regular_assessment_count(periods, comment_only=True) == curriculum_count(periods, Assessment.COMMENT)


# ----------------------------------------------------------------------------------------------------------------------
# ĐTBmhk and ĐTBmcn (TT 22 Điều 9.1b)
# ----------------------------------------------------------------------------------------------------------------------


def scores(regular: list[str], midterm: str | None, final: str | None) -> SemesterScores:
    return SemesterScores(tuple(D(s) for s in regular), D(midterm) if midterm else None, D(final) if final else None)


def test_semester_average_toan_thcs_worked_example():
    # Toán THCS, 140 tiết → 4 ĐĐGtx: 7 + 8 + 6,5 + 9 = 30,5; 2 × 7,5 = 15; 3 × 8 = 24
    # (30,5 + 15 + 24) / (4 + 5) = 69,5 / 9 = 7,7222… → 7,7
    result = semester_average(scores(["7", "8", "6.5", "9"], "7.5", "8"), regular_assessment_count(140))
    assert result == D("7.7")
    assert str(result) == "7.7"


def test_semester_average_lands_exactly_on_a_half_and_rounds_up():
    # Công nghệ 8 (52 tiết → 3 ĐĐGtx): 8 + 8 + 9 = 25; 2 × 8,5 = 17; 3 × 8 = 24
    # (25 + 17 + 24) / 8 = 66 / 8 = 8,25 exactly → 8,3 (half up; half-even and float round() both give 8,2)
    assert semester_average(scores(["8", "8", "9"], "8.5", "8"), 3) == D("8.3")
    # 6 + 6,2 + 7 = 19,2; 2 × 6,5 = 13; 3 × 7 = 21 → 53,2 / 8 = 6,65 exactly → 6,7
    assert semester_average(scores(["6", "6.2", "7"], "6.5", "7"), 3) == D("6.7")
    # 2 + 3 + 2,2 = 7,2; 2 × 2,5 = 5; 3 × 3 = 9 → 21,2 / 8 = 2,65 exactly → 2,7 (float: round(21.2 / 8, 1) = 2.6)
    assert round(21.2 / 8, 1) == 2.6
    assert semester_average(scores(["2", "3", "2.2"], "2.5", "3"), 3) == D("2.7")


def test_semester_average_two_regular_and_round_down():
    # GDCD 35 tiết → 2 ĐĐGtx: 9 + 10 = 19; 2 × 8 = 16; 3 × 9,5 = 28,5 → 63,5 / 7 = 9,0714… → 9,1
    assert semester_average(scores(["9", "10"], "8", "9.5"), 2) == D("9.1")
    # 5 + 6 = 11; 2 × 5 = 10; 3 × 6 = 18 → 39 / 7 = 5,5714… → 5,6
    assert semester_average(scores(["5", "6"], "5", "6"), 2) == D("5.6")
    # 7 + 7 + 7 + 7,1 = 28,1; 2 × 7 = 14; 3 × 7 = 21 → 63,1 / 9 = 7,0111… → 7,0
    assert semester_average(scores(["7", "7", "7", "7.1"], "7", "7"), 4) == D("7.0")


def test_semester_average_extremes():
    assert semester_average(scores(["10"] * 4, "10", "10"), 4) == D("10.0")
    assert semester_average(scores(["0"] * 3, "0", "0"), 3) == D("0.0")


def test_semester_average_missing_scores_are_incomplete_not_a_number():
    short = semester_average(scores(["7", "8", "6.5"], "7.5", "8"), 4)
    assert short == Incomplete(("regular",), regular=(3, 4))
    assert str(short) == "incomplete: regular (3/4)"
    assert semester_average(scores(["7", "8", "6.5", "9"], None, "8"), 4) == Incomplete(("midterm",))
    assert semester_average(scores(["7", "8"], None, None), 4) == Incomplete(
        ("regular", "midterm", "final"), regular=(2, 4)
    )
    assert semester_average(SemesterScores(), 2) == Incomplete(("regular", "midterm", "final"), regular=(0, 2))


def test_semester_average_rejects_bad_input():
    with pytest.raises(ValueError, match="5 regular scores"):
        semester_average(scores(["7"] * 5, "7", "7"), 4)
    with pytest.raises(ScoreError):
        semester_average(scores(["7", "11"], "7", "7"), 2)
    with pytest.raises(ScoreError):
        semester_average(scores(["7", "7"], "7.25", "7"), 2)
    with pytest.raises(ValueError):
        semester_average(scores([], "7", "7"), 0)


@pytest.mark.parametrize(
    ("semester_1", "semester_2", "expected"),
    [
        ("7.7", "8.2", "8.0"),  # (7,7 + 2 × 8,2) / 3 = 24,1 / 3 = 8,0333… → 8,0
        ("6.6", "6.7", "6.7"),  # (6,6 + 13,4) / 3 = 20 / 3 = 6,666… → 6,7
        ("6.4", "6.5", "6.5"),  # (6,4 + 13) / 3 = 19,4 / 3 = 6,4666… → 6,5 (reaches the Tốt floor)
        ("5.0", "4.9", "4.9"),  # (5 + 9,8) / 3 = 14,8 / 3 = 4,9333… → 4,9
        ("9.0", "8.9", "8.9"),  # (9 + 17,8) / 3 = 26,8 / 3 = 8,9333… → 8,9 (misses 9,0)
        ("3.0", "9.0", "7.0"),  # (3 + 18) / 3 = 7 exactly: semester II weighs double
        ("10.0", "10.0", "10.0"),
    ],
)
def test_year_average(semester_1, semester_2, expected):
    assert year_average(D(semester_1), D(semester_2)) == D(expected)


def test_year_average_needs_both_semesters():
    assert year_average(D("7.0"), None) == Incomplete(("semester-2",))
    assert year_average(Incomplete(("final",)), D("7.0")) == Incomplete(("semester-1",))
    assert year_average(None, None) == Incomplete(("semester-1", "semester-2"))


def test_semester_then_year_average_chain():
    # HK I: (7 + 8 + 6,5 + 9 + 15 + 24) / 9 = 7,7 (above). HK II: 8 + 8 + 8,5 + 9 = 33,5; 2 × 8 = 16; 3 × 8,5 = 25,5
    # → 75 / 9 = 8,333… → 8,3. Year: (7,7 + 2 × 8,3) / 3 = 24,3 / 3 = 8,1
    one = semester_average(scores(["7", "8", "6.5", "9"], "7.5", "8"), 4)
    two = semester_average(scores(["8", "8", "8.5", "9"], "8", "8.5"), 4)
    assert (one, two) == (D("7.7"), D("8.3"))
    assert year_average(one, two) == D("8.1")


# ----------------------------------------------------------------------------------------------------------------------
# Comment-only subjects (TT 22 Điều 9.1a)
# ----------------------------------------------------------------------------------------------------------------------


def test_comment_subject_semester_result():
    assert comment_semester_result(CommentAssessments((ACH, ACH), ACH, ACH)) is ACH
    assert comment_semester_result(CommentAssessments((ACH, NOT), ACH, ACH)) is NOT
    assert comment_semester_result(CommentAssessments((ACH, ACH), ACH, NOT)) is NOT
    # A Chưa đạt already recorded decides it even before the rest is in.
    assert comment_semester_result(CommentAssessments((NOT,), None, None)) is NOT


def test_comment_subject_missing_ratings_incomplete_while_open_not_achieved_when_closed():
    open_semester = comment_semester_result(CommentAssessments((ACH,), ACH, None))
    assert open_semester == Incomplete(("regular", "final"), regular=(1, 2))
    assert comment_semester_result(CommentAssessments((ACH,), ACH, None), closing=True) is NOT
    assert comment_semester_result(CommentAssessments((ACH, ACH, ACH), ACH, ACH), required_regular=3) is ACH
    with pytest.raises(ValueError):
        comment_semester_result(CommentAssessments((ACH, ACH, ACH), ACH, ACH))


def test_comment_subject_year_is_the_semester_2_result():
    assert comment_year_result(ACH) is ACH  # even if semester I was Chưa đạt
    assert comment_year_result(NOT) is NOT
    assert comment_year_result(None) == Incomplete(("semester-2",))
    assert comment_year_result(Incomplete(("final",))) == Incomplete(("semester-2",))


# ----------------------------------------------------------------------------------------------------------------------
# Kết quả học tập (TT 22 Điều 9.2, 9.3)
# ----------------------------------------------------------------------------------------------------------------------

# A THCS timetable: 8 scored subjects and 4 comment-only ones.
SCORED = ("ngu-van", "toan", "ngoai-ngu-1", "giao-duc-cong-dan", "lich-su-va-dia-li", "khoa-hoc-tu-nhien",
          "cong-nghe", "tin-hoc")  # fmt: skip
COMMENTED = ("giao-duc-the-chat", "nghe-thuat", "hoat-dong-trai-nghiem", "giao-duc-dia-phuong")


def student(averages: list[str], not_achieved: tuple[str, ...] = ()) -> dict[str, Decimal | CommentResult]:
    """Averages in SCORED order; every comment subject Đạt except those named."""
    assert len(averages) == len(SCORED)
    outcomes: dict[str, Decimal | CommentResult] = {s: D(a) for s, a in zip(SCORED, averages, strict=True)}
    outcomes.update({c: NOT if c in not_achieved else ACH for c in COMMENTED})
    return outcomes


def level(outcomes, policy=DEFAULT_SECONDARY_POLICY) -> LearningResult:
    result = learning_result(outcomes, policy=policy)
    assert isinstance(result, LearningResult)
    return result


@pytest.mark.parametrize(
    ("averages", "not_achieved", "expected"),
    [
        # Tốt: every scored ≥ 6,5, at least 6 ≥ 8,0, comments all Đạt — boundary: exactly 6 at 8,0, two at 6,5.
        (["8.0"] * 6 + ["6.5", "6.5"], (), GOOD),
        # Only 5 at ≥ 8,0 (one 7,9) → not Tốt; all ≥ 5,0 and ≥ 6 at ≥ 6,5 → Khá.
        (["8.0"] * 5 + ["7.9", "6.5", "6.5"], (), FAIR),
        # One at 6,4 < 6,5 → not Tốt → Khá (one level down only, no adjustment).
        (["9.0"] * 7 + ["6.4"], (), FAIR),
        # Khá boundary: exactly 6 at 6,5, two at 5,0.
        (["6.5"] * 6 + ["5.0", "5.0"], (), FAIR),
        # Only 5 at ≥ 6,5 → not Khá; 8 at ≥ 5,0, none < 3,5 → Đạt.
        (["6.5"] * 5 + ["6.4", "5.0", "5.0"], (), PASS_),
        # Đạt boundary: exactly 6 at 5,0, the lowest exactly 3,5.
        (["5.0"] * 6 + ["3.5", "4.9"], (), PASS_),
        # A 3,4 (< 3,5) → Chưa đạt.
        (["5.0"] * 7 + ["3.4"], (), FAIL),
        # Only 5 at ≥ 5,0 → Chưa đạt.
        (["5.0"] * 5 + ["4.9", "4.9", "4.9"], (), FAIL),
        # Khá-level scores with one comment subject Chưa đạt → Đạt (at most 1 allowed); Khá is only 1 above.
        (["7.0"] * 8, ("nghe-thuat",), PASS_),
        # Two comment subjects Chưa đạt → Chưa đạt, whatever the scores (and no adjustment: two subjects).
        (["9.0"] * 8, ("nghe-thuat", "giao-duc-the-chat"), FAIL),
    ],
)
def test_learning_result_levels(averages, not_achieved, expected):
    result = level(student(averages, not_achieved))
    assert result.level is expected
    assert not result.adjusted


def test_raise_rule_comment_subject_pulls_would_be_good_to_achieved():
    # All scored ≥ 8,0 but Giáo dục thể chất Chưa đạt: 9.2 gives Đạt (1 comment subject Chưa đạt allowed).
    # With GDTC Đạt it would be Tốt; Đạt is 2 below Tốt → adjusted to the level below Tốt: Khá.
    result = level(student(["8.5"] * 8, ("giao-duc-the-chat",)))
    assert result == LearningResult(level=FAIR, computed_level=PASS_, adjusted_for="giao-duc-the-chat")
    assert result.adjusted


def test_raise_rule_one_low_score_would_be_good_to_not_achieved():
    # All ≥ 8,0 but Toán 3,0 (< 3,5) → 9.2 gives Chưa đạt, 3 below Tốt. Toán at 8,0 → Tốt. → Khá (level below Tốt).
    outcomes = student(["3.0"] + ["8.0"] * 7)
    assert level(outcomes) == LearningResult(level=FAIR, computed_level=FAIL, adjusted_for="ngu-van")
    # The other reading of "mức liền kề" (one level above the computed one), kept as data: → Đạt.
    one_up = secondary_policy_from_dict({"learning": {"raise_rule": {"raise_to": RaiseTo.ONE_LEVEL_UP.value}}})
    assert level(outcomes, one_up).level is PASS_


def test_raise_rule_score_between_floors():
    # Toán 4,0: not Khá (< 5,0); 7 subjects ≥ 5,0, none < 3,5 → Đạt, 2 below Tốt; Toán at 8,0 → Tốt → Khá.
    result = level(student(["9.0", "4.0"] + ["9.0"] * 6))
    assert (result.level, result.computed_level, result.adjusted_for) == (FAIR, PASS_, "toan")
    # Toán 5,0: → Khá by 9.2 directly, only 1 below Tốt → no adjustment.
    result = level(student(["9.0", "5.0"] + ["9.0"] * 6))
    assert (result.level, result.adjusted) == (FAIR, False)


def test_raise_rule_would_be_fair_to_not_achieved():
    # Khá profile (all ≥ 6,5, only 3 ≥ 8,0) but Tin học 2,0 → Chưa đạt. With Tin học fixed: Khá (not Tốt).
    # Chưa đạt is 2 below Khá → Đạt.
    result = level(student(["8.0", "8.0", "8.0", "7.0", "7.0", "7.0", "7.0", "2.0"]))
    assert result == LearningResult(level=PASS_, computed_level=FAIL, adjusted_for="tin-hoc")


def test_raise_rule_needs_a_single_subject():
    # Two subjects below 3,5: fixing either alone still leaves a 3,x → no adjustment.
    result = level(student(["3.0", "3.2"] + ["9.0"] * 6))
    assert (result.level, result.adjusted) == (FAIL, False)
    # A low score and a comment subject Chưa đạt: neither fix alone reaches Tốt or Khá.
    result = level(student(["2.0"] + ["9.0"] * 7, ("nghe-thuat",)))
    assert (result.level, result.adjusted) == (FAIL, False)


def test_raise_rule_subject_fix_reading_is_data():
    # 5 subjects at 8,5, two at 7,0, Ngữ văn 3,0 → Chưa đạt.
    # Default (the subject meets the target's count threshold, 8,0): 6 ≥ 8,0 → would be Tốt → Khá.
    # FLOOR (lifted only to 6,5): 5 ≥ 8,0 → not Tốt; lifted to Khá's floor 5,0: all ≥ 5,0, 7 ≥ 6,5 → Khá → Đạt.
    outcomes = student(["3.0"] + ["8.5"] * 5 + ["7.0", "7.0"])
    assert level(outcomes).level is FAIR
    floor = secondary_policy_from_dict({"learning": {"raise_rule": {"subject_fix": SubjectFix.FLOOR.value}}})
    assert level(outcomes, floor) == LearningResult(level=PASS_, computed_level=FAIL, adjusted_for="ngu-van")
    disabled = secondary_policy_from_dict({"learning": {"raise_rule": {"enabled": False}}})
    assert level(outcomes, disabled).level is FAIL


def test_learning_result_incomplete_and_errors():
    outcomes: dict = student(["8.0"] * 8)
    outcomes["toan"] = None
    outcomes["nghe-thuat"] = Incomplete(("final",))
    assert learning_result(outcomes) == Incomplete(("nghe-thuat", "toan"))
    with pytest.raises(ValueError):
        learning_result({})
    with pytest.raises(ScoreError):
        learning_result({"toan": D("10.5")})
    with pytest.raises(TypeError):
        learning_result({"toan": 8.5})  # type: ignore[dict-item]


def test_learning_result_thresholds_are_data():
    # A school correcting the "at least 6 subjects" count to 5 for Tốt.
    levels = policy_to_dict(DEFAULT_SECONDARY_POLICY)["learning"]["levels"]
    levels[0]["min_count"] = 5
    policy = secondary_policy_from_dict({"learning": {"levels": levels}})
    averages = ["8.0"] * 5 + ["7.9", "6.5", "6.5"]
    assert level(student(averages)).level is FAIR
    assert level(student(averages), policy).level is GOOD


# ----------------------------------------------------------------------------------------------------------------------
# Kết quả rèn luyện cả năm (TT 22 Điều 8) — all 16 combinations
# ----------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("semester_1", "semester_2", "expected"),
    [
        (GOOD, GOOD, GOOD),  # HK II Tốt, HK I ≥ Khá → Tốt
        (FAIR, GOOD, GOOD),
        (PASS_, GOOD, FAIR),  # HK II Tốt, HK I Đạt/Chưa đạt → Khá
        (FAIL, GOOD, FAIR),
        (GOOD, FAIR, FAIR),  # HK II Khá, HK I ≥ Đạt → Khá
        (FAIR, FAIR, FAIR),
        (PASS_, FAIR, FAIR),
        (FAIL, FAIR, PASS_),  # HK II Khá, HK I Chưa đạt → Đạt
        (GOOD, PASS_, FAIR),  # HK II Đạt, HK I Tốt → Khá
        (FAIR, PASS_, PASS_),  # HK II Đạt, HK I Khá/Đạt/Chưa đạt → Đạt
        (PASS_, PASS_, PASS_),
        (FAIL, PASS_, PASS_),
        (GOOD, FAIL, FAIL),  # HK II Chưa đạt → Chưa đạt
        (FAIR, FAIL, FAIL),
        (PASS_, FAIL, FAIL),
        (FAIL, FAIL, FAIL),
    ],
)
def test_year_conduct_table(semester_1, semester_2, expected):
    assert year_conduct(semester_1, semester_2) is expected


def test_conduct_table_is_complete_data():
    assert len(DEFAULT_SECONDARY_POLICY.conduct_year) == 16
    rows = policy_to_dict(DEFAULT_SECONDARY_POLICY)["conduct_year"]
    with pytest.raises(ValueError, match="16"):
        secondary_policy_from_dict({"conduct_year": rows[:15]})
    rows[0]["year"] = "kha"  # (Tốt, Tốt) corrected — only to show a school can edit the table
    edited = secondary_policy_from_dict({"conduct_year": rows})
    assert year_conduct(GOOD, GOOD, policy=edited) is FAIR


# ----------------------------------------------------------------------------------------------------------------------
# Awards (TT 22 Điều 15.1)
# ----------------------------------------------------------------------------------------------------------------------


def test_awards():
    six_nines = [D("9.0")] * 6 + [D("7.0"), D("6.5")]  # exactly 6 at the 9,0 boundary
    assert award(GOOD, GOOD, six_nines) is Award.EXCELLENT
    five_nines = [D("9.5")] * 5 + [D("8.9"), D("8.0"), D("8.0")]  # the sixth misses by 0,1
    assert award(GOOD, GOOD, five_nines) is Award.GOOD
    assert award(FAIR, GOOD, six_nines) is None  # conduct Khá
    assert award(GOOD, FAIR, six_nines) is None  # learning Khá
    assert award(PASS_, PASS_, six_nines) is None


def test_award_from_year_averages():
    # ĐTBmcn (9,0 + 2 × 8,9) / 3 = 8,933… → 8,9: that subject no longer counts towards the six ≥ 9,0.
    toan = year_average(D("9.0"), D("8.9"))
    others = [year_average(D("9.0"), D("9.0"))] * 5
    assert toan == D("8.9")
    assert award(GOOD, GOOD, [toan, *others]) is Award.GOOD
    assert award(GOOD, GOOD, [year_average(D("8.9"), D("9.1")), *others]) is Award.EXCELLENT  # 27,1/3 → 9,0


# ----------------------------------------------------------------------------------------------------------------------
# Tiểu học (TT 27/2020)
# ----------------------------------------------------------------------------------------------------------------------

T, H, C = PrimaryRating.COMPLETED_WELL, PrimaryRating.COMPLETED, PrimaryRating.NOT_COMPLETED
Q_GOOD, Q_PASS, Q_EFFORT = QualityRating.GOOD, QualityRating.ACHIEVED, QualityRating.NEEDS_EFFORT
PRIMARY_SUBJECTS = ("tieng-viet", "toan", "dao-duc", "khoa-hoc", "lich-su-va-dia-li", "am-nhac")
QUALITIES = ("yeu-nuoc", "nhan-ai", "cham-chi", "trung-thuc", "trach-nhiem", "tu-chu-va-tu-hoc")


def pupil(subject_overrides=None, quality_overrides=None, tests=None):
    subjects = dict.fromkeys(PRIMARY_SUBJECTS, T) | (subject_overrides or {})
    qualities = dict.fromkeys(QUALITIES, Q_GOOD) | (quality_overrides or {})
    year_end_tests = {"tieng-viet": 10, "toan": 9, "khoa-hoc": 9, "lich-su-va-dia-li": 10} | (tests or {})
    return primary_year_result(subjects, qualities, year_end_tests)


@pytest.mark.parametrize(
    ("subjects", "qualities", "tests", "expected"),
    [
        ({}, {}, {}, PrimaryYearResult.EXCELLENT),  # all T, all Tốt, tests 9–10 (9 is the boundary)
        ({}, {}, {"toan": 8}, PrimaryYearResult.GOOD),  # a test below 9 → Hoàn thành tốt
        ({}, {}, {"toan": 7}, PrimaryYearResult.GOOD),  # 7 is the Hoàn thành tốt boundary
        ({}, {}, {"toan": 6}, PrimaryYearResult.COMPLETED),
        ({}, {}, {"toan": 5}, PrimaryYearResult.COMPLETED),  # 5 is the Hoàn thành boundary
        ({"am-nhac": H}, {}, {}, PrimaryYearResult.COMPLETED),  # one subject H, even with tests ≥ 9
        ({}, {"cham-chi": Q_PASS}, {}, PrimaryYearResult.COMPLETED),  # one quality Đạt
        ({}, {}, {"toan": 4}, PrimaryYearResult.NOT_COMPLETED),
        ({"dao-duc": C}, {}, {}, PrimaryYearResult.NOT_COMPLETED),
        ({}, {"trung-thuc": Q_EFFORT}, {}, PrimaryYearResult.NOT_COMPLETED),
    ],
)
def test_primary_year_result(subjects, qualities, tests, expected):
    assert pupil(subjects, qualities, tests) is expected


def test_primary_year_result_incomplete_and_errors():
    assert pupil({"toan": None}, {"nhan-ai": None}, {"khoa-hoc": None}) == Incomplete(
        ("toan", "nhan-ai", "test:khoa-hoc")
    )
    with pytest.raises(ScoreError):
        pupil(tests={"toan": 11})
    with pytest.raises(ValueError):
        primary_year_result({}, {"yeu-nuoc": Q_GOOD}, {})


def test_primary_thresholds_are_data():
    rows = policy_to_dict(DEFAULT_PRIMARY_POLICY)["year_results"]
    rows[0]["min_test_score"] = 10
    policy = primary_policy_from_dict({"year_results": rows})
    subjects = dict.fromkeys(PRIMARY_SUBJECTS, T)
    qualities = dict.fromkeys(QUALITIES, Q_GOOD)
    assert primary_year_result(subjects, qualities, {"toan": 9}, policy=policy) is PrimaryYearResult.GOOD
    assert primary_year_result(subjects, qualities, {"toan": 10}, policy=policy) is PrimaryYearResult.EXCELLENT


def test_primary_periodic_tests():
    all_four = (
        PrimaryPeriod.MID_SEMESTER_1,
        PrimaryPeriod.END_SEMESTER_1,
        PrimaryPeriod.MID_SEMESTER_2,
        PrimaryPeriod.END_OF_YEAR,
    )
    assert primary_periodic_tests("toan", 5) == all_four
    assert primary_periodic_tests("tieng-viet", 4) == all_four
    assert primary_periodic_tests("toan", 3) == (PrimaryPeriod.END_SEMESTER_1, PrimaryPeriod.END_OF_YEAR)
    assert primary_periodic_tests("khoa-hoc", 4) == (PrimaryPeriod.END_SEMESTER_1, PrimaryPeriod.END_OF_YEAR)
    assert primary_periodic_tests("dao-duc", 4) == ()


def test_primary_awards():
    assert primary_award(PrimaryYearResult.EXCELLENT) is PrimaryAward.EXCELLENT
    assert primary_award(PrimaryYearResult.GOOD) is None
    assert primary_award(PrimaryYearResult.GOOD, outstanding=True) is PrimaryAward.OUTSTANDING
    assert primary_award(PrimaryYearResult.COMPLETED, outstanding=True) is None


def test_official_names_and_abbreviations():
    assert [r.official_name for r in Rating] == ["Tốt", "Khá", "Đạt", "Chưa đạt"]
    assert [r.abbreviation for r in PrimaryRating] == ["T", "H", "C"]
    assert PrimaryYearResult.EXCELLENT.official_name == "Hoàn thành xuất sắc"
    assert QualityRating.NEEDS_EFFORT.official_name == "Cần cố gắng"
    assert Award.EXCELLENT.official_name == "Học sinh Xuất sắc"


# ----------------------------------------------------------------------------------------------------------------------
# Policy data as JSON
# ----------------------------------------------------------------------------------------------------------------------


def test_policy_json_round_trip_and_partial_override():
    import json

    as_json = json.loads(json.dumps(policy_to_dict(DEFAULT_SECONDARY_POLICY)))
    assert secondary_policy_from_dict(as_json) == DEFAULT_SECONDARY_POLICY
    assert primary_policy_from_dict(json.loads(json.dumps(policy_to_dict(DEFAULT_PRIMARY_POLICY)))) == (
        DEFAULT_PRIMARY_POLICY
    )
    corrected = secondary_policy_from_dict({"awards": {"excellent_min_average": 9.5}})  # a JSON float is fine
    assert corrected.awards.excellent_min_average == D("9.5")
    assert corrected == replace(
        DEFAULT_SECONDARY_POLICY, awards=replace(DEFAULT_SECONDARY_POLICY.awards, excellent_min_average=D("9.5"))
    )


@pytest.mark.parametrize(
    "data",
    [
        {"regular": {"comment_onyl": 3}},  # unknown key
        {"learning": {"raise_rule": {"raise_to": "two-levels-up"}}},  # not an enum value
        {"regular": {"comment_only": "2"}},  # not an integer
        {"regular": {"comment_only": 0}},  # validated by the dataclass
        {"regular": {"bands": [{"max_periods": 70, "count": 3}, {"max_periods": 35, "count": 2}]}},  # no open band
        {"learning": {"raise_rule": {"enabled": "yes"}}},
        {"awards": {"excellent_min_average": "nine"}},
        {"learning": {"levels": [{"level": "tot"}]}},  # a row missing fields
    ],
)
def test_policy_json_rejects_bad_data(data):
    with pytest.raises(ValueError):
        secondary_policy_from_dict(data)


# ----------------------------------------------------------------------------------------------------------------------
# Properties (hypothesis)
# ----------------------------------------------------------------------------------------------------------------------

score = st.integers(min_value=0, max_value=100).map(lambda tenths: D(tenths) / 10)


def exact_half_up(numerator: Fraction, denominator: int) -> Decimal:
    """The reference: exact rational arithmetic, half up, in tenths."""
    tenths = numerator * 10 / denominator
    rounded = (tenths * 2 + 1) // 2  # floor(x + 1/2) = half up for x ≥ 0
    return D(int(rounded)) / 10


@st.composite
def semesters(draw):
    required = draw(st.sampled_from([2, 3, 4]))
    regular = draw(st.lists(score, min_size=required, max_size=required))
    return SemesterScores(tuple(regular), draw(score), draw(score)), required


def is_one_decimal(value: Decimal) -> bool:
    return value.as_tuple().exponent == -1


@given(semesters())
def test_semester_average_is_a_one_decimal_score_equal_to_exact_rounding(case):
    scores_, required = case
    result = semester_average(scores_, required)
    assert isinstance(result, Decimal)
    assert D(0) <= result <= D(10)
    assert is_one_decimal(result)
    assert validate_score(result) == result
    total = sum(Fraction(str(s)) for s in scores_.regular) + 2 * Fraction(str(scores_.midterm))
    total += 3 * Fraction(str(scores_.final))
    assert result == exact_half_up(total, required + 5)


@given(semesters(), st.data())
def test_semester_average_is_monotonic_in_each_score(case, data):
    scores_, required = case
    before = semester_average(scores_, required)
    position = data.draw(st.integers(min_value=0, max_value=required + 1), label="which score")
    regular = list(scores_.regular)
    midterm, final = scores_.midterm, scores_.final
    current = regular[position] if position < required else (midterm if position == required else final)
    higher = data.draw(score.filter(lambda s: s >= current), label="raised to")
    if position < required:
        regular[position] = higher
    elif position == required:
        midterm = higher
    else:
        final = higher
    after = semester_average(SemesterScores(tuple(regular), midterm, final), required)
    assert after >= before


@given(score, score, score, score)
def test_year_average_bounds_one_decimal_exact_and_monotonic(one, two, one_higher, two_higher):
    result = year_average(one, two)
    assert isinstance(result, Decimal)
    assert D(0) <= result <= D(10)
    assert is_one_decimal(result)
    assert result == exact_half_up(Fraction(str(one)) + 2 * Fraction(str(two)), 3)
    assert year_average(max(one, one_higher), two) >= result
    assert year_average(one, max(two, two_higher)) >= result


@given(score)
def test_format_and_parse_round_trip(value):
    assert parse_score(format_score(value)) == value
    assert parse_score(str(value)) == value


@given(st.decimals(min_value=0, max_value=10, places=2, allow_nan=False, allow_infinity=False))
def test_round_score_matches_decimal_half_up(value):
    assert round_score(value) == value.quantize(D("0.1"), rounding=ROUND_HALF_UP)
    assert abs(round_score(value) - value) <= D("0.05")


comment = st.sampled_from([ACH, NOT])


@st.composite
def students(draw):
    averages = draw(st.lists(score, min_size=len(SCORED), max_size=len(SCORED)))
    comments = draw(st.lists(comment, min_size=len(COMMENTED), max_size=len(COMMENTED)))
    outcomes: dict[str, Decimal | CommentResult] = dict(zip(SCORED, averages, strict=True))
    outcomes.update(zip(COMMENTED, comments, strict=True))
    return outcomes


@given(students(), st.data())
def test_learning_result_is_monotonic_and_never_lowered(outcomes, data):
    before = level(outcomes)
    assert before.level.rank >= before.computed_level.rank
    if before.adjusted:
        assert before.level.rank > before.computed_level.rank
        assert before.level in (FAIR, PASS_)
    subject = data.draw(st.sampled_from(sorted(outcomes)), label="improved subject")
    current = outcomes[subject]
    if isinstance(current, CommentResult):
        better: Decimal | CommentResult = ACH
    else:
        better = data.draw(score.filter(lambda s: s >= current), label="raised to")
    after = level({**outcomes, subject: better})
    assert after.computed_level.rank >= before.computed_level.rank
    assert after.level.rank >= before.level.rank
